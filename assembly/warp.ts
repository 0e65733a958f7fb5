// Affine, perspective and elastic warps after Pillow 12.3's src/libImaging/Geometry.c as
// torchvision calls it on PIL images (rotate, affine, perspective: the "pil" semantics),
// and the matrices they use. The tensor semantics' warps (grid_sample) are tvwarp.ts.
//
// - nearest, affine: Pillow's paths. a[1] == a[3] == 0 ("scale"): index tables from
//   Pillow's own f64 accumulation; corners within +-32768 ("fixed"): Pillow's 16.16 fixed
//   point (affine_fixed), bit for bit; otherwise Pillow's f64 accumulation (pilwarp.ts).
// - bilinear and perspective: Pillow's generic engine in binary64, operation for operation
//   (pilwarp.ts), so positions, the inside test and values are Pillow's exactly.
// - elastic: see elasticField / elasticWarp below.
// Matrices are built here in f64 with the kernel's own sin/cos/tan, so no engine math
// reaches a pixel. Buffers handed in by the host carry at least 16 bytes of slack after
// their end.

import { philox } from "./rng";
import { pilAffineFloat, pilGenericWarp } from "./pilwarp";

export const WARP_AFFINE: i32 = 0;
export const WARP_PERSPECTIVE: i32 = 1;
export const WARP_NEAREST: i32 = 0;
export const WARP_BILINEAR: i32 = 1;

/** Status codes returned to the host. */
export const WARP_OK: i32 = 0;
export const WARP_RANGE: i32 = 1;

const Q: i32 = 22; // fractional bits of source positions and bilinear weights
const QMASK: i64 = (1 << Q) - 1;
const QHALF: i64 = 1 << (Q - 1);
const QLIMIT: i64 = 1 << 20; // |position| beyond this many pixels is outside any image

const DEG: f64 = Math.PI / 180.0; // Python's math.radians: x * (pi / 180)

// ---------------------------------------------------------------------------------------
// Matrices (f64, exactly as the Python reference computes them)

/** Low part of the exact product a * b = p + low (Dekker's TwoProduct, no FMA). */
function twoProductLow(a: f64, b: f64, p: f64): f64 {
  const SPLIT: f64 = 134217729.0; // 2^27 + 1
  let c = SPLIT * a;
  const ah = c - (c - a);
  const al = a - ah;
  c = SPLIT * b;
  const bh = c - (c - b);
  const bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/** Python's round(x, 15) for |x| <= 1: the double nearest the correctly rounded decimal (half even). */
function round15(x: f64): f64 {
  if (x == 0.0 || !isFinite(x)) return x;
  const neg = x < 0.0;
  const ax = neg ? -x : x;
  const P: f64 = 1e15;
  const hi = ax * P;
  const lo = twoProductLow(ax, P, hi);
  const f = Math.floor(hi);
  const t = (hi - f - 0.5) + lo; // sign of (exact fraction - 1/2)
  let r = f;
  if (t > 0.0) r = f + 1.0;
  else if (t == 0.0 && f % 2.0 != 0.0) r = f + 1.0;
  const v = r / P;
  return neg ? -v : v;
}

/** Python's float modulo x % 360.0 (the result takes the sign of 360). */
export function pyMod360(x: f64): f64 {
  let m = x % 360.0;
  if (m != 0.0) {
    if (m < 0.0) m += 360.0;
  } else {
    m = 0.0;
  }
  return m;
}

/**
 * Pillow's Image.rotate(angle, expand, center) as torchvision calls it on a PIL image of
 * w x h. Returns the fast path Pillow takes: 0 = copy, 1/2/3 = rotate by 90/180/270
 * degrees counter-clockwise (transpose), -1 = affine warp with the inverse matrix written
 * to out[0..6] and the output width and height to out[6], out[7] (all f64).
 */
export function warpRotateMatrix(angleDeg: f64, w: i32, h: i32, cx: f64, cy: f64, hasCenter: i32, expand: i32, out: usize): i32 {
  const angle = pyMod360(angleDeg);
  if (!hasCenter) {
    if (angle == 0.0) return 0;
    if (angle == 180.0) return 2;
    if ((angle == 90.0 || angle == 270.0) && (expand || w == h)) return angle == 90.0 ? 1 : 3;
  }
  if (!hasCenter) {
    cx = <f64>w / 2.0;
    cy = <f64>h / 2.0;
  }
  const r = -(angle * DEG);
  const a = round15(Math.cos(r));
  const b = round15(Math.sin(r));
  const d = round15(-Math.sin(r));
  const e = round15(Math.cos(r));
  // matrix[2], matrix[5] = transform(-cx - 0, -cy - 0, matrix); then += centre
  const x0 = -cx - 0.0;
  const y0 = -cy - 0.0;
  let c = a * x0 + b * y0 + 0.0;
  let f = d * x0 + e * y0 + 0.0;
  c += cx;
  f += cy;
  let nw = <f64>w;
  let nh = <f64>h;
  if (expand) {
    let minx = Infinity, maxx = -Infinity, miny = Infinity, maxy = -Infinity;
    for (let k = 0; k < 4; k++) {
      const px = k == 1 || k == 2 ? <f64>w : 0.0;
      const py = k >= 2 ? <f64>h : 0.0;
      const tx = a * px + b * py + c;
      const ty = d * px + e * py + f;
      // Python's max/min keep the first of equal values; equal values are equal here.
      if (tx < minx) minx = tx;
      if (tx > maxx) maxx = tx;
      if (ty < miny) miny = ty;
      if (ty > maxy) maxy = ty;
    }
    nw = Math.ceil(maxx) - Math.floor(minx);
    nh = Math.ceil(maxy) - Math.floor(miny);
    const ox = -(nw - <f64>w) / 2.0;
    const oy = -(nh - <f64>h) / 2.0;
    const c2 = a * ox + b * oy + c;
    const f2 = d * ox + e * oy + f;
    c = c2;
    f = f2;
  }
  storeMatrix(out, a, b, c, d, e, f);
  store<f64>(out, nw, 48);
  store<f64>(out, nh, 56);
  return -1;
}

/**
 * torchvision's _get_inverse_affine_matrix(center, angle, translate, scale, shear) with
 * inverted=True (angles in degrees): the 6 coefficients Pillow's AFFINE transform takes.
 */
export function warpAffineMatrix(cx: f64, cy: f64, angle: f64, tx: f64, ty: f64, scale: f64, shx: f64, shy: f64, out: usize): void {
  // torchvision.transforms.functional's (v1) order of operations, which "pil" follows.
  const rot = angle * DEG;
  const sx = shx * DEG;
  const sy = shy * DEG;
  const a = Math.cos(rot - sy) / Math.cos(sy);
  const b = -Math.cos(rot - sy) * Math.tan(sx) / Math.cos(sy) - Math.sin(rot);
  const c = Math.sin(rot - sy) / Math.cos(sy);
  const d = -Math.sin(rot - sy) * Math.tan(sx) / Math.cos(sy) + Math.cos(rot);
  const m0 = d / scale;
  const m1 = -b / scale;
  let m2 = 0.0 / scale;
  const m3 = -c / scale;
  const m4 = a / scale;
  let m5 = 0.0 / scale;
  m2 += m0 * (-cx - tx) + m1 * (-cy - ty);
  m5 += m3 * (-cx - tx) + m4 * (-cy - ty);
  m2 += cx;
  m5 += cy;
  storeMatrix(out, m0, m1, m2, m3, m4, m5);
}

/**
 * The same matrix as torchvision.transforms.v2.functional computes it (0.28 reorders the
 * operations, so the last bits can differ): what "tensor" follows.
 */
export function warpAffineMatrixV2(cx: f64, cy: f64, angle: f64, tx: f64, ty: f64, scale: f64, shx: f64, shy: f64, out: usize): void {
  tvAffineMatrix(cx, cy, angle, tx, ty, scale, shx, shy, true, out);
}

/**
 * torchvision 0.28's _get_inverse_affine_matrix(center, angle, translate, scale, shear,
 * inverted) in its own order of operations (f64, angles in degrees): 6 f64 to out. The
 * tensor warps take the inverted matrix, the box and key point kernels (targets.ts) the
 * forward one.
 */
export function tvAffineMatrix(cx: f64, cy: f64, angle: f64, tx: f64, ty: f64, scale: f64, shx: f64, shy: f64, inverted: bool, out: usize): void {
  const rot = angle * DEG;
  const sx = shx * DEG;
  const sy = shy * DEG;
  const cosSy = Math.cos(sy);
  const tanSx = Math.tan(sx);
  const rotMinusSy = rot - sy;
  const cxPlusTx = cx + tx;
  const cyPlusTy = cy + ty;
  const a = Math.cos(rotMinusSy) / cosSy;
  const b = -(a * tanSx + Math.sin(rot));
  const c = Math.sin(rotMinusSy) / cosSy;
  const d = Math.cos(rot) - c * tanSx;
  if (inverted) {
    const m0 = d / scale;
    const m1 = -b / scale;
    const m3 = -c / scale;
    const m4 = a / scale;
    storeMatrix(out, m0, m1, 0.0 + (cx - m0 * cxPlusTx - m1 * cyPlusTy), m3, m4, 0.0 + (cy - m3 * cxPlusTx - m4 * cyPlusTy));
  } else {
    const m0 = a * scale;
    const m1 = b * scale;
    const m3 = c * scale;
    const m4 = d * scale;
    storeMatrix(out, m0, m1, 0.0 + (cxPlusTx - m0 * cx - m1 * cy), m3, m4, 0.0 + (cyPlusTy - m3 * cx - m4 * cy));
  }
}

/** Writes the 6 f64 of an affine matrix (a, b, c, d, e, f) to out. */
// @ts-ignore: decorator
@inline function storeMatrix(out: usize, a: f64, b: f64, c: f64, d: f64, e: f64, f: f64): void {
  store<f64>(out, a);
  store<f64>(out, b, 8);
  store<f64>(out, c, 16);
  store<f64>(out, d, 24);
  store<f64>(out, e, 32);
  store<f64>(out, f, 40);
}

/**
 * torchvision's _get_perspective_coeffs: the 8 coefficients mapping output to input for
 * startpoints -> endpoints (pts: 8 f64 start x,y then 8 f64 end x,y). torchvision solves
 * the 8 x 8 system by float32 least squares; this solves it in f64 (Gaussian elimination
 * with partial pivoting) and rounds to f32. Writes 8 f64 to out; returns 1 when singular.
 */
export function warpPerspectiveCoeffs(pts: usize, out: usize, scratch: usize): i32 {
  const A = scratch; // 8 x 9 augmented, f64
  for (let i = 0; i < 4; i++) {
    const sx = load<f64>(pts + (<usize>(2 * i) << 3));
    const sy = load<f64>(pts + (<usize>(2 * i + 1) << 3));
    const ex = load<f64>(pts + (<usize>(8 + 2 * i) << 3));
    const ey = load<f64>(pts + (<usize>(8 + 2 * i + 1) << 3));
    const r0 = A + <usize>(2 * i) * 72;
    const r1 = r0 + 72;
    store<f64>(r0, ex); store<f64>(r0, ey, 8); store<f64>(r0, 1.0, 16);
    store<f64>(r0, 0.0, 24); store<f64>(r0, 0.0, 32); store<f64>(r0, 0.0, 40);
    store<f64>(r0, -sx * ex, 48); store<f64>(r0, -sx * ey, 56); store<f64>(r0, sx, 64);
    store<f64>(r1, 0.0); store<f64>(r1, 0.0, 8); store<f64>(r1, 0.0, 16);
    store<f64>(r1, ex, 24); store<f64>(r1, ey, 32); store<f64>(r1, 1.0, 40);
    store<f64>(r1, -sy * ex, 48); store<f64>(r1, -sy * ey, 56); store<f64>(r1, sy, 64);
  }
  for (let col = 0; col < 8; col++) {
    let piv = col;
    let best = Math.abs(load<f64>(A + <usize>(col * 72 + col * 8)));
    for (let r = col + 1; r < 8; r++) {
      const v = Math.abs(load<f64>(A + <usize>(r * 72 + col * 8)));
      if (v > best) {
        best = v;
        piv = r;
      }
    }
    if (!(best > 0.0)) return 1;
    if (piv != col) {
      for (let k = 0; k < 9; k++) {
        const p = A + <usize>(col * 72 + k * 8);
        const q = A + <usize>(piv * 72 + k * 8);
        const t = load<f64>(p);
        store<f64>(p, load<f64>(q));
        store<f64>(q, t);
      }
    }
    const pv = load<f64>(A + <usize>(col * 72 + col * 8));
    for (let r = col + 1; r < 8; r++) {
      const f = load<f64>(A + <usize>(r * 72 + col * 8)) / pv;
      if (f == 0.0) continue;
      for (let k = col; k < 9; k++) {
        const p = A + <usize>(r * 72 + k * 8);
        store<f64>(p, load<f64>(p) - f * load<f64>(A + <usize>(col * 72 + k * 8)));
      }
    }
  }
  for (let r = 7; r >= 0; r--) {
    let s = load<f64>(A + <usize>(r * 72 + 64));
    for (let k = r + 1; k < 8; k++) s -= load<f64>(A + <usize>(r * 72 + k * 8)) * load<f64>(out + (<usize>k << 3));
    const v = s / load<f64>(A + <usize>(r * 72 + r * 8));
    if (!isFinite(v)) return 1;
    store<f64>(out + (<usize>r << 3), v);
  }
  for (let k = 0; k < 8; k++) {
    const p = out + (<usize>k << 3);
    store<f64>(p, <f64><f32>load<f64>(p));
  }
  return 0;
}

// ---------------------------------------------------------------------------------------
// Pixels

// @ts-ignore: decorator
@inline function putPixel(dst: usize, src: usize, c: i32): void {
  if (c == 4) {
    store<u32>(dst, load<u32>(src));
  } else if (c == 3) {
    store<u16>(dst, load<u16>(src));
    store<u8>(dst, load<u8>(src, 2), 2);
  } else {
    store<u8>(dst, load<u8>(src));
  }
}

/** Pillow's COORD for an index into [0, n): -1 when outside (also for huge values). */
// @ts-ignore: decorator
@inline function coord(v: f64, n: i32): i32 {
  if (v < 0.0 || v >= <f64>n) return -1;
  return <i32>v;
}

/** Pillow's ImagingScaleAffine (a[1] == a[3] == 0): index tables from f64 accumulation. */
function scaleAffine(src: usize, sw: i32, sh: i32, c: i32, dst: usize, dw: i32, dh: i32, a: usize, fill: usize, scratch: usize): void {
  const a0 = load<f64>(a), a2 = load<f64>(a, 16), a4 = load<f64>(a, 32), a5 = load<f64>(a, 40);
  const xs = scratch;
  let xo = a2 + a0 * 0.5;
  for (let x = 0; x < dw; x++) {
    store<i32>(xs + (<usize>x << 2), coord(xo, sw));
    xo += a0;
  }
  let yo = a5 + a4 * 0.5;
  const srcStride = <usize>(sw * c);
  for (let y = 0; y < dh; y++) {
    const yi = coord(yo, sh);
    let d = dst + <usize>y * <usize>(dw * c);
    if (yi < 0) {
      for (let x = 0; x < dw; x++, d += <usize>c) putPixel(d, fill, c);
    } else {
      const row = src + <usize>yi * srcStride;
      for (let x = 0; x < dw; x++, d += <usize>c) {
        const xi = load<i32>(xs + (<usize>x << 2));
        putPixel(d, xi < 0 ? fill : row + <usize>(xi * c), c);
      }
    }
    yo += a4;
  }
}

// @ts-ignore: decorator
@inline function checkFixed(a0: f64, a1: f64, a2: f64, a3: f64, a4: f64, a5: f64, x: i32, y: i32): bool {
  const fx = <f64>x, fy = <f64>y;
  return Math.abs(fx * a0 + fy * a1 + a2) < 32768.0 && Math.abs(fx * a3 + fy * a4 + a5) < 32768.0;
}

// @ts-ignore: decorator
@inline function fix16(v: f64): i32 {
  return <i32>Math.floor(v * 65536.0 + 0.5);
}

/** Pillow's affine_fixed: 16.16 fixed point, nearest. */
function affineFixed(src: usize, sw: i32, sh: i32, c: i32, dst: usize, dw: i32, dh: i32, a: usize, fill: usize): void {
  const a0 = load<f64>(a), a1 = load<f64>(a, 8), a2 = load<f64>(a, 16);
  const a3 = load<f64>(a, 24), a4 = load<f64>(a, 32), a5 = load<f64>(a, 40);
  const f0 = fix16(a0), f1 = fix16(a1), f3 = fix16(a3), f4 = fix16(a4);
  let f2 = fix16(a2 + a0 * 0.5 + a1 * 0.5);
  let f5 = fix16(a5 + a3 * 0.5 + a4 * 0.5);
  const srcStride = sw * c;
  let d = dst;
  for (let y = 0; y < dh; y++) {
    let xx = f2, yy = f5;
    let x = 0;
    // Four positions per vector: the bounds test and the offset in SIMD, the copies scalar.
    if (dw >= 4) {
      const stepX = i32x4.splat(f0 << 2);
      const stepY = i32x4.splat(f3 << 2);
      let vx = i32x4.add(i32x4.splat(xx), i32x4.mul(i32x4(0, 1, 2, 3), i32x4.splat(f0)));
      let vy = i32x4.add(i32x4.splat(yy), i32x4.mul(i32x4(0, 1, 2, 3), i32x4.splat(f3)));
      const wv = i32x4.splat(sw), hv = i32x4.splat(sh), cv = i32x4.splat(c), sv = i32x4.splat(srcStride);
      const minus1 = i32x4.splat(-1);
      for (; x + 4 <= dw; x += 4) {
        const xi = i32x4.shr_s(vx, 16);
        const yi = i32x4.shr_s(vy, 16);
        const inside = v128.and(
          v128.and(i32x4.ge_s(xi, i32x4.splat(0)), i32x4.lt_s(xi, wv)),
          v128.and(i32x4.ge_s(yi, i32x4.splat(0)), i32x4.lt_s(yi, hv)),
        );
        const off = v128.bitselect(i32x4.add(i32x4.mul(yi, sv), i32x4.mul(xi, cv)), minus1, inside);
        const o0 = i32x4.extract_lane(off, 0), o1 = i32x4.extract_lane(off, 1);
        const o2 = i32x4.extract_lane(off, 2), o3 = i32x4.extract_lane(off, 3);
        putPixel(d, o0 < 0 ? fill : src + <usize>o0, c);
        putPixel(d + <usize>c, o1 < 0 ? fill : src + <usize>o1, c);
        putPixel(d + <usize>(2 * c), o2 < 0 ? fill : src + <usize>o2, c);
        putPixel(d + <usize>(3 * c), o3 < 0 ? fill : src + <usize>o3, c);
        d += <usize>(4 * c);
        vx = i32x4.add(vx, stepX);
        vy = i32x4.add(vy, stepY);
      }
      xx += x * f0;
      yy += x * f3;
    }
    for (; x < dw; x++, d += <usize>c) {
      const xi = xx >> 16;
      const yi = yy >> 16;
      if (xi >= 0 && xi < sw && yi >= 0 && yi < sh) putPixel(d, src + <usize>(yi * srcStride + xi * c), c);
      else putPixel(d, fill, c);
      xx += f0;
      yy += f3;
    }
    f2 += f1;
    f5 += f4;
  }
}

// @ts-ignore: decorator
@inline function widen4(p: usize): v128 {
  return i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(p)));
}

/** Bytes of scratch `warp` needs for an output dw pixels wide. */
export function warpScratch(dw: i32): usize {
  const w: i32 = dw > 0 ? dw : 0;
  return (<usize>w << 2) + 16;
}

/**
 * Warps src (sw x sh, c channels) into dst (dw x dh): each output pixel centre maps to
 * the source through `kind` (affine: 6 f64 at `coeffs`; perspective: 8 f64), sampled by
 * `filter`; outside positions take the c fill bytes. Returns WARP_RANGE when the
 * coefficients are too large for the fixed-point range (nothing written then).
 */
export function warp(src: usize, sw: i32, sh: i32, c: i32, dst: usize, dw: i32, dh: i32, coeffs: usize, kind: i32, filter: i32, fill: usize, scratch: usize): i32 {
  const bilinear = filter == WARP_BILINEAR;
  if (kind == WARP_PERSPECTIVE || bilinear) {
    pilGenericWarp(src, sw, sh, c, dst, dw, dh, coeffs, kind == WARP_PERSPECTIVE, bilinear, fill);
    return WARP_OK;
  }
  {
    const a0 = load<f64>(coeffs), a1 = load<f64>(coeffs, 8), a2 = load<f64>(coeffs, 16);
    const a3 = load<f64>(coeffs, 24), a4 = load<f64>(coeffs, 32), a5 = load<f64>(coeffs, 40);
    if (a1 == 0.0 && a3 == 0.0) {
      scaleAffine(src, sw, sh, c, dst, dw, dh, coeffs, fill, scratch);
      return WARP_OK;
    }
    if (checkFixed(a0, a1, a2, a3, a4, a5, 0, 0) && checkFixed(a0, a1, a2, a3, a4, a5, dw, dh) &&
        checkFixed(a0, a1, a2, a3, a4, a5, 0, dh) && checkFixed(a0, a1, a2, a3, a4, a5, dw, 0)) {
      affineFixed(src, sw, sh, c, dst, dw, dh, coeffs, fill);
      return WARP_OK;
    }
  }
  pilAffineFloat(src, sw, sh, c, dst, dw, dh, coeffs, fill);
  return WARP_OK;
}

/**
 * Pillow's transposes for Image.rotate's fast paths: quarter = 1, 2, 3 rotates src
 * (w x h) by 90, 180, 270 degrees counter-clockwise into dst (h x w for odd quarters).
 */
export function rotate90(src: usize, w: i32, h: i32, c: i32, quarter: i32, dst: usize): void {
  const ow = quarter == 2 ? w : h;
  for (let y = 0; y < h; y++) {
    let s = src + <usize>(y * w * c);
    for (let x = 0; x < w; x++, s += <usize>c) {
      let oy: i32, ox: i32;
      if (quarter == 1) {
        oy = w - 1 - x;
        ox = y;
      } else if (quarter == 2) {
        oy = h - 1 - y;
        ox = w - 1 - x;
      } else {
        oy = x;
        ox = h - 1 - y;
      }
      const d = dst + <usize>((oy * ow + ox) * c);
      for (let k = 0; k < c; k++) store<u8>(d + k, load<u8>(s + k));
    }
  }
}

// ---------------------------------------------------------------------------------------
// Elastic: a displacement field drawn per pixel from Philox, blurred, then sampled the way
// torchvision's grid_sample does (align_corners=False, zero padding, then mixed with the
// fill by the interpolated mask: img * mask + (1 - mask) * fill, rounded half to even).

const ELASTIC_TAG: u32 = 0x656c6173; // "elas"

/** Reflect index (torch's "reflect" padding; the pattern repeats past one reflection). */
// @ts-ignore: decorator
@inline function reflect(i: i32, n: i32): i32 {
  if (n == 1) return 0;
  const p = 2 * n - 2;
  let m = i % p;
  if (m < 0) m += p;
  return m < n ? m : p - m;
}

/** Gaussian weights of torchvision's _get_gaussian_kernel1d as Q14 integers. */
function gaussWeights(k: i32, sigma: f64, out: usize): void {
  const half = <f64>(k - 1) * 0.5;
  let sum = 0.0;
  for (let i = 0; i < k; i++) {
    const x = (-half + <f64>i) / sigma;
    sum += Math.exp(-0.5 * x * x);
  }
  for (let i = 0; i < k; i++) {
    const x = (-half + <f64>i) / sigma;
    store<i32>(out + (<usize>i << 2), <i32>Math.floor(Math.exp(-0.5 * x * x) / sum * 16384.0 + 0.5));
  }
}

/**
 * Separable blur of a Q16 plane (w x h i32, |v| <= 2^16) in place: rows with kernel kx
 * (weights at wx, Q14), then columns with ky (wy), reflect border; each pass floors back
 * to Q16. Sums stay within i32 (2^16 * 2^14 * (1 + rounding)), four columns per vector.
 * `pad` holds a row plus both borders, `tmp` the intermediate plane.
 */
function blurPlane(p: usize, w: i32, h: i32, kx: i32, wx: usize, ky: i32, wy: usize, tmp: usize, pad: usize): void {
  const hx = kx >> 1, hy = ky >> 1;
  for (let y = 0; y < h; y++) {
    const row = p + <usize>(y * w) * 4;
    for (let i = 0; i < w + 2 * hx; i++) store<i32>(pad + (<usize>i << 2), load<i32>(row + (<usize>reflect(i - hx, w) << 2)));
    const o = tmp + <usize>(y * w) * 4;
    let x = 0;
    for (; x + 4 <= w; x += 4) {
      let acc = i32x4.splat(0);
      for (let i = 0; i < kx; i++) acc = i32x4.add(acc, i32x4.mul(v128.load(pad + (<usize>(x + i) << 2)), i32x4.splat(load<i32>(wx + (<usize>i << 2)))));
      v128.store(o + (<usize>x << 2), i32x4.shr_s(acc, 14));
    }
    for (; x < w; x++) {
      let s = 0;
      for (let i = 0; i < kx; i++) s += load<i32>(pad + (<usize>(x + i) << 2)) * load<i32>(wx + (<usize>i << 2));
      store<i32>(o + (<usize>x << 2), s >> 14);
    }
  }
  // Columns: one output row at a time, tap by tap over whole rows (sequential reads),
  // accumulating in `pad` (w i32).
  const acc = pad;
  for (let y = 0; y < h; y++) {
    memory.fill(acc, 0, <usize>w << 2);
    for (let i = 0; i < ky; i++) {
      const r = tmp + <usize>(reflect(y + i - hy, h) * w) * 4;
      const wv = load<i32>(wy + (<usize>i << 2));
      const v = i32x4.splat(wv);
      let x = 0;
      for (; x + 4 <= w; x += 4) {
        const a = acc + (<usize>x << 2);
        v128.store(a, i32x4.add(v128.load(a), i32x4.mul(v128.load(r + (<usize>x << 2)), v)));
      }
      for (; x < w; x++) {
        const a = acc + (<usize>x << 2);
        store<i32>(a, load<i32>(a) + load<i32>(r + (<usize>x << 2)) * wv);
      }
    }
    const o = p + <usize>(y * w) * 4;
    let x = 0;
    for (; x + 4 <= w; x += 4) v128.store(o + (<usize>x << 2), i32x4.shr_s(v128.load(acc + (<usize>x << 2)), 14));
    for (; x < w; x++) store<i32>(o + (<usize>x << 2), load<i32>(acc + (<usize>x << 2)) >> 14);
  }
}

/** torchvision's kernel size for ElasticTransform: int(8 sigma + 1), made odd. */
function elasticKsize(sigma: f64): i32 {
  let k = <i32>(8.0 * sigma + 1.0);
  if (k % 2 == 0) k++;
  return k;
}

/** Bytes of scratch `elasticField` needs. */
export function elasticScratch(w: i32, h: i32, sigmaX: f64, sigmaY: f64): usize {
  const kx = elasticKsize(sigmaX), ky = elasticKsize(sigmaY);
  const k = kx > ky ? kx : ky;
  return (<usize>w * <usize>h) * 8 + (<usize>(kx + ky + kx + ky) << 2) + (<usize>(w + k + (h > k ? h : k)) << 2) + 128;
}

/**
 * The displacement field of ElasticTransform, as torchvision's get_params shapes it, from
 * keyed noise: for plane p (0 = x, 1 = y) pixel i takes word i & 3 of the Philox block
 * (i >> 2, 0, p, "elas") under (k0, k1), uniform in [-1, 1) with 16 bits; both planes
 * are blurred by Gaussians of size int(8 sigma + 1) (odd), sigma (sigmaX along rows,
 * sigmaY along columns, reflect border; Q14 weights), then scaled by alpha / height (x)
 * and alpha / width (y) in grid units, i.e. alpha * width / (2 height) and
 * alpha * height / (2 width) pixels. Writes the pixel offsets with Q fractional bits:
 * w*h i64 x, then w*h i64 y.
 */
export function elasticField(k0: u32, k1: u32, w: i32, h: i32, alphaX: f64, alphaY: f64, sigmaX: f64, sigmaY: f64, field: usize, scratch: usize): void {
  const n = w * h;
  const plane = scratch;
  const tmp = plane + <usize>n * 4;
  const kx = elasticKsize(sigmaX), ky = elasticKsize(sigmaY);
  const wxx = tmp + <usize>n * 4; // x-plane kernels: along rows (size kx, sigmaX), along columns (kx, sigmaY)
  const wxy = wxx + (<usize>kx << 2);
  const wyx = wxy + (<usize>kx << 2); // y-plane kernels (size ky)
  const wyy = wyx + (<usize>ky << 2);
  const words = (wyy + (<usize>ky << 2) + 15) & ~<usize>15;
  const pad = words + 16;
  gaussWeights(kx, sigmaX, wxx);
  gaussWeights(kx, sigmaY, wxy);
  gaussWeights(ky, sigmaX, wyx);
  gaussWeights(ky, sigmaY, wyy);
  for (let p = 0; p < 2; p++) {
    for (let b = 0; b < n; b += 4) {
      philox(<u32>(b >> 2), 0, <u32>p, ELASTIC_TAG, k0, k1, words);
      for (let j = 0; j < 4 && b + j < n; j++) {
        const u = <i32>(load<u32>(words + (<usize>j << 2)) >>> 16);
        store<i32>(plane + (<usize>(b + j) << 2), (u << 1) - (1 << 16));
      }
    }
    if (p == 0) blurPlane(plane, w, h, kx, wxx, kx, wxy, tmp, pad);
    else blurPlane(plane, w, h, ky, wyx, ky, wyy, tmp, pad);
    // grid units -> pixels: x * alpha / size[0] * (W / 2), y * alpha / size[1] * (H / 2)
    const factor = p == 0 ? alphaX / <f64>h * (<f64>w / 2.0) : alphaY / <f64>w * (<f64>h / 2.0);
    const out = field + (<usize>p * <usize>n) * 8;
    for (let i = 0; i < n; i++) {
      const v = <f64>load<i32>(plane + (<usize>i << 2)) / 65536.0 * factor;
      store<i64>(out + (<usize>i << 3), clampQ(v));
    }
  }
}

/** A pixel offset as Q fixed point, clamped to +-QLIMIT pixels (NaN -> 0). */
function clampQ(v: f64): i64 {
  const lim = <f64>QLIMIT;
  if (!(v > -lim)) v = v != v ? 0.0 : -lim;
  if (v > lim) v = lim;
  return <i64>Math.floor(v * <f64>(1 << Q) + 0.5);
}

/**
 * torchvision's displacement tensor ([1, H, W, 2] f32 in grid units) as the pixel
 * offsets of `elasticField`: d_x * W / 2 and d_y * H / 2.
 */
export function elasticFromDisplacement(disp: usize, w: i32, h: i32, field: usize): void {
  const n = w * h;
  for (let i = 0; i < n; i++) {
    const dx = <f64>load<f32>(disp + (<usize>i << 3));
    const dy = <f64>load<f32>(disp + (<usize>i << 3), 4);
    store<i64>(field + (<usize>i << 3), clampQ(dx * (<f64>w / 2.0)));
    store<i64>(field + (<usize>(n + i) << 3), clampQ(dy * (<f64>h / 2.0)));
  }
}

/** Round half to even of v / 2^44 for 0 <= v < 2^53. */
// @ts-ignore: decorator
@inline function roundEven44(v: i64): i32 {
  const q = v >> 44;
  const r = v & ((<i64>1 << 44) - 1);
  const half = <i64>1 << 43;
  return <i32>(r > half || (r == half && (q & 1) != 0) ? q + 1 : q);
}

/**
 * Samples src (w x h, c channels) at (x + dx, y + dy) for every pixel, offsets from
 * `field` (Q fixed point), as grid_sample with align_corners=False: nearest rounds half
 * to even and takes the fill outside; bilinear weighs the four taps (Q11 x Q11), taps
 * outside count as 0 in both the value I and the mask m, and the output is
 * round(I * m + (1 - m) * fill).
 */
export function elasticWarp(src: usize, w: i32, h: i32, c: i32, field: usize, filter: i32, fill: usize, dst: usize): void {
  const n = w * h;
  const stride = w * c;
  const ONE: i32 = 1 << 11;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const d = dst + <usize>(i * c);
      const X = (<i64>x << Q) + load<i64>(field + (<usize>i << 3));
      const Y = (<i64>y << Q) + load<i64>(field + (<usize>(n + i) << 3));
      if (filter == WARP_NEAREST) {
        let xi = X >> Q, yi = Y >> Q;
        const fx = X & QMASK, fy = Y & QMASK;
        if (fx > QHALF || (fx == QHALF && (xi & 1) != 0)) xi++;
        if (fy > QHALF || (fy == QHALF && (yi & 1) != 0)) yi++;
        if (xi >= 0 && xi < <i64>w && yi >= 0 && yi < <i64>h) putPixel(d, src + <usize>(<i32>yi * stride + <i32>xi * c), c);
        else putPixel(d, fill, c);
        continue;
      }
      const x0 = X >> Q, y0 = Y >> Q;
      const wx = <i32>((X & QMASK) >> 11), wy = <i32>((Y & QMASK) >> 11);
      if (x0 >= 0 && x0 + 1 < <i64>w && y0 >= 0 && y0 + 1 < <i64>h) {
        // All four taps inside: the mask is 1, out = round_half_even(I / 2^22) in i32.
        const a00 = (ONE - wx) * (ONE - wy), a10 = wx * (ONE - wy), a01 = (ONE - wx) * wy, a11 = wx * wy;
        const q = src + <usize>(<i32>y0 * stride + <i32>x0 * c);
        if (c == 1) {
          const I = a00 * <i32>load<u8>(q) + a10 * <i32>load<u8>(q, 1) + a01 * <i32>load<u8>(q + <usize>stride) + a11 * <i32>load<u8>(q + <usize>stride, 1);
          store<u8>(d, <u8>((I + (1 << 21) - 1 + ((I >> 22) & 1)) >> 22));
        } else {
          const I = i32x4.add(
            i32x4.add(i32x4.mul(widen4(q), i32x4.splat(a00)), i32x4.mul(widen4(q + <usize>c), i32x4.splat(a10))),
            i32x4.add(i32x4.mul(widen4(q + <usize>stride), i32x4.splat(a01)), i32x4.mul(widen4(q + <usize>(stride + c)), i32x4.splat(a11))),
          );
          const odd = v128.and(i32x4.shr_s(I, 22), i32x4.splat(1));
          const r = i32x4.shr_s(i32x4.add(I, i32x4.add(i32x4.splat((1 << 21) - 1), odd)), 22);
          const n16 = i16x8.narrow_i32x4_s(r, r);
          // a 3-channel store spills one byte onto the next pixel, written after it
          v128.store32_lane(d, i8x16.narrow_i16x8_u(n16, n16), 0);
        }
        continue;
      }
      const in0 = x0 >= 0 && x0 < <i64>w, in1 = x0 + 1 >= 0 && x0 + 1 < <i64>w;
      const jn0 = y0 >= 0 && y0 < <i64>h, jn1 = y0 + 1 >= 0 && y0 + 1 < <i64>h;
      const w00 = in0 && jn0 ? (ONE - wx) * (ONE - wy) : 0;
      const w10 = in1 && jn0 ? wx * (ONE - wy) : 0;
      const w01 = in0 && jn1 ? (ONE - wx) * wy : 0;
      const w11 = in1 && jn1 ? wx * wy : 0;
      const m = <i64>(w00 + w10 + w01 + w11);
      const px0 = <i32>x0 * c, py0 = <i32>y0 * stride;
      for (let k = 0; k < c; k++) {
        let s: i64 = 0;
        if (w00) s += <i64>w00 * <i64>load<u8>(src + <usize>(py0 + px0 + k));
        if (w10) s += <i64>w10 * <i64>load<u8>(src + <usize>(py0 + px0 + c + k));
        if (w01) s += <i64>w01 * <i64>load<u8>(src + <usize>(py0 + stride + px0 + k));
        if (w11) s += <i64>w11 * <i64>load<u8>(src + <usize>(py0 + stride + px0 + c + k));
        const v = s * m + <i64>load<u8>(fill + k) * ((<i64>1 << 22) - m) * (<i64>1 << 22);
        store<u8>(d + k, <u8>roundEven44(v));
      }
    }
  }
}
