// The images whose PNG encodings are committed in tests/codec/encoded/ (written by
// make_encoded.ts, read back by Pillow in make_png_corpus.py, re-encoded by
// codec-encode.test.ts): photos through the kernel's decoder (itself checked against Pillow),
// and synthetic images that hit stored blocks, long runs, block boundaries and far matches.
import type { Image } from "../../src/index.js";
import { MODES, convert, pngDecode, readRepo } from "../helpers/codec.js";
import { rng } from "../helpers/check.js";

function decoded(path: string): Image {
  const r = pngDecode(readRepo(path));
  if (r.status !== 0) throw new Error(`${path}: status ${r.status}`);
  const channels = r.info[4] as 1 | 3 | 4;
  return { width: r.info[1]!, height: r.info[2]!, channels, data: r.data! };
}

function crop(img: Image, w: number, h: number): Image {
  const data = new Uint8Array(w * h * img.channels);
  for (let y = 0; y < h; y++) data.set(img.data.subarray(y * img.width * img.channels, (y * img.width + w) * img.channels), y * w * img.channels);
  return { width: w, height: h, channels: img.channels, data };
}

function synthetic(w: number, h: number, c: 1 | 3 | 4, fill: (i: number, r: ReturnType<typeof rng>) => number, seed = 1): Image {
  const r = rng(seed);
  const data = new Uint8Array(w * h * c);
  for (let i = 0; i < data.length; i++) data[i] = fill(i, r) & 255;
  return { width: w, height: h, channels: c, data };
}

/** Name -> image, in a fixed order. */
export function encodedSources(): [string, Image][] {
  const chelsea = decoded("samples/chelsea.png");
  const grey = convert(chelsea.data, MODES.RGB!, chelsea.width, chelsea.height, MODES.L!);
  // Rows that repeat 31 rows later (31 * 1025 bytes, just inside the 32 KiB window).
  const far = synthetic(1024, 96, 1, (i, r) => (Math.floor(i / 1024) % 31 === Math.floor(i / 1024) ? r.u32() : 0), 5);
  for (let y = 31; y < 96; y++) far.data.copyWithin(y * 1024, (y - 31) * 1024, (y - 30) * 1024);
  return [
    ["photo-rgb", chelsea],
    ["photo-grey", { width: chelsea.width, height: chelsea.height, channels: 1, data: grey.data! }],
    ["photo-rgba", crop(decoded("tests/codec/png/photo-coffee-rgba.png"), 240, 160)],
    ["tiny-1", synthetic(1, 1, 1, () => 200)],
    ["tiny-3", synthetic(1, 1, 3, (i) => i * 100)],
    ["tiny-4", synthetic(1, 1, 4, (i) => 255 - i)],
    ["noise-rgba", synthetic(97, 61, 4, (_, r) => r.u32(), 2)],
    ["flat-rgb", synthetic(300, 200, 3, (i) => (i % 3) * 60 + 10)],
    ["stripes-grey", synthetic(333, 77, 1, (i, r) => ((i % 333) >> 4) * 9 + (r.chance(0.02) ? 1 : 0), 3)],
    ["far-matches-grey", far],
  ];
}
