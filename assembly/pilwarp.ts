// Pillow's transform engines (Geometry.c) in binary64, operation for operation, so that
// every source position, every inside/outside test and every bilinear value is Pillow's:
// the "pil" warps (rotate, affine, perspective as torchvision calls them on PIL images).
// WebAssembly's f64 + - * / are IEEE 754 round-to-nearest with no fused multiply-add and
// no extra precision, which is what Pillow's x86-64 build (SSE2, no FMA) computes, so the
// bytes are the same on every engine.
//
// - generic (ImagingGenericTransform): bilinear affine, and perspective. Each output pixel
//   (x, y) maps through affine_transform `a0 * xin + a1 * yin + a2` or perspective_transform
//   `(a0 * xin + a1 * yin + a2) / (a6 * xin + a7 * yin + 1)`, xin = x + 0.5, yin = y + 0.5.
//   nearest_filter: COORD (truncation; outside unless 0 <= v < size); bilinear_filter:
//   outside unless 0 <= v < size on both axes (on the unshifted position, exactly as
//   Pillow tests it), then v - 0.5, FLOOR, dx = v - x, edge-clamped taps,
//   v1 = a + (b - a) * dx per row, no second row past the bottom, v1 + (v2 - v1) * dy,
//   truncated. A position Pillow computes as NaN (0 / 0) takes the fill here.
// - float (ImagingTransformAffine's last path, nearest affine beyond the 16.16 range):
//   positions accumulated by adding a0 / a3 per pixel and a1 / a4 per row, COORD.
// Channels are independent (for RGBA, Pillow premultiplies alpha around bilinear
// transforms; lockstep keeps the channels apart, as for resize).

// @ts-ignore: decorator
@inline function putFill(d: usize, fill: usize, c: i32): void {
  for (let k = 0; k < c; k++) store<u8>(d + <usize>k, load<u8>(fill + <usize>k));
}

/** Four bytes at p as i32x4. */
// @ts-ignore: decorator
@inline function widen(p: usize): v128 {
  return i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(p)));
}

/** Lanes 2 and 3 of an i32x4 moved to lanes 0 and 1. */
// @ts-ignore: decorator
@inline function high(v: v128): v128 {
  return i64x2.shuffle(v, v, 1, 1);
}

/** (a + ba * dx) + ((e + ge * dx) - (a + ba * dx)) * dy on two lanes, each operation rounded as binary64. */
// @ts-ignore: decorator
@inline function lerp2(a: v128, ba: v128, e: v128, ge: v128, dx: v128, dy: v128): v128 {
  const v1 = f64x2.add(a, f64x2.mul(ba, dx));
  const v2 = f64x2.add(e, f64x2.mul(ge, dx));
  return f64x2.add(v1, f64x2.mul(f64x2.sub(v2, v1), dy));
}

/** Pillow's bilinear_filter at (xx, yy) into d (c bytes); false when outside. */
// @ts-ignore: decorator
@inline function bilinear(src: usize, sw: i32, sh: i32, c: i32, xx: f64, yy: f64, d: usize): bool {
  if (!(xx >= 0.0 && xx < <f64>sw && yy >= 0.0 && yy < <f64>sh)) return false;
  const xi = xx - 0.5;
  const yi = yy - 0.5;
  const fx = Math.floor(xi);
  const fy = Math.floor(yi);
  const x = <i32>fx;
  const y = <i32>fy;
  const dx = xi - fx;
  const dy = yi - fy;
  const stride = <usize>(sw * c);
  if (x >= 0 && x + 1 < sw && y >= 0 && y + 1 < sh) {
    // All four taps inside (most pixels): no clamping, no missing row.
    const p0 = src + <usize>y * stride + <usize>(x * c);
    const p1 = p0 + stride;
    const cu = <usize>c;
    // 3 or 4 channels in two f64x2 halves: the same binary64 operations per lane. A 3-channel
    // tap reads one byte past its pixel, so not at the very last pixel of the image.
    if (c == 4 || (c == 3 && (x + 2 < sw || y + 2 < sh))) {
      const a = widen(p0), b = widen(p0 + cu), e = widen(p1), g = widen(p1 + cu);
      const ba = i32x4.sub(b, a), ge = i32x4.sub(g, e);
      const dxv = f64x2.splat(dx), dyv = f64x2.splat(dy);
      const lo = lerp2(f64x2.convert_low_i32x4_s(a), f64x2.convert_low_i32x4_s(ba), f64x2.convert_low_i32x4_s(e), f64x2.convert_low_i32x4_s(ge), dxv, dyv);
      const hi = lerp2(f64x2.convert_low_i32x4_s(high(a)), f64x2.convert_low_i32x4_s(high(ba)), f64x2.convert_low_i32x4_s(high(e)), f64x2.convert_low_i32x4_s(high(ge)), dxv, dyv);
      const r = i64x2.shuffle(i32x4.trunc_sat_f64x2_s_zero(lo), i32x4.trunc_sat_f64x2_s_zero(hi), 0, 2);
      store<u8>(d, <u8>i32x4.extract_lane(r, 0));
      store<u8>(d, <u8>i32x4.extract_lane(r, 1), 1);
      store<u8>(d, <u8>i32x4.extract_lane(r, 2), 2);
      if (c == 4) store<u8>(d, <u8>i32x4.extract_lane(r, 3), 3);
      return true;
    }
    for (let k: usize = 0; k < cu; k++) {
      const a = <i32>load<u8>(p0 + k);
      const b = <i32>load<u8>(p1 + k);
      const v1 = <f64>a + <f64>(<i32>load<u8>(p0 + cu + k) - a) * dx;
      const v2 = <f64>b + <f64>(<i32>load<u8>(p1 + cu + k) - b) * dx;
      store<u8>(d + k, <u8><i32>(v1 + (v2 - v1) * dy));
    }
    return true;
  }
  const x0 = <usize>((x < 0 ? 0 : x < sw ? x : sw - 1) * c);
  const x1 = <usize>((x + 1 < 0 ? 0 : x + 1 < sw ? x + 1 : sw - 1) * c);
  const r0 = src + <usize>(y < 0 ? 0 : y < sh ? y : sh - 1) * stride;
  const has1 = y + 1 >= 0 && y + 1 < sh;
  const r1 = src + <usize>(y + 1) * stride;
  for (let k = 0; k < c; k++) {
    const kk = <usize>k;
    const a = <i32>load<u8>(r0 + x0 + kk);
    let v1 = <f64>a + <f64>(<i32>load<u8>(r0 + x1 + kk) - a) * dx;
    let v2 = v1;
    if (has1) {
      const b = <i32>load<u8>(r1 + x0 + kk);
      v2 = <f64>b + <f64>(<i32>load<u8>(r1 + x1 + kk) - b) * dx;
    }
    v1 = v1 + (v2 - v1) * dy;
    store<u8>(d + kk, <u8><i32>v1);
  }
  return true;
}

/** Pillow's nearest_filter at (xx, yy) into d; false when outside. */
// @ts-ignore: decorator
@inline function nearest(src: usize, sw: i32, sh: i32, c: i32, xx: f64, yy: f64, d: usize): bool {
  if (!(xx >= 0.0 && xx < <f64>sw && yy >= 0.0 && yy < <f64>sh)) return false;
  const p = src + <usize>((<i32>yy * sw + <i32>xx) * c);
  for (let k = 0; k < c; k++) store<u8>(d + <usize>k, load<u8>(p + <usize>k));
  return true;
}

/** 2^52: adding it to an integer-valued f64 in [0, 2^31) leaves the integer in the low bits. */
const MAGIC52: f64 = 4503599627370496.0;
/** Per-call swizzle masks of pilBilinearWarp: channel k's four taps into i32 lanes. */
const TAPS = memory.data(4 * 16, 16);
/** Output pixels per chunk of precomputed positions (even). */
const CHUNK: i32 = 256;
/** Per pixel pair of a chunk: dx, dy (f64x2), the tap offsets + 2^52 (f64x2: u32 in the low words), a flag. */
const PAIR: usize = 64;
const COORDS = memory.data(<i32>(<usize>(CHUNK >> 1) * PAIR), 16);
/** Loop-invariant vectors of pilBilinearWarp's position pass. */
const CONSTS = memory.data(13 * 16, 16);

/** Pillow's bilinear value of channel k for two pixels (lane = pixel) from their tap rows r0, r1. */
// @ts-ignore: decorator
@inline function channelPair(r0: v128, r1: v128, m: v128, dx: v128, dy: v128, magic: v128): v128 {
  // [P.k, Q.k, P.(c+k), Q.(c+k)] as i32 lanes; lanes 0, 1 of d: b - a (and g - e), exact in
  // i32 as Pillow's int subtraction.
  const w0 = i8x16.swizzle(r0, m), w1 = i8x16.swizzle(r1, m);
  const d0 = i32x4.sub(i64x2.shuffle(w0, w0, 1, 0), w0);
  const d1 = i32x4.sub(i64x2.shuffle(w1, w1, 1, 0), w1);
  const v = lerp2(f64x2.convert_low_i32x4_s(w0), f64x2.convert_low_i32x4_s(d0), f64x2.convert_low_i32x4_s(w1), f64x2.convert_low_i32x4_s(d1), dx, dy);
  // v >= 0, so floor is Pillow's truncation; + 2^52 leaves the byte in the lane's low bits.
  return f64x2.add(f64x2.floor(v), magic);
}

/**
 * The position pass over np pixel pairs from xin0 = x + 0.5 (the row's products b1, b4, b7
 * at CONSTS): per pair dx, dy, the tap offsets and whether both pixels have all four taps
 * inside and 8-byte tap loads that stay in the image. `perspective` is a literal, so each
 * caller gets its own loop.
 */
// @ts-ignore: decorator
@inline function positions(np: i32, xin0: f64, perspective: bool): void {
  const a0v = v128.load(CONSTS), a2v = v128.load(CONSTS, 16), a3v = v128.load(CONSTS, 32), a5v = v128.load(CONSTS, 48);
  const a6v = v128.load(CONSTS, 64), b1v = v128.load(CONSTS, 80), b4v = v128.load(CONSTS, 96), b7v = v128.load(CONSTS, 112);
  const xmax = v128.load(CONSTS, 128), ymax = v128.load(CONSTS, 144), cv = v128.load(CONSTS, 160), sv = v128.load(CONSTS, 176);
  const limv = v128.load(CONSTS, 192);
  const half = f64x2.splat(0.5), zero = f64x2.splat(0.0), two = f64x2.splat(2.0), magic = f64x2.splat(MAGIC52);
  let xin2 = f64x2(xin0, xin0 + 1.0);
  let q = COORDS;
  for (let p = 0; p < np; p++, q += PAIR) {
    let xx = f64x2.add(f64x2.add(f64x2.mul(a0v, xin2), b1v), a2v);
    let yy = f64x2.add(f64x2.add(f64x2.mul(a3v, xin2), b4v), a5v);
    if (perspective) {
      const den = f64x2.add(f64x2.add(f64x2.mul(a6v, xin2), b7v), f64x2.splat(1.0));
      xx = f64x2.div(xx, den);
      yy = f64x2.div(yy, den);
    }
    const xi = f64x2.sub(xx, half), yi = f64x2.sub(yy, half);
    const fx = f64x2.floor(xi), fy = f64x2.floor(yi);
    // Exact for the pairs that pass (small integers); the test then bounds the loads.
    const off = f64x2.add(f64x2.mul(fy, sv), f64x2.mul(fx, cv));
    // 0 <= x and x + 1 < sw (and the same for y) imply Pillow's inside test.
    const ok = v128.and(
      v128.and(v128.and(f64x2.ge(fx, zero), f64x2.le(fx, xmax)), v128.and(f64x2.ge(fy, zero), f64x2.le(fy, ymax))),
      f64x2.le(off, limv),
    );
    v128.store(q, f64x2.sub(xi, fx));
    v128.store(q, f64x2.sub(yi, fy), 16);
    v128.store(q, f64x2.add(off, magic), 32);
    store<i32>(q, i64x2.all_true(ok), 48);
    xin2 = f64x2.add(xin2, two);
  }
}

/**
 * Pillow's generic transform with the bilinear filter, two output pixels at a time where
 * both have all four taps inside the image (most of them). Per chunk of a row, a first
 * pass computes the pairs' positions in f64x2 lanes with the scalar path's operations in
 * its order (so the same doubles) and keeps dx, dy and the tap offsets; a second pass
 * filters one f64x2 per channel (lane = pixel), so its iterations share no dependency. A
 * pixel with a tap outside, an outside pixel, or a pair whose 8-byte tap loads would run
 * past the image takes the scalar path (`bilinear`).
 */
function pilBilinearWarp(src: usize, sw: i32, sh: i32, c: i32, dst: usize, dw: i32, dh: i32, a: usize, perspective: bool, fill: usize): void {
  const a0 = load<f64>(a), a1 = load<f64>(a, 8), a2 = load<f64>(a, 16);
  const a3 = load<f64>(a, 24), a4 = load<f64>(a, 32), a5 = load<f64>(a, 40);
  const a6 = perspective ? load<f64>(a, 48) : 0.0, a7 = perspective ? load<f64>(a, 56) : 0.0;
  const cu = <usize>c;
  const stride = <usize>(sw * c);
  const total = <usize>sh * stride;
  // Channel k's swizzle: bytes k and c + k of the low (pixel P) and high (pixel Q) halves.
  for (let k = 0; k < c; k++) {
    const m = TAPS + (<usize>k << 4);
    memory.fill(m, 0xff, 16);
    store<u8>(m, <u8>k);
    store<u8>(m, <u8>(8 + k), 4);
    store<u8>(m, <u8>(c + k), 8);
    store<u8>(m, <u8>(8 + c + k), 12);
  }
  const m0 = v128.load(TAPS), m1 = v128.load(TAPS, 16), m2 = v128.load(TAPS, 32);
  const pack3 = i8x16(0, 1, 2, 8, 9, 10, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
  const magic = f64x2.splat(MAGIC52), zero = f64x2.splat(0.0);
  v128.store(CONSTS, f64x2.splat(a0));
  v128.store(CONSTS, f64x2.splat(a2), 16);
  v128.store(CONSTS, f64x2.splat(a3), 32);
  v128.store(CONSTS, f64x2.splat(a5), 48);
  v128.store(CONSTS, f64x2.splat(a6), 64);
  // The largest x and y whose x + 1, y + 1 are inside; the largest tap offset whose 8-byte
  // loads from both rows stay inside the image.
  v128.store(CONSTS, f64x2.splat(<f64>(sw - 2)), 128);
  v128.store(CONSTS, f64x2.splat(<f64>(sh - 2)), 144);
  v128.store(CONSTS, f64x2.splat(<f64>c), 160);
  v128.store(CONSTS, f64x2.splat(<f64>stride), 176);
  v128.store(CONSTS, f64x2.splat(<f64>total - <f64>stride - 8.0), 192);
  const pairs = sw >= 2 && sh >= 2;
  for (let y = 0; y < dh; y++) {
    const yin = <f64>y + 0.5;
    // The products with yin are the same binary64 values for the whole row.
    const b1 = a1 * yin, b4 = a4 * yin, b7 = a7 * yin;
    v128.store(CONSTS, f64x2.splat(b1), 80);
    v128.store(CONSTS, f64x2.splat(b4), 96);
    v128.store(CONSTS, f64x2.splat(b7), 112);
    for (let x0 = 0; x0 < dw; x0 += CHUNK) {
      const n = min(CHUNK, dw - x0);
      const np = pairs ? n >> 1 : 0;
      if (perspective) positions(np, <f64>x0 + 0.5, true);
      else positions(np, <f64>x0 + 0.5, false);
      let d = dst + (<usize>y * <usize>dw + <usize>x0) * cu;
      let q = COORDS;
      for (let p = 0; p < np; p++, q += PAIR, d += cu << 1) {
        if (!load<i32>(q, 48)) {
          const x = x0 + 2 * p;
          scalarPixel(src, sw, sh, c, d, x, a0, b1, a2, a3, b4, a5, a6, b7, perspective, true, fill);
          scalarPixel(src, sw, sh, c, d + cu, x + 1, a0, b1, a2, a3, b4, a5, a6, b7, perspective, true, fill);
          continue;
        }
        const pP = src + <usize>load<u32>(q, 32), pQ = src + <usize>load<u32>(q, 40);
        const r0 = v128.load64_lane(pQ, v128.load64_zero(pP), 1);
        const r1 = v128.load64_lane(pQ + stride, v128.load64_zero(pP + stride), 1);
        const dx = v128.load(q), dy = v128.load(q, 16);
        if (c == 3) {
          const v0 = channelPair(r0, r1, m0, dx, dy, magic);
          const v1 = i64x2.shl(channelPair(r0, r1, m1, dx, dy, magic), 8);
          const v2 = i64x2.shl(channelPair(r0, r1, m2, dx, dy, magic), 16);
          const o = i8x16.swizzle(v128.or(v128.or(v0, v1), v2), pack3);
          v128.store32_lane(d, o, 0);
          v128.store16_lane(d, o, 2, 4);
        } else {
          let out = zero;
          for (let k = 0; k < c; k++) out = v128.or(out, i64x2.shl(channelPair(r0, r1, v128.load(TAPS + (<usize>k << 4)), dx, dy, magic), k << 3));
          if (c == 4) {
            v128.store32_lane(d, out, 0);
            v128.store32_lane(d, out, 2, 4);
          } else {
            for (let k = 0; k < c; k++) {
              store<u8>(d + <usize>k, <u8>i64x2.extract_lane(i64x2.shr_u(out, k << 3), 0));
              store<u8>(d + cu + <usize>k, <u8>i64x2.extract_lane(i64x2.shr_u(out, k << 3), 1));
            }
          }
        }
      }
      for (let x = x0 + 2 * np; x < x0 + n; x++, d += cu) scalarPixel(src, sw, sh, c, d, x, a0, b1, a2, a3, b4, a5, a6, b7, perspective, true, fill);
    }
  }
}

/**
 * One output pixel of Pillow's generic transform: column x's position (xin = x + 0.5, the
 * row's products b1, b4, b7 with yin), then the bilinear or nearest filter into d, or the
 * fill. pilBilinearWarp's scalar path and pilGenericWarp's loop.
 */
// @ts-ignore: decorator
@inline function scalarPixel(src: usize, sw: i32, sh: i32, c: i32, d: usize, x: i32, a0: f64, b1: f64, a2: f64, a3: f64, b4: f64, a5: f64, a6: f64, b7: f64, perspective: bool, isBilinear: bool, fill: usize): void {
  const xin = <f64>x + 0.5;
  let xx = a0 * xin + b1 + a2;
  let yy = a3 * xin + b4 + a5;
  if (perspective) {
    const den = a6 * xin + b7 + 1.0;
    xx = xx / den;
    yy = yy / den;
  }
  const ok = isBilinear ? bilinear(src, sw, sh, c, xx, yy, d) : nearest(src, sw, sh, c, xx, yy, d);
  if (!ok) putFill(d, fill, c);
}

/**
 * ImagingGenericTransform with affine_transform (6 coefficients) or, when `perspective`,
 * perspective_transform (8), and the nearest or bilinear filter; outside pixels take the c
 * fill bytes.
 */
export function pilGenericWarp(src: usize, sw: i32, sh: i32, c: i32, dst: usize, dw: i32, dh: i32, a: usize, perspective: bool, isBilinear: bool, fill: usize): void {
  if (isBilinear && c <= 4) {
    pilBilinearWarp(src, sw, sh, c, dst, dw, dh, a, perspective, fill);
    return;
  }
  const a0 = load<f64>(a), a1 = load<f64>(a, 8), a2 = load<f64>(a, 16);
  const a3 = load<f64>(a, 24), a4 = load<f64>(a, 32), a5 = load<f64>(a, 40);
  const a6 = perspective ? load<f64>(a, 48) : 0.0, a7 = perspective ? load<f64>(a, 56) : 0.0;
  let d = dst;
  const cu = <usize>c;
  for (let y = 0; y < dh; y++) {
    const yin = <f64>y + 0.5;
    // The products with yin are the same binary64 values for the whole row.
    const b1 = a1 * yin, b4 = a4 * yin, b7 = a7 * yin;
    for (let x = 0; x < dw; x++, d += cu) scalarPixel(src, sw, sh, c, d, x, a0, b1, a2, a3, b4, a5, a6, b7, perspective, isBilinear, fill);
  }
}

/**
 * ImagingTransformAffine's floating-point nearest path: xo = a2 + a1 * 0.5 + a0 * 0.5 (and
 * yo alike), stepped by a0 / a3 along a row and a1 / a4 between rows, COORD.
 */
export function pilAffineFloat(src: usize, sw: i32, sh: i32, c: i32, dst: usize, dw: i32, dh: i32, a: usize, fill: usize): void {
  const a0 = load<f64>(a), a1 = load<f64>(a, 8), a2 = load<f64>(a, 16);
  const a3 = load<f64>(a, 24), a4 = load<f64>(a, 32), a5 = load<f64>(a, 40);
  let xo = a2 + a1 * 0.5 + a0 * 0.5;
  let yo = a5 + a4 * 0.5 + a3 * 0.5;
  let d = dst;
  const cu = <usize>c;
  for (let y = 0; y < dh; y++) {
    let xx = xo, yy = yo;
    for (let x = 0; x < dw; x++, d += cu) {
      if (!nearest(src, sw, sh, c, xx, yy, d)) putFill(d, fill, c);
      xx += a0;
      yy += a3;
    }
    xo += a1;
    yo += a4;
  }
}
