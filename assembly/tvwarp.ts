// torchvision's warps on uint8 tensors ("tensor" semantics: v2's affine_image,
// rotate_image, perspective_image; "tensor-v1": the v1 kernels AugMix runs): a float32
// sampling grid, grid_sample(padding_mode="zeros", align_corners=False), the fill mixed in
// through an extra mask channel, then round-half-even back to uint8. Every step is the
// binary32 arithmetic torch 2.13's x86-64 CPU kernels perform, in their order, with their
// fused multiply-adds emulated exactly (fused.ts):
//
// - affine grid: theta = float32(matrix); per output pixel (x, y) the base point
//   (x - (ow - 1) / 2, y - (oh - 1) / 2, 1) times theta^T / (0.5 w, 0.5 h), summed as
//   (x * t0 + y * t1) + t2 (torch's bmm here rounds each step; measured);
// - perspective grid: (x + 0.5, y + 0.5, 1) times theta1^T / (0.5 ow, 0.5 oh), divided by
//   (x + 0.5) * c6 + (y + 0.5) * c7 + 1, minus 1;
// - grid_sample: ix = fma(gx + 1, W / 2, -0.5) (the unnormalize GCC fuses); nearest rounds
//   half to even; bilinear weights (1 - dy)(1 - dx) ... in binary32 and the value
//   fma(se_v, se, fma(sw_v, sw, fma(ne_v, ne, nw_v * nw))), taps outside the image reading 0;
// - fill (when given): the mask channel goes through the same sampling; nearest takes the
//   fill where mask < 0.5, bilinear mixes (v - fill) * mask + fill (v2) or
//   v * mask + (1 - mask) * fill (v1); without a fill the zeros stay.
// Positions torch computes as NaN or infinite (degenerate perspective) give 0, as in torch.

import { fma32 } from "./fused";
import { pyMod360, warpAffineMatrix, warpAffineMatrixV2 } from "./warp";

export const TV_FILL: i32 = 1;
export const TV_V1: i32 = 2;

let gx: f32 = 0;
let gy: f32 = 0;

/** Sampled value of channel k (or of the mask when k < 0) at (ix, iy), bilinear. */
// @ts-ignore: decorator
@inline function tap(src: usize, sw: i32, sh: i32, c: i32, x: i32, y: i32, k: i32): f32 {
  if (x < 0 || x >= sw || y < 0 || y >= sh) return 0;
  if (k < 0) return 1;
  return <f32>load<u8>(src + <usize>((y * sw + x) * c + k));
}

/**
 * Warps src (sw x sh, c channels) into dst (dw x dh) with grid_sample. `coeffs`: 6 f64
 * (affine: the inverse matrix torchvision's _get_inverse_affine_matrix returns, in pixel
 * units about the image centre) or 8 (perspective: Pillow-style coefficients); `filter` 0
 * nearest, 1 bilinear; `fill` c bytes used when flags has TV_FILL; TV_V1 selects v1's
 * bilinear fill formula.
 */
export function tvWarp(src: usize, sw: i32, sh: i32, c: i32, dst: usize, dw: i32, dh: i32, coeffs: usize, perspective: bool, filter: i32, fill: usize, flags: i32): void {
  const t0 = <f32>load<f64>(coeffs), t1 = <f32>load<f64>(coeffs, 8), t2 = <f32>load<f64>(coeffs, 16);
  const t3 = <f32>load<f64>(coeffs, 24), t4 = <f32>load<f64>(coeffs, 32), t5 = <f32>load<f64>(coeffs, 40);
  const t6 = perspective ? <f32>load<f64>(coeffs, 48) : <f32>0, t7 = perspective ? <f32>load<f64>(coeffs, 56) : <f32>0;
  // theta^T / (0.5 w, 0.5 h): the input size for affine grids, the output size for perspective.
  const hw = <f32>(0.5 * <f64>(perspective ? dw : sw));
  const hh = <f32>(0.5 * <f64>(perspective ? dh : sh));
  const r00 = t0 / hw, r10 = t1 / hw, r20 = t2 / hw;
  const r01 = t3 / hh, r11 = t4 / hh, r21 = t5 / hh;
  const sfx = <f32>sw / 2, sfy = <f32>sh / 2;
  const hasFill = (flags & TV_FILL) != 0;
  const v1 = (flags & TV_V1) != 0;
  const isBilinear = filter == 1;
  let d = dst;
  for (let y = 0; y < dh; y++) {
    const by: f32 = perspective ? <f32>y + <f32>0.5 : <f32>y - <f32>(dh - 1) * <f32>0.5;
    for (let x = 0; x < dw; x++, d += <usize>c) {
      const bx: f32 = perspective ? <f32>x + <f32>0.5 : <f32>x - <f32>(dw - 1) * <f32>0.5;
      gx = bx * r00 + by * r10 + r20;
      gy = bx * r01 + by * r11 + r21;
      if (perspective) {
        const den = bx * t6 + by * t7 + <f32>1;
        gx = gx / den - <f32>1;
        gy = gy / den - <f32>1;
      }
      const ix = fma32(gx + <f32>1, sfx, <f32>-0.5);
      const iy = fma32(gy + <f32>1, sfy, <f32>-0.5);
      if (!isBilinear) {
        const xr = nearest<f32>(ix), yr = nearest<f32>(iy);
        const inside = xr > <f32>-1 && xr < <f32>sw && yr > <f32>-1 && yr < <f32>sh;
        const p = inside ? src + <usize>((<i32>yr * sw + <i32>xr) * c) : 0;
        for (let k = 0; k < c; k++) {
          let v: u8 = inside ? load<u8>(p + <usize>k) : 0;
          if (hasFill && !inside) v = load<u8>(fill + <usize>k);
          store<u8>(d + <usize>k, v);
        }
        continue;
      }
      const fx = floor<f32>(ix), fy = floor<f32>(iy);
      // A non-finite position (degenerate perspective) makes torch's weights NaN and its
      // result 0, fill or not.
      if (!(abs<f32>(fx) <= <f32>3.4e38 && abs<f32>(fy) <= <f32>3.4e38)) {
        memory.fill(d, 0, <usize>c);
        continue;
      }
      const w = ix - fx, e = <f32>1 - w, n = iy - fy, s = <f32>1 - n;
      const nw = s * e, ne = s * w, sw_ = n * e, se = n * w;
      // Far positions: every tap is outside whatever the exact integer, so clamp before converting.
      const x0 = fx < <f32>-2 ? -2 : fx > <f32>sw ? sw : <i32>fx;
      const y0 = fy < <f32>-2 ? -2 : fy > <f32>sh ? sh : <i32>fy;
      let m: f32 = 1;
      if (hasFill) m = fma32(tap(src, sw, sh, c, x0 + 1, y0 + 1, -1), se, fma32(tap(src, sw, sh, c, x0, y0 + 1, -1), sw_, fma32(tap(src, sw, sh, c, x0 + 1, y0, -1), ne, tap(src, sw, sh, c, x0, y0, -1) * nw)));
      for (let k = 0; k < c; k++) {
        let v = fma32(tap(src, sw, sh, c, x0 + 1, y0 + 1, k), se, fma32(tap(src, sw, sh, c, x0, y0 + 1, k), sw_, fma32(tap(src, sw, sh, c, x0 + 1, y0, k), ne, tap(src, sw, sh, c, x0, y0, k) * nw)));
        if (hasFill) {
          const f = <f32>load<u8>(fill + <usize>k);
          v = v1 ? v * m + (<f32>1 - m) * f : (v - f) * m + f;
        }
        const r = nearest<f32>(v);
        store<u8>(d + <usize>k, <u8><i32>min<f32>(max<f32>(r, 0), 255));
      }
    }
  }
}

/**
 * torchvision v2's _compute_affine_output_size (the tensor version) for rotate's expand:
 * the corners (+-w/2, +-h/2) through float32(matrix), extremes shifted by (w/2, h/2),
 * truncated to 1e-4 and ceiled / floored, all in binary32. Writes (width, height) as i32.
 */
export function tvExpandedSize(coeffs: usize, w: i32, h: i32, out: usize): void {
  const a = <f32>load<f64>(coeffs), b = <f32>load<f64>(coeffs, 8), c = <f32>load<f64>(coeffs, 16);
  const d = <f32>load<f64>(coeffs, 24), e = <f32>load<f64>(coeffs, 32), f = <f32>load<f64>(coeffs, 40);
  const hw = <f32>(0.5 * <f64>w), hh = <f32>(0.5 * <f64>h);
  let minx = Infinity as f32, maxx = -Infinity as f32, miny = Infinity as f32, maxy = -Infinity as f32;
  for (let k = 0; k < 4; k++) {
    const px: f32 = k < 2 ? -hw : hw;
    const py: f32 = k == 0 || k == 3 ? -hh : hh;
    const nx = px * a + py * b + c;
    const ny = px * d + py * e + f;
    minx = min<f32>(minx, nx);
    maxx = max<f32>(maxx, nx);
    miny = min<f32>(miny, ny);
    maxy = max<f32>(maxy, ny);
  }
  const inv = <f32>(1.0 / 1e-4);
  const tol = <f32>1e-4;
  const cmaxx = ceil<f32>(trunc<f32>((maxx + hw) * inv) * tol);
  const cmaxy = ceil<f32>(trunc<f32>((maxy + hh) * inv) * tol);
  const cminx = floor<f32>(trunc<f32>((minx + hw) * inv) * tol);
  const cminy = floor<f32>(trunc<f32>((miny + hh) * inv) * tol);
  store<i32>(out, <i32>(cmaxx - cminx));
  store<i32>(out, <i32>(cmaxy - cminy), 4);
}

/**
 * torchvision's rotate on tensors for an image w x h: v2's rotate_image (angle % 360, then
 * the rot90 fast paths when no centre is given: 0 copies, 180, and 90 / 270 when
 * expanding or square) or, with `v1`, the v1 kernel (no fast paths, no modulo). Returns
 * 0 (copy), 1..3 (quarter turns counter-clockwise) or -1: the inverse matrix
 * (_get_inverse_affine_matrix about the centre, angle negated; v2's or v1's) to out[0..6] and the output
 * width and height to out[6], out[7] (f64).
 */
export function tvRotateMatrix(angleDeg: f64, w: i32, h: i32, cx: f64, cy: f64, hasCenter: i32, expand: i32, v1: i32, out: usize): i32 {
  const angle = v1 ? angleDeg : pyMod360(angleDeg);
  if (!v1 && !hasCenter) {
    if (angle == 0.0) return 0;
    if (angle == 180.0) return 2;
    if ((expand || w == h) && (angle == 90.0 || angle == 270.0)) return angle == 90.0 ? 1 : 3;
  }
  const fx = hasCenter ? cx - <f64>w * 0.5 : 0.0;
  const fy = hasCenter ? cy - <f64>h * 0.5 : 0.0;
  if (v1) warpAffineMatrix(fx, fy, -angle, 0.0, 0.0, 1.0, 0.0, 0.0, out);
  else warpAffineMatrixV2(fx, fy, -angle, 0.0, 0.0, 1.0, 0.0, 0.0, out);
  let ow = w, oh = h;
  if (expand) {
    tvExpandedSize(out, w, h, out + 48);
    ow = load<i32>(out + 48);
    oh = load<i32>(out + 52);
  }
  store<f64>(out, <f64>ow, 48);
  store<f64>(out, <f64>oh, 56);
  return -1;
}
