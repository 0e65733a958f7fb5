// Run by tests/gpu-deno.test.ts under Deno (bundled with esbuild first): the cases' hashes on
// Deno's own WebGPU (navigator.gpu: Mesa llvmpipe on a machine without a GPU) and on the wasm
// kernel, printed as one JSON line. Arguments: the kernel's path, the cases' JSON path.
import { init } from "../../src/index.js";
import { gpuHashes, wasmHashes, type GpuCase } from "../conformance/gpu.js";

declare const Deno: { args: string[]; readFile(p: string): Promise<Uint8Array>; readTextFile(p: string): Promise<string>; exit(code: number): never };

const [wasmPath, casesPath] = Deno.args as [string, string];
await init({ bytes: (await Deno.readFile(wasmPath)) as Uint8Array<ArrayBuffer> });
const cases = JSON.parse(await Deno.readTextFile(casesPath)) as GpuCase[];
const gpu = await gpuHashes(cases);
const wasm = await wasmHashes(cases);
console.log(JSON.stringify({ gpu, wasm }));
Deno.exit(0);
