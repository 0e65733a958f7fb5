// Chromium (page and Web Worker) entry for the WebGPU conformance cases: bundle with esbuild
// (format esm, platform browser, node: built-ins stubbed or external) next to lockstep.wasm,
// load it as a module script and call
//   await globalThis.gpuConformance(cases, "page" | "worker")
// -> { gpu: CaseHashes, wasm: CaseHashes } or { error }. In a worker started from this same
// bundle ({ type: "module" }), the page posts the cases and gets the same answer back.
// Chromium needs --enable-unsafe-webgpu (SwiftShader without a GPU).
import { init } from "../../src/index.js";
import { gpuHashes, wasmHashes, type CaseHashes, type GpuCase } from "../conformance/gpu.js";

type Answer = { gpu: CaseHashes; wasm: CaseHashes } | { error: string };

async function run(cases: GpuCase[]): Promise<Answer> {
  try {
    await init({ url: new URL("./lockstep.wasm", import.meta.url) });
    return { gpu: await gpuHashes(cases), wasm: await wasmHashes(cases) };
  } catch (e) {
    return { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

const g = globalThis as unknown as {
  document?: unknown;
  gpuConformance?: (cases: GpuCase[], mode?: "page" | "worker") => Promise<Answer>;
  onmessage?: (e: { data: GpuCase[] }) => void;
  postMessage?: (m: unknown) => void;
};

if (typeof g.document === "undefined") {
  g.onmessage = (e) => void run(e.data).then((a) => g.postMessage!(a));
} else {
  g.gpuConformance = (cases, mode = "page") => {
    if (mode === "page") return run(cases);
    return new Promise((resolve) => {
      const w = new Worker(import.meta.url, { type: "module" });
      w.onmessage = (e: MessageEvent<Answer>) => {
        resolve(e.data);
        w.terminate();
      };
      w.onerror = (e) => resolve({ error: `worker: ${e.message}` });
      w.postMessage(cases);
    });
  };
}
