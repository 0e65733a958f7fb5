// Conversions on the GPU:
// - ToDtype uint8 -> float32: a u8 image to a float32 CHW tensor is a table per byte value
//   (the kernel's own u8ToF32 over the 256 values, so the GPU applies the kernel's bits),
//   through the resampler's ToTensor path; a conversion that changes nothing is a copy.
// - ToDtype float32 -> uint8: a register-machine program doing assembly/targets.ts's
//   f32ToU8 per value (one binary32 multiply, then saturate and truncate).
// - RGB: a byte gather (assembly/targets.ts's toRGB: grey repeated, RGBA's alpha dropped).
import { kernel } from "../../kernel/instance.js";
import type { OpArgs } from "../../ir/ops.js";
import { TableCache } from "../cache.js";
import { defineShader } from "../shaders.js";
import { fourPixels } from "../wgsl/common.wgsl.js";
import { defineGpuOp, GpuUnsupported, u8Bytes } from "../plan.js";
import { f32Bits, Prog, REG } from "../vm.js";
import { PARAM0, vmPass } from "./vmpass.js";
import { tensorThrough } from "./geometry.js";

const SCALE_TO_FLOAT = Math.fround(1 / 255); // src/transforms/convert.ts's factors, exact in binary32
const SCALE_TO_U8 = Math.fround(255 + 1.0 - 1e-3);

const tables = new TableCache<Uint32Array>();

/** The kernel's u8ToF32 of every byte value, as f32 bits, repeated for c channels. */
function u8ToF32Table(scale: boolean, c: number): Uint32Array {
  return tables.get(`${scale} ${c}`, () => {
    const { exports: k, arena } = kernel();
    arena.reset();
    const ramp = new Uint8Array(256);
    for (let v = 0; v < 256; v++) ramp[v] = v;
    const src = arena.put(ramp);
    const dst = arena.alloc(256 * 4);
    k.u8ToF32(src, 256, 1, 1, scale ? SCALE_TO_FLOAT : 1, dst);
    const one = new Uint32Array(arena.takeF32(dst, 256).buffer.slice(0));
    const t = new Uint32Array(256 * c);
    for (let ch = 0; ch < c; ch++) t.set(one, ch * 256);
    return t;
  });
}

const f32ToU8Programs = new TableCache<Uint32Array>();

/**
 * Pixel e of a [c, h, w] f32 tensor to c bytes: v = f32(x * scale); v >= 255 ? 255 :
 * v > 0 ? trunc(v) : 0 (NaN gives 0). Params: 6 src byte, 7 pixels, 8 scale (f32 bits).
 */
function f32ToU8Program(c: number): Uint32Array {
  return f32ToU8Programs.get(`${c}`, () => {
    const p = new Prog();
    const src = p.param(PARAM0);
    const n = p.param(PARAM0 + 1);
    const scale = p.param(PARAM0 + 2);
    const two = p.int(2);
    const max = p.f32(255);
    const zero = p.int(0);
    for (let ch = 0; ch < c; ch++) {
      p.scope(() => {
        const at = p.add(src, p.shl(p.add(p.mul(p.int(ch), n), REG.INDEX), two));
        const v = p.fmul(p.word(at), scale);
        const t = p.sel(p.flt(zero, v), p.ftoi(v), zero);
        const clipped = p.sel(p.fle(max, v), p.int(255), t);
        // The VM's comparisons order NaN above +inf; the kernel's are false for NaN: 0.
        const nan = p.ult(p.int(0x7f800000), p.and(v, p.int(0x7fffffff)));
        p.out(ch, p.sel(nan, zero, clipped));
        return zero;
      });
    }
    p.end();
    return p.build();
  });
}

defineGpuOp<OpArgs & { dtype: "uint8" | "float32"; scale: boolean }>("toDtype", {
  lower(b, src, a, from, to) {
    if (from.kind === "image" && a.dtype === "float32") return tensorThrough(b, src, from, u8ToF32Table(a.scale, from.channels));
    if (from.kind === "image" && a.dtype === "uint8") return src;
    if (from.kind === "tensor" && a.dtype === "float32") return src;
    if (to.kind !== "image") throw new GpuUnsupported('the "toDtype" op from a float32 tensor to uint8 needs an image result');
    const n = to.width * to.height;
    const c = to.channels;
    const dst = b.buffer(u8Bytes(n, c));
    vmPass(b, f32ToU8Program(c), "bytes", n, c, dst, (x) => [x.pool(src), n, f32Bits(a.scale ? SCALE_TO_U8 : 1)]);
    return dst;
  },
});

// Output channel k of a pixel is source channel min(k, cin - 1): grey repeated, alpha dropped.
defineShader("rgb", {
  record: ["src", "cin", "dst: word", "groups", "pixels"],
  body: fourPixels(
    /* wgsl */ `
      for (var k = 0u; k < 3u; k++) { v[k] = byteAt(src + pix * cin + min(k, cin - 1u)); }`,
    { c: "3u" },
  ),
});

defineGpuOp<OpArgs>("rgb", {
  lower(b, src, _, from) {
    if (from.kind !== "image") throw new GpuUnsupported("RGB takes images");
    if (from.channels === 3) return src;
    const pixels = from.width * from.height;
    const groups = Math.ceil(pixels / 4);
    const dst = b.buffer(u8Bytes(pixels, 3));
    b.pass("rgb", groups, (x) => [x.pool(src), from.channels, x.pool(dst), groups, pixels]);
    return dst;
  },
});
