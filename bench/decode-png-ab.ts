// In-process A/B of the kernel's PNG decode: another build of build/lockstep.wasm (OLD, e.g. main's,
// copied aside before a change) against the current one, both loaded in this process, rounds
// alternating, CPU time. Pixels are checked equal first. Each file's line gives both medians and
// the median of the per-round ratios (old / new), for the whole decode (pngInfo + pngDecode + a
// copy out into a reused array, so allocation and GC stay out) and for zlibInflate alone.
//
// Run: OLD=/tmp/main.wasm npx tsx bench/decode-png-ab.ts
// Env: ROUNDS (default 11), BENCH_MS (time per measurement, default 150).
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { inflateSync } from "node:zlib";
import { Arena } from "../src/kernel/arena.js";
import type { KernelExports } from "../src/kernel/exports.js";
import { cpuMs, median } from "./timing.js";
import { kernelPngDecode, type PngKernel } from "./png-kernel.js";

const OLD = process.env.OLD;
if (!OLD) throw new Error("set OLD to the path of the kernel to compare with (a build/lockstep.wasm copied aside)");
const ROUNDS = Number(process.env.ROUNDS ?? 11);
const MS = Number(process.env.BENCH_MS ?? 150);
const FILES = ["samples/astronaut.png", "samples/chelsea.png", "samples/coffee.png", "tests/codec/png/photo-coffee-rgba.png"];
const root = new URL("../", import.meta.url);

type K = PngKernel;

async function load(path: string | URL): Promise<K> {
  const module = await WebAssembly.compile(readFileSync(path));
  const instance = await WebAssembly.instantiate(module, {
    env: {
      abort() {
        throw new Error("kernel abort");
      },
    },
  });
  const k = instance.exports as unknown as KernelExports;
  return { k, arena: new Arena(k) };
}

const outs = new Map<number, Uint8Array>();
function decode(kernel: K, bytes: Uint8Array): Uint8Array {
  return kernelPngDecode(kernel, bytes, (size) => {
    let out = outs.get(size);
    if (!out) outs.set(size, (out = new Uint8Array(size)));
    return out;
  });
}

function inflate({ k, arena }: K, z: Uint8Array, n: number): void {
  arena.reset();
  const src = arena.put(z);
  const out = arena.alloc(n + 16);
  const info = arena.alloc(128);
  if (k.zlibInflate(src, z.length, out, n, info) !== 0) throw new Error("zlibInflate");
}

/** The concatenated IDAT data of a PNG. */
function idat(b: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let off = 8; off + 8 <= b.length; ) {
    const len = dv.getUint32(off);
    if (String.fromCharCode(...b.subarray(off + 4, off + 8)) === "IDAT") parts.push(b.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  return Buffer.concat(parts);
}

const cpu = (fn: () => void): number => cpuMs(fn, MS);

function ab(a: () => void, b: () => void): string {
  const ta: number[] = [];
  const tb: number[] = [];
  const r: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const x = cpu(a);
    const y = cpu(b);
    ta.push(x);
    tb.push(y);
    r.push(x / y);
  }
  return `old ${median(ta).toFixed(3)} ms, new ${median(tb).toFixed(3)} ms, old/new ${median(r).toFixed(3)}`;
}

const A = await load(OLD);
const B = await load(new URL("build/lockstep.wasm", root));
console.log(`# PNG decode A/B: ${OLD} (old) against build/lockstep.wasm (new), ${ROUNDS} alternating rounds, CPU time\n`);
for (const f of FILES) {
  const bytes = new Uint8Array(readFileSync(new URL(f, root)));
  if (!Buffer.from(decode(A, bytes)).equals(Buffer.from(decode(B, bytes)))) throw new Error(`${f}: the kernels decode other pixels`);
  const z = idat(bytes);
  const n = inflateSync(z).length;
  console.log(
    `${f.split("/").pop()}: decode ${ab(
      () => decode(A, bytes),
      () => decode(B, bytes),
    )}`,
  );
  console.log(
    `  inflate ${ab(
      () => inflate(A, z, n),
      () => inflate(B, z, n),
    )}`,
  );
}
console.log(`\nload ${loadavg()[0]!.toFixed(1)}`);
