// u8 HWC -> f32 CHW through per-channel lookup tables: ToTensor and Normalize in one pass.
// The tables are built here with f32 arithmetic in torchvision's order, so each entry is
// exactly the value torchvision computes for that byte. (A table load per value beats the
// two f32 divisions per value, which bound the vector version at ~1.75 cycles a value.)

import { quarterF } from "./pixels";

/** Writes 256 f32: ((v / 255) - mean) / std, each step rounded to f32 (ToTensor's division). */
export function buildLut(mean: f32, std: f32, out: usize): void {
  for (let v = 0; v < 256; v++) {
    store<f32>(out + (<usize>v << 2), (<f32>v / <f32>255.0 - mean) / std);
  }
}

/** float(1 / 255): v2's ToDtype(float32, scale=True) multiplies by it (`mul_(1.0 / 255)`). */
const INV255: f32 = <f32>(1.0 / 255.0);

/** Writes 256 f32: ((v * float(1 / 255)) - mean) / std, each step rounded to f32 ("tensor" semantics). */
export function buildLutScaled(mean: f32, std: f32, out: usize): void {
  for (let v = 0; v < 256; v++) {
    store<f32>(out + (<usize>v << 2), (<f32>v * INV255 - mean) / std);
  }
}

/** One step of the byte -> f32 conversion: v / 255, or v * float(1 / 255) when `mul`. */
// @ts-ignore: decorator
@inline function scale4(x: v128, mul: bool): v128 {
  return mul ? f32x4.mul(x, f32x4.splat(INV255)) : f32x4.div(x, f32x4.splat(255.0));
}

/** Converts 16 bytes of one channel to f32 with the same three rounded steps as buildLut (buildLutScaled when `mul`). */
// @ts-ignore: decorator
@inline function store16(bytes: v128, m: v128, sd: v128, out: usize, mul: bool): void {
  v128.store(out, f32x4.div(f32x4.sub(scale4(quarterF(bytes, 0), mul), m), sd));
  v128.store(out, f32x4.div(f32x4.sub(scale4(quarterF(bytes, 1), mul), m), sd), 16);
  v128.store(out, f32x4.div(f32x4.sub(scale4(quarterF(bytes, 2), mul), m), sd), 32);
  v128.store(out, f32x4.div(f32x4.sub(scale4(quarterF(bytes, 3), mul), m), sd), 48);
}

/** Per-channel tables (up to 4 x 256 f32) for emitTensorRow; the kernel is single-threaded. */
const TABLES: usize = memory.data(4 * 256 * 4, 16);

/**
 * Fills the tables emitTensorRow reads for `c` channels; `norm` holds c means then c stds
 * (f32). Entry v of channel ch is ((v / 255) - mean) / std rounded to f32 at every step,
 * computed with store16's divisions (the same values buildLut makes), or with v * float(1 /
 * 255) for the first step when `mul` (buildLutScaled's). Returns the tables.
 */
export function tensorTables(c: i32, norm: usize, mul: bool = false): usize {
  const iota = i8x16(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  for (let ch = 0; ch < c; ch++) {
    const m = f32x4.splat(load<f32>(norm + (<usize>ch << 2)));
    const sd = f32x4.splat(load<f32>(norm + (<usize>(c + ch) << 2)));
    const t = TABLES + (<usize>ch << 10);
    for (let v = 0; v < 256; v += 16) store16(i8x16.add(iota, i8x16.splat(<i8>v)), m, sd, t + (<usize>v << 2), mul);
  }
  return TABLES;
}

/**
 * Writes one HWC u8 row of `w` pixels into row `y` of the CHW planes at dst (each plane
 * planeW x planeH f32), mirrored when `mirror` is set, through the tables tensorTables
 * filled: one exact f32 per byte, so no arithmetic per value.
 */
export function emitTensorRow(row: usize, w: i32, c: i32, tables: usize, dst: usize, planeW: i32, planeH: i32, y: i32, mirror: bool): void {
  const plane = <usize>planeW * <usize>planeH * 4;
  const line = dst + <usize>y * <usize>planeW * 4;
  const step: isize = mirror ? -4 : 4;
  const first = line + (mirror ? <usize>(w - 1) << 2 : 0);
  if (c == 3) {
    const t0 = tables, t1 = tables + 1024, t2 = tables + 2048;
    let o = first;
    let p = row;
    const end = row + <usize>(w * 3);
    for (; p < end; p += 3) {
      store<f32>(o, load<f32>(t0 + (<usize>load<u8>(p) << 2)));
      store<f32>(o + plane, load<f32>(t1 + (<usize>load<u8>(p, 1) << 2)));
      store<f32>(o + plane * 2, load<f32>(t2 + (<usize>load<u8>(p, 2) << 2)));
      o += step;
    }
    return;
  }
  for (let ch = 0; ch < c; ch++) {
    const t = tables + (<usize>ch << 10);
    let o = first + <usize>ch * plane;
    for (let i = 0; i < w; i++) {
      store<f32>(o, load<f32>(t + (<usize>load<u8>(row + <usize>(i * c + ch)) << 2)));
      o += step;
    }
  }
}

/** ToTensor (+ Normalize with the given means and stds) of a whole w x h image. */
export function toTensor(src: usize, w: i32, h: i32, c: i32, norm: usize, dst: usize): void {
  const rowBytes = <usize>(w * c);
  const tables = tensorTables(c, norm);
  for (let y = 0; y < h; y++) emitTensorRow(src + <usize>y * rowBytes, w, c, tables, dst, w, h, y, false);
}

/** v2's ToDtype(float32, scale=True) (+ Normalize) of a whole w x h image: v * float(1 / 255) ("tensor" semantics). */
export function toTensorScaled(src: usize, w: i32, h: i32, c: i32, norm: usize, dst: usize): void {
  const rowBytes = <usize>(w * c);
  const tables = tensorTables(c, norm, true);
  for (let y = 0; y < h; y++) emitTensorRow(src + <usize>y * rowBytes, w, c, tables, dst, w, h, y, false);
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
