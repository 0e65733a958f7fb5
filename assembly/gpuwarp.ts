// Per-output-pixel tables of the bilinear warps for the WebGPU backend: where each output
// pixel samples (its four taps as source pixel indices) and with what weights, computed
// here with the exact arithmetic of the wasm warps (pilwarp.ts, tvwarp.ts, warp.ts's
// elasticWarp), so the GPU only combines pixel values with them. Nearest warps need no
// table from here: the host runs the wasm warp itself on an image of pixel indices.
// Positions are pixel-independent: every channel and every image of the same geometry
// shares a table.

import { fma32 } from "./fused";

/** Words per output pixel of gpuPilBilinearTable: i00, i10, i01, i11, dx (f64), dy (f64). */
export const GPU_PIL_STRIDE: i32 = 8;
/** Words per output pixel of gpuTvBilinearTable: i00, i10, i01, i11, nw, ne, sw, se, mask (f32). */
export const GPU_TV_STRIDE: i32 = 9;
/** Words per output pixel of gpuElasticTable: i00, i10, i01, i11, w00, w10, w01, w11 (Q22). */
export const GPU_ELASTIC_STRIDE: i32 = 8;
/** i00 of an output pixel that takes the fill (Pillow's outside test): 0xffffffff. */
const GPU_OUTSIDE: u32 = 0xffffffff;

/**
 * Pillow's generic transform with the bilinear filter (pilGenericWarp's positions, in its
 * binary64 order): per output pixel the taps (x0, y0), (x1, y0), (x0, y1), (x1, y1) after
 * Pillow's edge clamping (y1 = y0 when the second row is past the image, which gives the
 * same value as Pillow's missing row), and dx, dy; i00 = GPU_OUTSIDE where Pillow fills.
 * `coeffs`: 6 (affine) or 8 (perspective) f64.
 */
export function gpuPilBilinearTable(sw: i32, sh: i32, dw: i32, dh: i32, coeffs: usize, perspective: bool, out: usize): void {
  const a0 = load<f64>(coeffs), a1 = load<f64>(coeffs, 8), a2 = load<f64>(coeffs, 16);
  const a3 = load<f64>(coeffs, 24), a4 = load<f64>(coeffs, 32), a5 = load<f64>(coeffs, 40);
  const a6 = perspective ? load<f64>(coeffs, 48) : 0.0, a7 = perspective ? load<f64>(coeffs, 56) : 0.0;
  let q = out;
  for (let y = 0; y < dh; y++) {
    const yin = <f64>y + 0.5;
    const b1 = a1 * yin, b4 = a4 * yin, b7 = a7 * yin;
    for (let x = 0; x < dw; x++, q += <usize>(GPU_PIL_STRIDE << 2)) {
      const xin = <f64>x + 0.5;
      let xx = a0 * xin + b1 + a2;
      let yy = a3 * xin + b4 + a5;
      if (perspective) {
        const den = a6 * xin + b7 + 1.0;
        xx = xx / den;
        yy = yy / den;
      }
      if (!(xx >= 0.0 && xx < <f64>sw && yy >= 0.0 && yy < <f64>sh)) {
        memory.fill(q, 0, <usize>(GPU_PIL_STRIDE << 2));
        store<u32>(q, GPU_OUTSIDE);
        continue;
      }
      const xi = xx - 0.5;
      const yi = yy - 0.5;
      const fx = Math.floor(xi);
      const fy = Math.floor(yi);
      const x0 = <i32>fx;
      const y0 = <i32>fy;
      const cx0 = x0 < 0 ? 0 : x0 < sw ? x0 : sw - 1;
      const cx1 = x0 + 1 < 0 ? 0 : x0 + 1 < sw ? x0 + 1 : sw - 1;
      const r0 = y0 < 0 ? 0 : y0 < sh ? y0 : sh - 1;
      const r1 = y0 + 1 >= 0 && y0 + 1 < sh ? y0 + 1 : r0;
      store<u32>(q, r0 * sw + cx0);
      store<u32>(q, r0 * sw + cx1, 4);
      store<u32>(q, r1 * sw + cx0, 8);
      store<u32>(q, r1 * sw + cx1, 12);
      store<f64>(q, xi - fx, 16);
      store<f64>(q, yi - fy, 24);
    }
  }
}

/** tvWarp's tap test: the pixel index of (x, y), or -1 outside. */
// @ts-ignore: decorator
@inline function tvTap(sw: i32, sh: i32, x: i32, y: i32): i32 {
  return x < 0 || x >= sw || y < 0 || y >= sh ? -1 : y * sw + x;
}

/**
 * torchvision's grid_sample bilinear (tvWarp's grid and weights, binary32 with torch's
 * fused steps): per output pixel the four taps (x0, y0), (x0 + 1, y0), (x0, y0 + 1),
 * (x0 + 1, y0 + 1) with weights nw, ne, sw, se (f32 bits); a tap outside the image gets
 * index 0 and weight 0 (the same sums: it reads 0 in torch). Then the mask (f32 bits, the
 * same sampling of ones) when `hasFill`, else 1. A non-finite position (torch: 0, fill or
 * not) gets zero weights and mask 1.
 */
export function gpuTvBilinearTable(sw: i32, sh: i32, dw: i32, dh: i32, coeffs: usize, perspective: bool, hasFill: bool, out: usize): void {
  const t0 = <f32>load<f64>(coeffs), t1 = <f32>load<f64>(coeffs, 8), t2 = <f32>load<f64>(coeffs, 16);
  const t3 = <f32>load<f64>(coeffs, 24), t4 = <f32>load<f64>(coeffs, 32), t5 = <f32>load<f64>(coeffs, 40);
  const t6 = perspective ? <f32>load<f64>(coeffs, 48) : <f32>0, t7 = perspective ? <f32>load<f64>(coeffs, 56) : <f32>0;
  const hw = <f32>(0.5 * <f64>(perspective ? dw : sw));
  const hh = <f32>(0.5 * <f64>(perspective ? dh : sh));
  const r00 = t0 / hw, r10 = t1 / hw, r20 = t2 / hw;
  const r01 = t3 / hh, r11 = t4 / hh, r21 = t5 / hh;
  const sfx = <f32>sw / 2, sfy = <f32>sh / 2;
  let q = out;
  for (let y = 0; y < dh; y++) {
    const by: f32 = perspective ? <f32>y + <f32>0.5 : <f32>y - <f32>(dh - 1) * <f32>0.5;
    for (let x = 0; x < dw; x++, q += <usize>(GPU_TV_STRIDE << 2)) {
      const bx: f32 = perspective ? <f32>x + <f32>0.5 : <f32>x - <f32>(dw - 1) * <f32>0.5;
      let gx = bx * r00 + by * r10 + r20;
      let gy = bx * r01 + by * r11 + r21;
      if (perspective) {
        const den = bx * t6 + by * t7 + <f32>1;
        gx = gx / den - <f32>1;
        gy = gy / den - <f32>1;
      }
      const ix = fma32(gx + <f32>1, sfx, <f32>-0.5);
      const iy = fma32(gy + <f32>1, sfy, <f32>-0.5);
      const fx = floor<f32>(ix), fy = floor<f32>(iy);
      memory.fill(q, 0, <usize>(GPU_TV_STRIDE << 2));
      if (!(abs<f32>(fx) <= <f32>3.4e38 && abs<f32>(fy) <= <f32>3.4e38)) {
        store<f32>(q, <f32>1, 32);
        continue;
      }
      const w = ix - fx, e = <f32>1 - w, n = iy - fy, s = <f32>1 - n;
      const nw = s * e, ne = s * w, sw_ = n * e, se = n * w;
      const x0 = fx < <f32>-2 ? -2 : fx > <f32>sw ? sw : <i32>fx;
      const y0 = fy < <f32>-2 ? -2 : fy > <f32>sh ? sh : <i32>fy;
      const i00 = tvTap(sw, sh, x0, y0), i10 = tvTap(sw, sh, x0 + 1, y0);
      const i01 = tvTap(sw, sh, x0, y0 + 1), i11 = tvTap(sw, sh, x0 + 1, y0 + 1);
      if (i00 >= 0) {
        store<i32>(q, i00);
        store<f32>(q, nw, 16);
      }
      if (i10 >= 0) {
        store<i32>(q, i10, 4);
        store<f32>(q, ne, 20);
      }
      if (i01 >= 0) {
        store<i32>(q, i01, 8);
        store<f32>(q, sw_, 24);
      }
      if (i11 >= 0) {
        store<i32>(q, i11, 12);
        store<f32>(q, se, 28);
      }
      let m: f32 = 1;
      if (hasFill) {
        const m00: f32 = i00 >= 0 ? 1 : 0, m10: f32 = i10 >= 0 ? 1 : 0;
        const m01: f32 = i01 >= 0 ? 1 : 0, m11: f32 = i11 >= 0 ? 1 : 0;
        m = fma32(m11, se, fma32(m01, sw_, fma32(m10, ne, m00 * nw)));
      }
      store<f32>(q, m, 32);
    }
  }
}

/**
 * elasticWarp's bilinear taps from a field (elasticField's layout): per pixel the four
 * taps (x0, y0), (x0 + 1, y0), (x0, y0 + 1), (x0 + 1, y0 + 1) and their Q11 x Q11 weights,
 * a tap outside the image with index 0 and weight 0 (their sum is elasticWarp's mask).
 */
export function gpuElasticTable(w: i32, h: i32, field: usize, out: usize): void {
  const n = w * h;
  const ONE: i32 = 1 << 11;
  let q = out;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++, q += <usize>(GPU_ELASTIC_STRIDE << 2)) {
      const i = y * w + x;
      const X = (<i64>x << 22) + load<i64>(field + (<usize>i << 3));
      const Y = (<i64>y << 22) + load<i64>(field + (<usize>(n + i) << 3));
      const x0 = X >> 22, y0 = Y >> 22;
      const wx = <i32>((X & ((1 << 22) - 1)) >> 11), wy = <i32>((Y & ((1 << 22) - 1)) >> 11);
      const in0 = x0 >= 0 && x0 < <i64>w, in1 = x0 + 1 >= 0 && x0 + 1 < <i64>w;
      const jn0 = y0 >= 0 && y0 < <i64>h, jn1 = y0 + 1 >= 0 && y0 + 1 < <i64>h;
      store<i32>(q, in0 && jn0 ? <i32>y0 * w + <i32>x0 : 0);
      store<i32>(q, in1 && jn0 ? <i32>y0 * w + <i32>x0 + 1 : 0, 4);
      store<i32>(q, in0 && jn1 ? (<i32>y0 + 1) * w + <i32>x0 : 0, 8);
      store<i32>(q, in1 && jn1 ? (<i32>y0 + 1) * w + <i32>x0 + 1 : 0, 12);
      store<i32>(q, in0 && jn0 ? (ONE - wx) * (ONE - wy) : 0, 16);
      store<i32>(q, in1 && jn0 ? wx * (ONE - wy) : 0, 20);
      store<i32>(q, in0 && jn1 ? (ONE - wx) * wy : 0, 24);
      store<i32>(q, in1 && jn1 ? wx * wy : 0, 28);
    }
  }
}
