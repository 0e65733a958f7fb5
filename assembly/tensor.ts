// u8 HWC -> f32 CHW through per-channel lookup tables: ToTensor and Normalize in one pass.
// The tables are built here with f32 arithmetic in torchvision's order, so each entry is
// exactly the value torchvision computes for that byte.

/** Writes 256 f32: ((v / 255) - mean) / std, each step rounded to f32. */
export function buildLut(mean: f32, std: f32, out: usize): void {
  for (let v = 0; v < 256; v++) {
    store<f32>(out + (<usize>v << 2), (<f32>v / <f32>255.0 - mean) / std);
  }
}

// @ts-ignore: decorator
@inline function scalarValue(v: u8, m: f32, sd: f32): f32 {
  return (<f32>v / <f32>255.0 - m) / sd;
}

/** Converts 16 bytes of one channel to f32 with the same three rounded steps as buildLut. */
// @ts-ignore: decorator
@inline function store16(bytes: v128, m: v128, sd: v128, out: usize): void {
  const d = f32x4.splat(255.0);
  const lo = i16x8.extend_low_i8x16_u(bytes);
  const hi = i16x8.extend_high_i8x16_u(bytes);
  v128.store(out, f32x4.div(f32x4.sub(f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(lo)), d), m), sd));
  v128.store(out, f32x4.div(f32x4.sub(f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(lo)), d), m), sd), 16);
  v128.store(out, f32x4.div(f32x4.sub(f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(hi)), d), m), sd), 32);
  v128.store(out, f32x4.div(f32x4.sub(f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(hi)), d), m), sd), 48);
}

// @ts-ignore: decorator
@inline function reverse16(v: v128): v128 {
  return i8x16.shuffle(v, v, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
}

/**
 * Writes one HWC u8 row of `w` pixels into row `y` of the CHW planes at dst (each plane
 * planeW x planeH f32), mirrored when `mirror` is set. `norm` holds c means then c stds
 * (f32). Each value is ((v / 255) - mean) / std rounded to f32 at every step: exactly the
 * entry buildLut makes for v, computed 16 at a time.
 */
export function emitTensorRow(row: usize, w: i32, c: i32, norm: usize, dst: usize, planeW: i32, planeH: i32, y: i32, mirror: bool): void {
  const plane = <usize>planeW * <usize>planeH * 4;
  const line = dst + <usize>y * <usize>planeW * 4;
  let x = 0;
  if (c == 1 || c == 3) {
    const m0 = f32x4.splat(load<f32>(norm)), s0 = f32x4.splat(load<f32>(norm + (<usize>c << 2)));
    const m1 = c == 3 ? f32x4.splat(load<f32>(norm, 4)) : m0, s1 = c == 3 ? f32x4.splat(load<f32>(norm + 16)) : s0;
    const m2 = c == 3 ? f32x4.splat(load<f32>(norm, 8)) : m0, s2 = c == 3 ? f32x4.splat(load<f32>(norm + 20)) : s0;
    for (; x + 16 <= w; x += 16) {
      const at = line + (<usize>(mirror ? w - 16 - x : x) << 2);
      if (c == 1) {
        const v = v128.load(row + <usize>x);
        store16(mirror ? reverse16(v) : v, m0, s0, at);
      } else {
        const p = row + <usize>(x * 3);
        const v0 = v128.load(p), v1 = v128.load(p, 16), v2 = v128.load(p, 32);
        let r = i8x16.shuffle(i8x16.shuffle(v0, v1, 0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 0, 0, 0, 0, 0), v2, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 17, 20, 23, 26, 29);
        let g = i8x16.shuffle(i8x16.shuffle(v0, v1, 1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 31, 0, 0, 0, 0, 0), v2, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 18, 21, 24, 27, 30);
        let b = i8x16.shuffle(i8x16.shuffle(v0, v1, 2, 5, 8, 11, 14, 17, 20, 23, 26, 29, 0, 0, 0, 0, 0, 0), v2, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 19, 22, 25, 28, 31);
        if (mirror) {
          r = reverse16(r);
          g = reverse16(g);
          b = reverse16(b);
        }
        store16(r, m0, s0, at);
        store16(g, m1, s1, at + plane);
        store16(b, m2, s2, at + plane * 2);
      }
    }
  }
  for (let ch = 0; ch < c; ch++) {
    const m = load<f32>(norm + (<usize>ch << 2));
    const sd = load<f32>(norm + (<usize>(c + ch) << 2));
    const out = line + <usize>ch * plane;
    for (let i = x; i < w; i++) {
      const o = mirror ? w - 1 - i : i;
      store<f32>(out + (<usize>o << 2), scalarValue(load<u8>(row + <usize>(i * c + ch)), m, sd));
    }
  }
}

/** ToTensor (+ Normalize with the given means and stds) of a whole w x h image. */
export function toTensor(src: usize, w: i32, h: i32, c: i32, norm: usize, dst: usize): void {
  const rowBytes = <usize>(w * c);
  for (let y = 0; y < h; y++) emitTensorRow(src + <usize>y * rowBytes, w, c, norm, dst, w, h, y, false);
}

/** In-place (x - mean[p]) / std[p] over `planes` planes of `planeSize` f32, torchvision's Normalize. */
export function normalize(data: usize, planes: i32, planeSize: i32, mean: usize, std: usize): void {
  for (let p = 0; p < planes; p++) {
    const m = load<f32>(mean + (<usize>p << 2));
    const s = load<f32>(std + (<usize>p << 2));
    const mv = f32x4.splat(m);
    const sv = f32x4.splat(s);
    const base = data + <usize>p * <usize>planeSize * 4;
    let i = 0;
    for (; i + 4 <= planeSize; i += 4) {
      const q = base + (<usize>i << 2);
      v128.store(q, f32x4.div(f32x4.sub(v128.load(q), mv), sv));
    }
    for (; i < planeSize; i++) {
      const q = base + (<usize>i << 2);
      store<f32>(q, (load<f32>(q) - m) / s);
    }
  }
}
