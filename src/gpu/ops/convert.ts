// ToDtype on the GPU: a u8 image to a float32 CHW tensor is a table per byte value (the
// kernel's own u8ToF32 over the 256 values, so the GPU applies the kernel's bits), through
// the resampler's ToTensor path; a conversion that changes nothing is a copy. float32 to
// uint8 (a binary32 multiply and truncation per value) stays on wasm.
import { kernel } from "../../kernel/instance.js";
import type { OpArgs } from "../../ir/ops.js";
import { defineGpuOp, GpuUnsupported } from "../plan.js";
import { tensorThrough } from "./geometry.js";

const SCALE_TO_FLOAT = Math.fround(1 / 255); // src/transforms/convert.ts's factor, exact in binary32

const tables = new Map<string, Uint32Array>();

/** The kernel's u8ToF32 of every byte value, as f32 bits, repeated for c channels. */
function u8ToF32Table(scale: boolean, c: number): Uint32Array {
  const key = `${scale} ${c}`;
  let t = tables.get(key);
  if (!t) {
    const { exports: k, arena } = kernel();
    arena.reset();
    const ramp = new Uint8Array(256);
    for (let v = 0; v < 256; v++) ramp[v] = v;
    const src = arena.put(ramp);
    const dst = arena.alloc(256 * 4);
    k.u8ToF32(src, 256, 1, 1, scale ? SCALE_TO_FLOAT : 1, dst);
    const one = new Uint32Array(arena.takeF32(dst, 256).buffer.slice(0));
    t = new Uint32Array(256 * c);
    for (let ch = 0; ch < c; ch++) t.set(one, ch * 256);
    tables.set(key, t);
  }
  return t;
}

defineGpuOp<OpArgs & { dtype: "uint8" | "float32"; scale: boolean }>("toDtype", {
  lower(b, src, a, from) {
    if (from.kind === "image" && a.dtype === "float32") return tensorThrough(b, src, from, u8ToF32Table(a.scale, from.channels));
    if (from.kind === "image" && a.dtype === "uint8") return src;
    if (from.kind === "tensor" && a.dtype === "float32") return src;
    throw new GpuUnsupported('the "toDtype" op from a float32 tensor to uint8 has no WebGPU shader yet');
  },
});
