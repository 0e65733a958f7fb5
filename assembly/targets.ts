// Kernel support for targets (boxes, key points, masks) and batch mixing: the one affine matrix
// torchvision 0.28 builds for boxes and key points, torch's nearest resize for masks, and MixUp's
// float32 blend. Float math here is + - * / and the musl-derived sin/cos/tan AssemblyScript
// compiles into the binary, so every engine gets the same values.

import { tvAffineMatrix } from "./warp";

/**
 * torchvision 0.28's _get_inverse_affine_matrix(center, angle, translate, scale, shear,
 * inverted) in its own order of operations (f64, angles in degrees): 6 f64 to out.
 * inverted = 0 gives the forward matrix the box and key point kernels apply (warp.ts
 * builds it: the same matrix as warpAffineMatrixV2's with inverted = 1).
 */
export function targetAffineMatrix(cx: f64, cy: f64, angle: f64, tx: f64, ty: f64, scale: f64, shx: f64, shy: f64, inverted: i32, out: usize): void {
  tvAffineMatrix(cx, cy, angle, tx, ty, scale, shx, shy, inverted != 0, out);
}

/**
 * torch's upsample_nearest source indices (mode "nearest", no scale factor given) for
 * outSize outputs from inSize inputs: the output index itself when the sizes are equal,
 * i >> 1 when outSize == 2 * inSize, else min(floorf(i * (float)inSize / outSize), inSize - 1)
 * in f32. Writes outSize i32 to table.
 */
export function torchNearestTable(inSize: i32, outSize: i32, table: usize): void {
  const scale = <f32>inSize / <f32>outSize;
  for (let i = 0; i < outSize; i++) {
    let s: i32;
    if (outSize == inSize) s = i;
    else if (outSize == 2 * inSize) s = i >> 1;
    else {
      s = <i32>Mathf.floor(<f32>i * scale);
      if (s > inSize - 1) s = inSize - 1;
    }
    store<i32>(table + (<usize>i << 2), s);
  }
}

/**
 * dst (dw x dh, c bytes per pixel) takes src pixel (xs[x], ys[y]) (src is sw wide): a nearest
 * remap by per-axis index tables, moving whole pixels (c = 1 for u8 masks, 4 for i32 masks).
 */
export function gatherPixels(src: usize, sw: i32, c: i32, xs: usize, ys: usize, dw: i32, dh: i32, dst: usize): void {
  const rowBytes = <usize>(dw * c);
  for (let y = 0; y < dh; y++) {
    const row = src + <usize>load<i32>(ys + (<usize>y << 2)) * <usize>(sw * c);
    const d = dst + <usize>y * rowBytes;
    if (c == 1) {
      for (let x = 0; x < dw; x++) store<u8>(d + <usize>x, load<u8>(row + <usize>load<i32>(xs + (<usize>x << 2))));
    } else {
      for (let x = 0; x < dw; x++) store<u32>(d + (<usize>x << 2), load<u32>(row + (<usize>load<i32>(xs + (<usize>x << 2)) << 2)));
    }
  }
}

/**
 * MixUp's blend as torch computes it on f32 batches: dst[i] = f32(a[i] * wa) + f32(b[i] * wb),
 * each product and the sum one binary32 operation (no fused multiply-add in WebAssembly).
 */
export function blendF32(a: usize, b: usize, n: i32, wa: f32, wb: f32, dst: usize): void {
  const va = f32x4.splat(wa), vb = f32x4.splat(wb);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, f32x4.add(f32x4.mul(v128.load(a + o), va), f32x4.mul(v128.load(b + o), vb)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, load<f32>(a + o) * wa + load<f32>(b + o) * wb);
  }
}

/**
 * ToDtype(float32) of an image: HWC u8 (w x h, c channels) to CHW f32, each value
 * f32(v) * scale in binary32 (torchvision: image.to(float32).mul_(1 / 255) when scaling).
 */
export function u8ToF32(src: usize, w: i32, h: i32, c: i32, scale: f32, dst: usize): void {
  const n = w * h;
  for (let ch = 0; ch < c; ch++) {
    const plane = dst + (<usize>(ch * n) << 2);
    for (let i = 0; i < n; i++) store<f32>(plane + (<usize>i << 2), <f32>load<u8>(src + <usize>(i * c + ch)) * scale);
  }
}

/**
 * ToDtype(uint8) of a CHW f32 tensor: HWC u8 with trunc(v * scale) (torchvision:
 * image.mul(255 + 1 - 1e-3).to(uint8) when scaling), saturated to [0, 255], NaN to 0.
 */
export function f32ToU8(src: usize, w: i32, h: i32, c: i32, scale: f32, dst: usize): void {
  const n = w * h;
  for (let ch = 0; ch < c; ch++) {
    const plane = src + (<usize>(ch * n) << 2);
    for (let i = 0; i < n; i++) {
      const v = load<f32>(plane + (<usize>i << 2)) * scale;
      store<u8>(dst + <usize>(i * c + ch), <u8>(v >= 255 ? 255 : v > 0 ? <i32>v : 0));
    }
  }
}

/** HWC channel change of n pixels: 1 -> 3 replicates, 4 -> 3 drops alpha (RGB). */
export function toRGB(src: usize, n: i32, c: i32, dst: usize): void {
  for (let i = 0; i < n; i++) {
    const s = src + <usize>(i * c);
    const d = dst + <usize>(i * 3);
    if (c == 1) {
      const v = load<u8>(s);
      store<u8>(d, v);
      store<u8>(d, v, 1);
      store<u8>(d, v, 2);
    } else {
      store<u8>(d, load<u8>(s));
      store<u8>(d, load<u8>(s, 1), 1);
      store<u8>(d, load<u8>(s, 2), 2);
    }
  }
}

export const GRID_AFFINE: i32 = 0;
export const GRID_PERSPECTIVE: i32 = 1;

/**
 * torchvision's warps of tensors (masks) with nearest interpolation: the float32 sampling
 * grid of _affine_grid / _perspective_grid and grid_sample(align_corners=False) as torch's
 * CPU kernels compute them, every step one binary32 operation:
 *   affine:      theta = f32(m[0..6]) / (w/2, h/2); base (x + (1 - dw)/2, y + (1 - dh)/2, 1);
 *                gx = (bx * t00 + by * t10) + t20 (t0j, t1j the divided columns), gy likewise
 *   perspective: theta1 = f32(m[0..6]) / (dw/2, dh/2), base (x + 0.5, y + 0.5, 1),
 *                gx = ((bx * a + by * b) + c) / ((bx * m6 + by * m7) + 1) - 1, gy likewise
 *   source = round_half_even(((g + 1) * (size / 2)) - 0.5), fill outside.
 * m holds 6 (affine: the inverse matrix) or 8 (perspective coefficients) f64; c bytes per
 * pixel (1 or 4), fill one pixel's bytes.
 */
export function gridNearest(src: usize, sw: i32, sh: i32, c: i32, dst: usize, dw: i32, dh: i32, kind: i32, m: usize, fill: usize): void {
  const persp = kind == GRID_PERSPECTIVE;
  const nw = <f32>0.5 * <f32>(persp ? dw : sw);
  const nh = <f32>0.5 * <f32>(persp ? dh : sh);
  const a0 = <f32>load<f64>(m) / nw, a1 = <f32>load<f64>(m, 8) / nw, a2 = <f32>load<f64>(m, 16) / nw;
  const b0 = <f32>load<f64>(m, 24) / nh, b1 = <f32>load<f64>(m, 32) / nh, b2 = <f32>load<f64>(m, 40) / nh;
  const p0 = persp ? <f32>load<f64>(m, 48) : <f32>0, p1 = persp ? <f32>load<f64>(m, 56) : <f32>0;
  const hx = <f32>sw / <f32>2, hy = <f32>sh / <f32>2;
  const rw: i32 = 1 - dw, rh: i32 = 1 - dh; // linspace((1 - n) / 2, (n - 1) / 2): exact half-integers
  const ox = persp ? <f32>0.5 : <f32>rw * <f32>0.5;
  const oy = persp ? <f32>0.5 : <f32>rh * <f32>0.5;
  for (let y = 0; y < dh; y++) {
    const by = <f32>y + oy;
    const d = dst + <usize>(y * dw * c);
    for (let x = 0; x < dw; x++) {
      const bx = <f32>x + ox;
      let gx = (bx * a0 + by * a1) + a2;
      let gy = (bx * b0 + by * b1) + b2;
      if (persp) {
        const den = (bx * p0 + by * p1) + <f32>1;
        gx = gx / den - <f32>1;
        gy = gy / den - <f32>1;
      }
      const ix = nearest<f32>((gx + <f32>1) * hx - <f32>0.5);
      const iy = nearest<f32>((gy + <f32>1) * hy - <f32>0.5);
      const o = d + <usize>(x * c);
      if (ix >= 0 && ix <= <f32>(sw - 1) && iy >= 0 && iy <= <f32>(sh - 1)) {
        const s = src + <usize>((<i32>iy * sw + <i32>ix) * c);
        if (c == 4) store<u32>(o, load<u32>(s));
        else store<u8>(o, load<u8>(s));
      } else if (c == 4) store<u32>(o, load<u32>(fill));
      else store<u8>(o, load<u8>(fill));
    }
  }
}
