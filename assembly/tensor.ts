// u8 HWC -> f32 CHW through per-channel lookup tables: ToTensor and Normalize in one pass.
// The tables are built here with f32 arithmetic in torchvision's order, so each entry is
// exactly the value torchvision computes for that byte.

/** Writes 256 f32: ((v / 255) - mean) / std, each step rounded to f32. */
export function buildLut(mean: f32, std: f32, out: usize): void {
  for (let v = 0; v < 256; v++) {
    store<f32>(out + (<usize>v << 2), (<f32>v / <f32>255.0 - mean) / std);
  }
}

/**
 * Writes one HWC u8 row of `w` pixels into row `y` of the CHW planes at dst (each plane
 * planeW x planeH f32), mirrored when `mirror` is set. `lut` holds c tables of 256 f32.
 */
export function emitTensorRow(row: usize, w: i32, c: i32, lut: usize, dst: usize, planeW: i32, planeH: i32, y: i32, mirror: bool): void {
  const plane = <usize>planeW * <usize>planeH * 4;
  for (let ch = 0; ch < c; ch++) {
    const table = lut + (<usize>ch << 10);
    let out = dst + <usize>ch * plane + <usize>y * <usize>planeW * 4;
    if (mirror) {
      for (let x = 0; x < w; x++) {
        const v = <usize>load<u8>(row + <usize>(x * c + ch));
        store<f32>(out + (<usize>(w - 1 - x) << 2), load<f32>(table + (v << 2)));
      }
    } else {
      for (let x = 0; x < w; x++) {
        const v = <usize>load<u8>(row + <usize>(x * c + ch));
        store<f32>(out + (<usize>x << 2), load<f32>(table + (v << 2)));
      }
    }
  }
}

/** ToTensor (+ Normalize when the tables say so) of a whole w x h image. */
export function toTensor(src: usize, w: i32, h: i32, c: i32, lut: usize, dst: usize): void {
  const rowBytes = <usize>(w * c);
  for (let y = 0; y < h; y++) emitTensorRow(src + <usize>y * rowBytes, w, c, lut, dst, w, h, y, false);
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
