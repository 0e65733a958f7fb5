// MixUp and CutMix on the GPU: register-machine programs (src/gpu/vm.ts) over the batch's NCHW
// float32 outputs, run by the runner after every sample's passes (run.ts's BatchStep), with
// the kernel's exact arithmetic:
//   MixUp  out[i] = f32(prev[i] * f32(1 - lam)) + f32(x[i] * f32(lam)), each step one binary32
//          rounding, no fused multiply-add (assembly/targets.ts's blendF32 on the batch and its
//          roll by one sample; the first image takes the last);
//   CutMix out[i] = prev[i] inside the box (every channel), x[i] elsewhere: bits copied.
import type { BatchStep } from "./run.js";
import { Asm, f32Bits, OP, REG } from "./vm.js";

// Params (record words 6..): 6 src byte, 7 values per sample, 8 samples, then the transform's.
// Registers: 2 src, 3 per, 4 N; 7 the sample, 8 the value within it, 12 the previous sample.
const head = (a: Asm) =>
  a
    .param(2, 6)
    .param(3, 7)
    .param(4, 8)
    .op(OP.UDIV, 7, REG.INDEX, 3)
    .op(OP.UREM, 8, REG.INDEX, 3)
    .const(9, 1)
    .op(OP.ISUB, 10, 7, 9)
    .op(OP.ISUB, 11, 4, 9)
    .op(OP.SEL, 12, 10, 11, 7) // sample 0 takes sample N - 1
    .op(OP.IMUL, 13, 12, 3)
    .op(OP.IADD, 13, 13, 8) // the same value of the previous sample
    .const(14, 2);

/** 9 f32(1 - lam), 10 f32(lam). */
const MIXUP = head(new Asm())
  .param(5, 9)
  .param(6, 10)
  .op(OP.SHL, 15, 13, 14)
  .op(OP.IADD, 15, 15, 2)
  .op(OP.LDW, 16, 15)
  .op(OP.SHL, 17, REG.INDEX, 14)
  .op(OP.IADD, 17, 17, 2)
  .op(OP.LDW, 18, 17)
  .op(OP.F_MUL, 19, 16, 5)
  .op(OP.F_MUL, 20, 18, 6)
  .op(OP.F_ADD, REG.OUT, 19, 20)
  .end()
  .build();

/** 9 H*W, 10 W, 11 x1, 12 x2 - x1, 13 y1, 14 y2 - y1. */
const CUTMIX = head(new Asm())
  .param(20, 9)
  .param(21, 10)
  .param(22, 11)
  .param(23, 12)
  .param(24, 13)
  .param(25, 14)
  .op(OP.UREM, 26, 8, 20) // position in the plane
  .op(OP.UDIV, 27, 26, 21) // y
  .op(OP.UREM, 28, 26, 21) // x
  .op(OP.ISUB, 29, 28, 22)
  .op(OP.ULT, 29, 29, 23) // x1 <= x < x2 (unsigned wrap)
  .op(OP.ISUB, 30, 27, 24)
  .op(OP.ULT, 30, 30, 25) // y1 <= y < y2
  .op(OP.AND, 31, 29, 30)
  .op(OP.SEL, 32, 13, REG.INDEX, 31)
  .op(OP.SHL, 32, 32, 14)
  .op(OP.IADD, 32, 32, 2)
  .op(OP.LDW, REG.OUT, 32)
  .end()
  .build();

/** The batch step mixing an [N, C, H, W] batch with MixUp's or CutMix's params. */
export function mixStep(type: string, params: { [k: string]: unknown }, shape: readonly number[]): BatchStep {
  const [n, c, h, w] = shape as [number, number, number, number];
  const per = c * h * w;
  if (type === "MixUp") {
    const lam = params.lam as number;
    return { program: MIXUP, params: (src) => [src, per, n, f32Bits(1 - lam), f32Bits(lam)] };
  }
  if (type === "CutMix") {
    const [x1, y1, x2, y2] = params.box as [number, number, number, number];
    if (!(x1 <= x2 && x2 <= w && y1 <= y2 && y2 <= h))
      throw new RangeError(`CutMix: box [${x1}, ${y1}, ${x2}, ${y2}] does not fit ${w}x${h} images`);
    return { program: CUTMIX, params: (src) => [src, per, n, h * w, w, x1, x2 - x1, y1, y2 - y1] };
  }
  throw new TypeError(`mix.transform must be a MixUp or CutMix, got a ${type}`);
}
