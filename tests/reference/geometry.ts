/**
 * Scalar twins of the geometry ops, written from torchvision.transforms.functional's
 * definitions (PIL backend), one pixel at a time:
 *
 * - `mapIndex`: where a coordinate outside [0, n) reads from, per torch/numpy padding mode
 *   (constant -> none, edge -> clamp, reflect -> mirror without repeating the edge,
 *   symmetric -> mirror repeating the edge), extended periodically for any distance.
 * - `window`: the h x w window at (top, left), border filled by the mode (the shared core).
 * - `crop` (PIL's Image.crop: zero / `fill` outside), `pad` (F.pad), `hflip`, `vflip`.
 * - `centerCrop`: F.center_crop literally: pad by floor/ceil((crop - size) / 2) when the crop
 *   is larger, then crop at Python round((H - h) / 2) (half to even).
 *
 * Slow on purpose; they only exist to check the SIMD kernel.
 */
import type { Image } from "../../src/index.js";

export type Mode = "constant" | "edge" | "reflect" | "symmetric";

function mod(a: number, p: number): number {
  return ((a % p) + p) % p;
}

/** Source index for coordinate `i` of a side of length `n`, or -1 for "use the fill". */
export function mapIndex(i: number, n: number, mode: Mode): number {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case "constant":
      return -1;
    case "edge":
      return i < 0 ? 0 : n - 1;
    case "reflect": {
      // ... 2 1 | 0 1 2 ... n-1 | n-2 n-3 ...   period 2(n - 1)
      if (n === 1) return 0;
      const m = mod(i, 2 * (n - 1));
      return m < n ? m : 2 * (n - 1) - m;
    }
    case "symmetric": {
      // ... 1 0 | 0 1 2 ... n-1 | n-1 n-2 ...   period 2n
      const m = mod(i, 2 * n);
      return m < n ? m : 2 * n - 1 - m;
    }
  }
}

/** The h x w window whose top-left corner is (top, left) in image coordinates. */
export function window(img: Image, top: number, left: number, h: number, w: number, mode: Mode, fill: ArrayLike<number>): Image {
  const c = img.channels;
  const out = new Uint8Array(h * w * c);
  for (let y = 0; y < h; y++) {
    const sy = mapIndex(top + y, img.height, mode);
    for (let x = 0; x < w; x++) {
      const sx = mapIndex(left + x, img.width, mode);
      for (let ch = 0; ch < c; ch++) {
        out[(y * w + x) * c + ch] = sy < 0 || sx < 0 ? fill[ch]! : img.data[(sy * img.width + sx) * c + ch]!;
      }
    }
  }
  return { width: w, height: h, channels: c, data: out };
}

/** Per-channel fill bytes from a number or an array of 1 or `c` numbers. */
export function fillOf(fill: number | number[] | undefined, c: number): number[] {
  if (fill === undefined) return new Array<number>(c).fill(0);
  if (typeof fill === "number") return new Array<number>(c).fill(fill);
  return Array.from({ length: c }, (_, i) => fill[fill.length === 1 ? 0 : i]!);
}

export function crop(img: Image, top: number, left: number, h: number, w: number, fill?: number | number[]): Image {
  return window(img, top, left, h, w, "constant", fillOf(fill, img.channels));
}

/** [left, top, right, bottom] padding. */
export function pad(img: Image, ltrb: [number, number, number, number], mode: Mode, fill?: number | number[]): Image {
  const [l, t, r, b] = ltrb;
  return window(img, -t, -l, img.height + t + b, img.width + l + r, mode, fillOf(fill, img.channels));
}

export function hflip(img: Image): Image {
  const { width: w, height: h, channels: c } = img;
  const out = new Uint8Array(img.data.length);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let ch = 0; ch < c; ch++) out[(y * w + x) * c + ch] = img.data[(y * w + (w - 1 - x)) * c + ch]!;
  return { width: w, height: h, channels: c, data: out };
}

export function vflip(img: Image): Image {
  const { width: w, height: h, channels: c } = img;
  const out = new Uint8Array(img.data.length);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let ch = 0; ch < c; ch++) out[(y * w + x) * c + ch] = img.data[((h - 1 - y) * w + x) * c + ch]!;
  return { width: w, height: h, channels: c, data: out };
}

/** Python's round() on a float: ties to even. */
export function pyRound(x: number): number {
  const f = Math.floor(x);
  if (x - f !== 0.5) return Math.round(x);
  return f % 2 === 0 ? f : f + 1;
}

/** torchvision F.center_crop, step by step (PIL path). */
export function centerCrop(img: Image, ch: number, cw: number): Image {
  let im = img;
  if (cw > im.width || ch > im.height) {
    const dw = cw > im.width ? cw - im.width : 0;
    const dh = ch > im.height ? ch - im.height : 0;
    // torchvision: [(cw - w) // 2, (ch - h) // 2, (cw - w + 1) // 2, (ch - h + 1) // 2]
    im = pad(im, [Math.floor(dw / 2), Math.floor(dh / 2), Math.floor((dw + 1) / 2), Math.floor((dh + 1) / 2)], "constant", 0);
    if (cw === im.width && ch === im.height) return im;
  }
  const top = pyRound((im.height - ch) / 2);
  const left = pyRound((im.width - cw) / 2);
  return crop(im, top, left, ch, cw);
}
