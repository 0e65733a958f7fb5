// AugMix's mixing (torchvision 0.28 AugMix.forward, as 0.14's, on uint8 input): an f32 accumulator
//   acc = m0 * x;  acc = acc + w_i * chain_i  (per chain, in order);  out = u8(min(255, trunc(acc)))
// each product and sum one binary32 operation, rounded to nearest even. WebAssembly fixes
// f32 * and + (scalar and f32x4 alike) to IEEE 754 with no fused multiply-add and no extra
// precision, so every engine gives the same bits; u8 -> f32 is exact. No NaN can arise
// (inputs are bytes, the host passes finite weights in [0, 1]), and acc >= 0, so the
// saturating truncations below are torch's `.to(torch.uint8)` after the clamp to 255.
//
// acc holds n f32 (4n bytes), src and dst n bytes; vectors of 16 values, scalar tails.

import { quarterF } from "./pixels";

/** acc[i] = f32(m0 * src[i]) for i < n. */
export function mixInit(acc: usize, src: usize, n: i32, m0: f32): void {
  const vm = f32x4.splat(m0);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const v = v128.load(src + <usize>i);
    const a = acc + (<usize>i << 2);
    v128.store(a, f32x4.mul(vm, quarterF(v, 0)));
    v128.store(a + 16, f32x4.mul(vm, quarterF(v, 1)));
    v128.store(a + 32, f32x4.mul(vm, quarterF(v, 2)));
    v128.store(a + 48, f32x4.mul(vm, quarterF(v, 3)));
  }
  for (; i < n; i++) store<f32>(acc + (<usize>i << 2), m0 * <f32>load<u8>(src + <usize>i));
}

/** acc[i] = f32(acc[i] + f32(w * src[i])) for i < n. */
export function mixAdd(acc: usize, src: usize, n: i32, w: f32): void {
  const vw = f32x4.splat(w);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const v = v128.load(src + <usize>i);
    const a = acc + (<usize>i << 2);
    v128.store(a, f32x4.add(v128.load(a), f32x4.mul(vw, quarterF(v, 0))));
    v128.store(a + 16, f32x4.add(v128.load(a + 16), f32x4.mul(vw, quarterF(v, 1))));
    v128.store(a + 32, f32x4.add(v128.load(a + 32), f32x4.mul(vw, quarterF(v, 2))));
    v128.store(a + 48, f32x4.add(v128.load(a + 48), f32x4.mul(vw, quarterF(v, 3))));
  }
  for (; i < n; i++) {
    const a = acc + (<usize>i << 2);
    store<f32>(a, load<f32>(a) + w * <f32>load<u8>(src + <usize>i));
  }
}

@inline
function finishQuad(a: usize, top: v128): v128 {
  return i32x4.trunc_sat_f32x4_u(f32x4.min(v128.load(a), top));
}

/** dst[i] = min(255, trunc(acc[i])) for i < n (acc >= 0). */
export function mixFinish(acc: usize, dst: usize, n: i32): void {
  const top = f32x4.splat(255);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const a = acc + (<usize>i << 2);
    const lo = i16x8.narrow_i32x4_u(finishQuad(a, top), finishQuad(a + 16, top));
    const hi = i16x8.narrow_i32x4_u(finishQuad(a + 32, top), finishQuad(a + 48, top));
    v128.store(dst + <usize>i, i8x16.narrow_i16x8_u(lo, hi));
  }
  for (; i < n; i++) {
    const v = min<f32>(load<f32>(acc + (<usize>i << 2)), 255);
    store<u8>(dst + <usize>i, v > 0 ? <u32>v : 0);
  }
}
