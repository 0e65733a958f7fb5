// src/io: PNG/JPEG decode with the file's channel count, deterministic PNG encode, and clear
// `decode:` errors for empty, foreign, truncated, corrupt and oversized inputs.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { deflateSync, inflateSync } from "node:zlib";
// @ts-ignore pngjs (a dependency of jimp) ships no types; only PNG.sync.read is used.
import pngjs from "pngjs";
import { Jimp } from "jimp";
import { decode, encodePng } from "../src/io/index.js";
import { inflatedSize } from "../src/io/inflate.js";
import { MAX_PIXELS, MAX_SIDE, type Channels, type Image } from "../src/image.js";
import { rng } from "./helpers/check.js";

// ---- helpers ------------------------------------------------------------------------------

function randomBytes(n: number, seed: number): Uint8Array {
  const r = rng(seed).u32;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = r() & 0xff;
  return out;
}

/** Random noise in some rows, gradients in others, so every PNG filter type gets used. */
function testImage(width: number, height: number, channels: Channels, seed: number): Image {
  const data = randomBytes(width * height * channels, seed);
  for (let y = 0; y < height; y += 3) {
    for (let x = 0; x < width; x++) for (let c = 0; c < channels; c++) data[(y * width + x) * channels + c] = (x * 7 + y * 3 + c * 50) & 0xff;
  }
  return { width, height, channels, data };
}

/** Resolves to the error `p` rejects with; fails when it resolves. */
async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    assert.instance(e, Error);
    return e as Error;
  }
  assert.unreachable("expected a rejection");
  throw new Error("unreachable");
}

/** Asserts `decode(bytes)` rejects with a message starting "decode:" and matching `re`. */
async function decodeFails(bytes: Uint8Array | ArrayBuffer, re: RegExp, label = ""): Promise<Error> {
  const e = await rejection(decode(bytes));
  assert.ok(e.message.startsWith("decode:"), `${label} message should start with "decode:": ${e.message}`);
  assert.match(e.message, re, `${label} ${e.message}`);
  return e;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function be32(v: number): Uint8Array {
  return new Uint8Array([v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]);
}

function chunk(type: string, data: Uint8Array | number[] = []): Uint8Array {
  const td = concat(new TextEncoder().encode(type), new Uint8Array(data));
  return concat(be32(td.length - 4), td, be32(crc(td)));
}

const SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface PngSpec {
  width: number;
  height: number;
  colorType: number;
  bitDepth?: number;
  interlace?: 0 | 1;
  /** The zlib stream's content: filtered scanlines (filter byte + packed samples per row). */
  raw: Uint8Array;
  before?: Uint8Array[]; // chunks between IHDR and IDAT
}

/** A PNG built by hand, independent of the code under test. */
function makePng(s: PngSpec): Uint8Array {
  const ihdr = concat(be32(s.width), be32(s.height), new Uint8Array([s.bitDepth ?? 8, s.colorType, 0, 0, s.interlace ?? 0]));
  return concat(SIGNATURE, chunk("IHDR", ihdr), ...(s.before ?? []), chunk("IDAT", deflateSync(s.raw)), chunk("IEND"));
}

/** Filter-0 scanlines from 8-bit pixel bytes (`bpp` bytes per pixel), non-interlaced. */
function scanlines(px: Uint8Array, width: number, height: number, bpp: number): Uint8Array {
  const out = new Uint8Array(height * (1 + width * bpp));
  for (let y = 0; y < height; y++) out.set(px.subarray(y * width * bpp, (y + 1) * width * bpp), y * (1 + width * bpp) + 1);
  return out;
}

/** Filter-0 scanlines of the seven Adam7 passes. */
function adam7(px: Uint8Array, width: number, height: number, bpp: number): Uint8Array {
  const passes = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]];
  const rows: number[] = [];
  for (const [x0, y0, dx, dy] of passes) {
    if (x0! >= width || y0! >= height) continue;
    for (let y = y0!; y < height; y += dy!) {
      rows.push(0);
      for (let x = x0!; x < width; x += dx!) for (let c = 0; c < bpp; c++) rows.push(px[(y * width + x) * bpp + c]!);
    }
  }
  return new Uint8Array(rows);
}

function pngjsRead(bytes: Uint8Array): { width: number; height: number; data: Uint8Array } {
  return pngjs.PNG.sync.read(Buffer.from(bytes));
}

/** Drops alpha / duplicate grey from RGBA. */
function fromRGBA(rgba: Uint8Array, channels: Channels): Uint8Array {
  const n = rgba.length / 4;
  const out = new Uint8Array(n * channels);
  for (let i = 0; i < n; i++) for (let c = 0; c < channels; c++) out[i * channels + c] = rgba[i * 4 + c]!;
  return out;
}

/**
 * A baseline JPEG built by hand whose 8x8 blocks are flat: each block's DC coefficient is
 * given, AC all zero, quantizer 8, so a block decodes to 128 + coefficient everywhere.
 * `blocks[component][blockIndex]` in raster order; no subsampling, one interleaved scan.
 */
function flatJpeg(width: number, height: number, blocks: number[][], extra: Uint8Array[] = []): Uint8Array {
  const nc = blocks.length;
  const seg = (m: number, payload: number[]) => new Uint8Array([0xff, m, (payload.length + 2) >> 8, (payload.length + 2) & 0xff, ...payload]);
  const dqt = seg(0xdb, [0, ...new Array(64).fill(8)]);
  const sof = seg(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, nc, ...blocks.flatMap((_, c) => [c + 1, 0x11, 0])]);
  // DC table: categories 0..11, all 4-bit codes (code = category). AC table: EOB only, code "0".
  const dht = seg(0xc4, [0x00, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x10, 1, ...new Array(15).fill(0), 0x00]);
  const sos = seg(0xda, [nc, ...blocks.flatMap((_, c) => [c + 1, 0x00]), 0, 63, 0]);
  const bits: number[] = [];
  const put = (v: number, n: number) => {
    for (let i = n - 1; i >= 0; i--) bits.push((v >> i) & 1);
  };
  const prev = new Array(nc).fill(0);
  const count = Math.ceil(width / 8) * Math.ceil(height / 8);
  for (let b = 0; b < count; b++) {
    for (let c = 0; c < nc; c++) {
      const diff = blocks[c]![b]! - prev[c];
      prev[c] = blocks[c]![b]!;
      const cat = diff === 0 ? 0 : Math.floor(Math.log2(Math.abs(diff))) + 1;
      put(cat, 4);
      if (cat) put(diff > 0 ? diff : diff + (1 << cat) - 1, cat);
      put(0, 1); // EOB
    }
  }
  while (bits.length % 8) bits.push(1);
  const data: number[] = [];
  for (let i = 0; i < bits.length; i += 8) {
    const byte = parseInt(bits.slice(i, i + 8).join(""), 2);
    data.push(byte);
    if (byte === 0xff) data.push(0);
  }
  return concat(new Uint8Array([0xff, 0xd8]), ...extra, dqt, sof, dht, sos, new Uint8Array(data), new Uint8Array([0xff, 0xd9]));
}

const SAMPLES = [fileURLToPath(new URL("../samples/", import.meta.url)), "/work/shared/samples/"].find((d) => existsSync(d + "astronaut.png"));

function sample(name: string): Uint8Array {
  return new Uint8Array(readFileSync(SAMPLES + name));
}

// ---- round trips --------------------------------------------------------------------------

const SIZES: [number, number][] = [[1, 1], [1, 29], [31, 1], [3, 5], [17, 9], [64, 33], [101, 7]];

for (const channels of [1, 3, 4] as const) {
  test(`encodePng -> decode is exact for ${channels} channel(s), odd sizes`, async () => {
    for (const [w, h] of SIZES) {
      const img = testImage(w, h, channels, w * 1000 + h * 10 + channels);
      const png = await encodePng(img);
      assert.instance(png, Uint8Array);
      const colorType = png[25];
      assert.is(colorType, { 1: 0, 3: 2, 4: 6 }[channels], `colour type for ${channels} channels`);
      assert.is(png[24], 8, "bit depth");
      const back = await decode(png);
      assert.equal([back.width, back.height, back.channels], [w, h, channels], `${w}x${h}`);
      assert.ok(back.data instanceof Uint8Array && !(back.data instanceof Buffer), "plain Uint8Array");
      assert.equal(back.data, img.data, `${w}x${h}x${channels} pixels`);
      // An independent decoder reads the same pixels.
      const ref = pngjsRead(png);
      assert.equal(fromRGBA(ref.data, channels), img.data, `pngjs reads ${w}x${h}x${channels}`);
    }
  });
}

test("encodePng reads a data view at an offset; decode takes an ArrayBuffer or a subarray", async () => {
  const img = testImage(9, 6, 3, 7);
  const big = new Uint8Array(img.data.length + 13);
  big.set(img.data, 5);
  const view: Image = { ...img, data: big.subarray(5, 5 + img.data.length) };
  const png = await encodePng(view);
  assert.equal(png, await encodePng(img), "same bytes from a view");
  const ab = png.slice().buffer;
  assert.equal((await decode(ab)).data, img.data, "ArrayBuffer");
  const padded = new Uint8Array(png.length + 20);
  padded.set(png, 10);
  assert.equal((await decode(padded.subarray(10, 10 + png.length))).data, img.data, "subarray at an offset");
  // The result shares no memory with the input.
  const back = await decode(png);
  assert.is.not(back.data.buffer, png.buffer);
});

test("encodePng is deterministic: same bytes on every call, in another process, and a fixed digest", async () => {
  const imgs = ([1, 3, 4] as const).map((c) => testImage(37, 23, c, 99 + c));
  const digests: string[] = [];
  for (const img of imgs) {
    const a = await encodePng(img);
    const b = await encodePng({ ...img, data: img.data.slice() });
    assert.equal(a, b, `${img.channels} channels, same process`);
    digests.push(createHash("sha256").update(a).digest("hex"));
  }
  // A fresh Node process (fresh zlib state, fresh module instances).
  // The same images, generated by a plain-JS copy of rng/randomBytes/testImage above.
  const script = `
    import { encodePng } from ${JSON.stringify(new URL("../src/io/index.ts", import.meta.url).href)};
    import { createHash } from "node:crypto";
    function rng(seed) {
      let s = seed >>> 0 || 1;
      return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
    }
    function testImage(width, height, channels, seed) {
      const r = rng(seed);
      const data = new Uint8Array(width * height * channels);
      for (let i = 0; i < data.length; i++) data[i] = r() & 0xff;
      for (let y = 0; y < height; y += 3)
        for (let x = 0; x < width; x++) for (let c = 0; c < channels; c++) data[(y * width + x) * channels + c] = (x * 7 + y * 3 + c * 50) & 0xff;
      return { width, height, channels, data };
    }
    const out = [];
    for (const c of [1, 3, 4]) out.push(createHash("sha256").update(await encodePng(testImage(37, 23, c, 99 + c))).digest("hex"));
    console.log(JSON.stringify(out));`;
  const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
  assert.is(child.status, 0, child.stderr);
  assert.equal(JSON.parse(child.stdout.trim()), digests, "digests from a second process");
  // The kernel writes every byte, so these hold on every runtime; they change only with the encoder.
  assert.equal(digests, GOLDEN, "PNG digests match the recorded ones");
});

const GOLDEN = [
  "0923e56182082e22ec993d7472ed5f0dc9f16264bb324af4e19923b8e6fa0a50",
  "53d0aaa78abbee2c408d8e82ec904c51083d2465599050c8eb3cdd7b5a306446",
  "36c73b3963880690f6126b2931c8f2e7f14e53681badba9fac7944b63dfd6de7",
];

test("encodePng writes one IDAT right after IHDR, then IEND, and Node's zlib inflates its stream", async () => {
  // The stream is the kernel's own deflate (tests/codec-encode.test.ts checks it in depth);
  // an independent inflater must read it.
  const imgs = [testImage(37, 23, 1, 1), testImage(64, 33, 3, 2), testImage(101, 7, 4, 3)];
  if (SAMPLES) imgs.push(await decode(sample("astronaut.png")));
  for (const img of imgs) {
    const png = await encodePng(img);
    assert.is(new TextDecoder().decode(png.subarray(37, 41)), "IDAT", "one IDAT right after IHDR");
    const len = (png[33]! << 24) | (png[34]! << 16) | (png[35]! << 8) | png[36]!;
    assert.is(41 + len + 4 + 12, png.length, "IDAT then IEND, nothing else");
    const filtered = inflateSync(png.subarray(41, 41 + len));
    assert.is(filtered.length, img.height * (img.width * img.channels + 1), `${img.width}x${img.height}x${img.channels}`);
  }
});

test("encodePng validates its argument", async () => {
  let e = await rejection(encodePng(null as unknown as Image));
  assert.instance(e, TypeError);
  assert.match(e.message, /^img must be an Image/);
  e = await rejection(encodePng({ width: 2, height: 2, channels: 2 as Channels, data: new Uint8Array(8) }));
  assert.instance(e, RangeError);
  assert.match(e.message, /^img\.channels must be 1, 3 or 4, got 2/);
  e = await rejection(encodePng({ width: 2, height: 2, channels: 3, data: new Uint8Array(11) }));
  assert.match(e.message, /^img\.data has 11 bytes, but 2x2x3 needs 12/);
});

// ---- PNG colour types ---------------------------------------------------------------------

test("PNG grey -> 1 channel, grey+alpha -> RGBA with r = g = b, RGB -> 3, RGBA -> 4", async () => {
  const w = 7;
  const h = 5;
  const grey = randomBytes(w * h, 1);
  const g = await decode(makePng({ width: w, height: h, colorType: 0, raw: scanlines(grey, w, h, 1) }));
  assert.equal([g.channels, g.data], [1, grey]);

  const ga = randomBytes(w * h * 2, 2);
  const d = await decode(makePng({ width: w, height: h, colorType: 4, raw: scanlines(ga, w, h, 2) }));
  assert.is(d.channels, 4);
  const want = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) want.set([ga[2 * i]!, ga[2 * i]!, ga[2 * i]!, ga[2 * i + 1]!], 4 * i);
  assert.equal(d.data, want);

  const rgb = randomBytes(w * h * 3, 3);
  assert.equal((await decode(makePng({ width: w, height: h, colorType: 2, raw: scanlines(rgb, w, h, 3) }))).data, rgb);
  const rgba = randomBytes(w * h * 4, 4);
  const r4 = await decode(makePng({ width: w, height: h, colorType: 6, raw: scanlines(rgba, w, h, 4) }));
  assert.equal([r4.channels, r4.data], [4, rgba]);
});

test("PNG palette -> 3 channels, or 4 when there is a tRNS chunk", async () => {
  const w = 6;
  const h = 4;
  const palette = [10, 20, 30, 40, 50, 60, 70, 80, 90];
  const idx = randomBytes(w * h, 5).map((v) => v % 3);
  const raw = scanlines(idx, w, h, 1);
  const p3 = await decode(makePng({ width: w, height: h, colorType: 3, raw, before: [chunk("PLTE", palette)] }));
  assert.is(p3.channels, 3);
  assert.equal(p3.data, new Uint8Array(Array.from(idx).flatMap((i) => palette.slice(3 * i, 3 * i + 3))));
  const alpha = [255, 0, 128]; // a tRNS shorter than the palette would also be legal
  const p4 = await decode(makePng({ width: w, height: h, colorType: 3, raw, before: [chunk("PLTE", palette), chunk("tRNS", alpha)] }));
  assert.is(p4.channels, 4);
  assert.equal(p4.data, new Uint8Array(Array.from(idx).flatMap((i) => [...palette.slice(3 * i, 3 * i + 3), alpha[i]!])));
  // 2-bit palette indices.
  const packed = new Uint8Array([0, 0b00011000, 0, 0b10000000]); // rows: [0,1,2,0], [2,0,0,0]
  const p2 = await decode(makePng({ width: 4, height: 2, colorType: 3, bitDepth: 2, raw: packed, before: [chunk("PLTE", palette)] }));
  assert.equal(p2.data, new Uint8Array([0, 1, 2, 0, 2, 0, 0, 0].flatMap((i) => palette.slice(3 * i, 3 * i + 3))));
});

test("PNG 16-bit and 1-bit samples are rescaled to 8 bits; a grey/RGB tRNS key keeps the stored colour", async () => {
  // 16-bit RGB: 2 pixels.
  const raw16 = new Uint8Array([0, 0xff, 0xff, 0x00, 0x00, 0x80, 0x00, 0x12, 0x34, 0x00, 0x7f, 0xff, 0xff]);
  const r16 = await decode(makePng({ width: 2, height: 1, colorType: 2, bitDepth: 16, raw: raw16 }));
  const s = (v: number) => Math.floor((v * 255) / 65535 + 0.5);
  assert.equal([r16.channels, Array.from(r16.data)], [3, [255, 0, s(0x8000), s(0x1234), s(0x7f), 255]]);
  // 1-bit grey: 0 -> 0, 1 -> 255.
  const r1 = await decode(makePng({ width: 10, height: 1, colorType: 0, bitDepth: 1, raw: new Uint8Array([0, 0b10110000, 0b01000000]) }));
  assert.equal(Array.from(r1.data), [255, 0, 255, 255, 0, 0, 0, 0, 0, 255]);
  // tRNS colour keys: pngjs zeroes matching pixels; decode puts the colour back.
  const rgb = await decode(makePng({ width: 2, height: 1, colorType: 2, raw: new Uint8Array([0, 10, 20, 30, 40, 50, 60]), before: [chunk("tRNS", [0, 10, 0, 20, 0, 30])] }));
  assert.equal([rgb.channels, Array.from(rgb.data)], [3, [10, 20, 30, 40, 50, 60]]);
  const g16 = await decode(makePng({ width: 2, height: 1, colorType: 0, bitDepth: 16, raw: new Uint8Array([0, 0x12, 0x34, 0xff, 0xff]), before: [chunk("tRNS", [0x12, 0x34])] }));
  assert.equal([g16.channels, Array.from(g16.data)], [1, [s(0x1234), 255]]);
  const g2 = await decode(makePng({ width: 2, height: 1, colorType: 0, bitDepth: 2, raw: new Uint8Array([0, 0b01100000]), before: [chunk("tRNS", [0, 1])] }));
  assert.equal(Array.from(g2.data), [85, 170]);
});

test("PNG Adam7 interlaced decodes to the same pixels as non-interlaced", async () => {
  for (const [w, h, bpp, ct] of [[1, 1, 3, 2], [5, 3, 3, 2], [13, 11, 4, 6], [9, 17, 1, 0]] as const) {
    const px = randomBytes(w * h * bpp, w + h);
    const inter = await decode(makePng({ width: w, height: h, colorType: ct, interlace: 1, raw: adam7(px, w, h, bpp) }));
    assert.equal([inter.width, inter.height, inter.channels], [w, h, bpp], `${w}x${h}`);
    assert.equal(inter.data, px, `${w}x${h}x${bpp} interlaced`);
  }
});

// ---- JPEG ---------------------------------------------------------------------------------

test("JPEG: 1 component -> 1 channel, 3 -> 3, CMYK (4, Adobe) -> 3; pixels as stored", async () => {
  const coefs = [-100, -37, 0, 1, 55, 127];
  const grey = await decode(flatJpeg(24, 16, [coefs]));
  assert.equal([grey.width, grey.height, grey.channels], [24, 16, 1]);
  for (let y = 0; y < 16; y++) {
    for (let x = 0; x < 24; x++) {
      const want = 128 + coefs[(y >> 3) * 3 + (x >> 3)]!;
      assert.ok(Math.abs(grey.data[y * 24 + x]! - want) <= 1, `grey (${x}, ${y}) = ${grey.data[y * 24 + x]}, want ${want}`);
    }
  }
  // Odd size: 13x7 inside one MCU row of two blocks.
  const odd = await decode(flatJpeg(13, 7, [[0, 40]]));
  assert.equal([odd.width, odd.height, odd.channels, odd.data.length], [13, 7, 1, 91]);
  const ycc = await decode(flatJpeg(16, 8, [[0, 50], [0, 0], [0, 0]]));
  assert.equal([ycc.channels, Array.from(ycc.data.subarray(0, 3)), Array.from(ycc.data.subarray(3 * 8, 3 * 8 + 3))], [3, [128, 128, 128], [178, 178, 178]]);
  const adobe = new Uint8Array([0xff, 0xee, 0, 14, ...new TextEncoder().encode("Adobe"), 0, 100, 0, 0, 0, 0, 0]);
  const cmyk = await decode(flatJpeg(8, 8, [[0], [0], [0], [0]], [adobe]));
  assert.equal([cmyk.width, cmyk.height, cmyk.channels, cmyk.data.length], [8, 8, 3, 192]);
  await decodeFails(flatJpeg(8, 8, [[0], [0], [0], [0]]), /unsupported JPEG: 4 colour components without an Adobe APP14 marker/);
});

test("JPEG EXIF orientation is not applied (Jimp.fromBuffer would rotate)", async () => {
  // APP1 Exif, big-endian TIFF, one IFD entry: Orientation (0x0112) = 6 (rotate 90 CW).
  const tiff = [0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0];
  const payload = [...new TextEncoder().encode("Exif"), 0, 0, ...tiff];
  const app1 = new Uint8Array([0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff, ...payload]);
  const jpg = flatJpeg(24, 8, [[0, 50, 100]], [app1]);
  const img = await decode(jpg);
  assert.equal([img.width, img.height], [24, 8]);
  const viaJimp = await Jimp.fromBuffer(Buffer.from(jpg));
  assert.equal([viaJimp.bitmap.width, viaJimp.bitmap.height], [8, 24], "jimp's own reader rotates");
});

// ---- sample photos ------------------------------------------------------------------------

if (SAMPLES) {
  for (const [name, w, h] of [["astronaut.png", 512, 512], ["chelsea.png", 451, 300], ["coffee.png", 600, 400]] as const) {
    test(`sample ${name}: ${w}x${h} RGB, same pixels as pngjs`, async () => {
      const bytes = sample(name);
      const img = await decode(bytes);
      assert.equal([img.width, img.height, img.channels], [w, h, 3]);
      const ref = pngjsRead(bytes);
      assert.equal([ref.width, ref.height], [w, h]);
      const want = fromRGBA(ref.data, 3);
      let first = -1;
      for (let i = 0; i < want.length && first < 0; i++) if (img.data[i] !== want[i]) first = i;
      assert.is(first, -1, `first differing byte at ${first}`);
      assert.is(img.data.length, want.length);
      // Re-encoding and decoding gives the same pixels.
      assert.equal((await decode(await encodePng(img))).data, img.data);
    });
  }

  test("sample rocket.jpg: 640x427 RGB", async () => {
    const img = await decode(sample("rocket.jpg"));
    assert.equal([img.width, img.height, img.channels, img.data.length], [640, 427, 3, 640 * 427 * 3]);
    let colour = 0;
    for (let i = 0; i < img.data.length; i += 3) if (img.data[i] !== img.data[i + 1] || img.data[i + 1] !== img.data[i + 2]) colour++;
    assert.ok(colour > img.data.length / 30, "a colour photo, not grey");
  });
} else {
  console.log("  io: no samples folder (samples/ or /work/shared/samples/); sample tests skipped");
}

// ---- bad input ----------------------------------------------------------------------------

test("decode rejects non-bytes, empty and foreign input", async () => {
  let e = await rejection(decode("abc" as unknown as Uint8Array));
  assert.instance(e, TypeError);
  assert.match(e.message, /^decode: bytes must be a Uint8Array or ArrayBuffer, got "abc"/);
  e = await rejection(decode(new Uint16Array(4) as unknown as Uint8Array));
  assert.match(e.message, /^decode: bytes must be a Uint8Array or ArrayBuffer, got Uint16Array\(4\)/);
  e = await decodeFails(new Uint8Array(0), /^decode: empty input \(0 bytes\)/);
  assert.instance(e, TypeError);
  await decodeFails(new ArrayBuffer(0), /^decode: empty input/);
  await decodeFails(new Uint8Array([0, 1, 2, 3]), /^decode: not a PNG or JPEG file \(first bytes 00 01 02 03, 4 bytes\)/);
  for (let seed = 1; seed <= 20; seed++) {
    const bytes = randomBytes(1 + ((seed * 97) % 3000), seed);
    if (bytes[0] === 0x89 || bytes[0] === 0xff) bytes[0] = 0x42;
    await decodeFails(bytes, /^decode: not a PNG or JPEG file \(first bytes [0-9a-f ]+/, `seed ${seed}`);
  }
  await decodeFails(new TextEncoder().encode("GIF89a......"), /^decode: not a PNG or JPEG file \(first bytes 47 49 46 38 39 61 2e 2e …, 12 bytes\)/);
});

async function smallPng(): Promise<Uint8Array> {
  return encodePng(testImage(40, 30, 3, 12345));
}

test("a PNG truncated at any of several points rejects with 'decode: truncated PNG'", async () => {
  const png = await smallPng();
  const idat = 33; // signature 8 + IHDR 25
  for (const cut of [1, 4, 7, 8, 12, 20, 32, 33, 36, idat + 8, idat + 100, Math.floor(png.length / 2), png.length - 13, png.length - 12, png.length - 5, png.length - 1]) {
    await decodeFails(png.subarray(0, cut), /^decode: truncated PNG/, `cut at ${cut} of ${png.length}:`);
  }
});

test("a PNG with a flipped byte rejects: CRC mismatch, or bad zlib data when the CRC is fixed up", async () => {
  const png = await smallPng();
  const idat = 33;
  const data = idat + 8;
  for (const at of [data + 2, data + 50, data + 200]) {
    const bad = png.slice();
    bad[at] = bad[at]! ^ 0x55;
    await decodeFails(bad, /^decode: corrupt PNG: CRC mismatch in the IDAT chunk at byte 33/);
    // Fix the CRC: zlib's Adler-32 (or the stream structure) still catches it.
    const len = (bad[idat]! << 24) | (bad[idat + 1]! << 16) | (bad[idat + 2]! << 8) | bad[idat + 3]!;
    bad.set(be32(crc(bad.subarray(idat + 4, idat + 8 + len))), idat + 8 + len);
    await decodeFails(bad, /^decode: (corrupt|truncated).*PNG/, `flip at ${at}, CRC fixed:`);
  }
  // Corrupt IHDR and chunk structure.
  const ihdr = png.slice();
  ihdr[25] = 5; // colour type 5
  ihdr.set(be32(crc(ihdr.subarray(12, 29))), 29);
  await decodeFails(ihdr, /^decode: corrupt PNG: invalid colour type 5/);
  const noIhdr = concat(SIGNATURE, png.subarray(33));
  await decodeFails(noIhdr, /^decode: corrupt PNG: the first chunk is "IDAT", not IHDR/);
  const badType = png.slice();
  badType[37] = 0x31; // "1DAT"
  await decodeFails(badType, /^decode: corrupt PNG: invalid chunk type "1DAT" at byte 33/);
});

test("a PNG whose image data is short, long, or a zlib bomb rejects without decoding it", async () => {
  const rows = (w: number, h: number) => new Uint8Array(h * (1 + 3 * w));
  await decodeFails(makePng({ width: 10, height: 10, colorType: 2, raw: rows(10, 5) }), /^decode: truncated PNG image data: it inflates to 155 bytes, but a 10x10 image needs 310/);
  await decodeFails(makePng({ width: 10, height: 10, colorType: 2, raw: new Uint8Array(311) }), /^decode: corrupt PNG: the image data inflates to more than the 310 bytes/);
  const t = performance.now();
  const bomb = new Uint8Array(20e6); // deflates to ~20 KB
  for (const interlace of [0, 1] as const) {
    await decodeFails(makePng({ width: 1, height: 1, colorType: 2, interlace, raw: bomb }), /^decode: corrupt PNG: the image data inflates to more than the 4 bytes a 1x1 image needs/);
  }
  const ms = performance.now() - t;
  if (ms > 2000) console.log(`  io: zlib-bomb rejection took ${ms.toFixed(0)} ms`);
  // Trailing bytes after IEND are ignored.
  const png = await smallPng();
  assert.equal((await decode(concat(png, randomBytes(50, 3)))).data, testImage(40, 30, 3, 12345).data);
});

test("inflatedSize: Node's zlib and the DecompressionStream (browser) path agree", async () => {
  const data = randomBytes(300000, 9);
  data.fill(7, 1000, 200000);
  const z = new Uint8Array(deflateSync(data));
  const parts = [z.subarray(0, 10), z.subarray(10, 5000), z.subarray(5000)];
  const bomb = new Uint8Array(deflateSync(new Uint8Array(50e6)));
  const bad = z.slice();
  bad[z.length - 1] = bad[z.length - 1]! ^ 1; // Adler-32
  for (const useStream of [false, true]) {
    const how = useStream ? "stream" : "zlib";
    assert.is(await inflatedSize(parts, 1e6, useStream), 300000, how);
    assert.is(await inflatedSize([z], 300000, useStream), 300000, `${how}, exact limit`);
    assert.is(await inflatedSize([z], 299999, useStream), 299999, `${how}, capped`);
    assert.is(await inflatedSize([bomb], 1001, useStream), 1001, `${how}, bomb`);
    const e1 = await rejection(inflatedSize([bad], 1e6, useStream));
    assert.match(e1.message, /check|invalid|incorrect/i, `${how}: ${e1.message}`);
    await rejection(inflatedSize([z.subarray(0, 1000)], 1e6, useStream));
  }
});

test("a header over MAX_SIDE or MAX_PIXELS rejects before any pixel is decoded", async () => {
  const header = (w: number, h: number) => makePng({ width: w, height: h, colorType: 6, raw: new Uint8Array(10) });
  let e = await decodeFails(header(100000, 100000), new RegExp(`^decode: PNG width must be an integer in \\[1, ${MAX_SIDE}\\], got 100000`));
  assert.instance(e, RangeError);
  await decodeFails(header(10, 40000), /^decode: PNG height must be an integer in \[1, 32768\], got 40000/);
  e = await decodeFails(header(16384, 16384), new RegExp(`^decode: PNG image is 16384x16384 = 268435456 pixels, over the limit of ${MAX_PIXELS}`));
  assert.instance(e, RangeError);
  // Just the signature and IHDR: the limit is checked before the rest of the file is even looked at.
  const ihdrOnly = header(100000, 100000).subarray(0, 33);
  await decodeFails(ihdrOnly, /^decode: PNG width must be/);
  await decodeFails(header(0, 5), /^decode: corrupt PNG: IHDR says 0x5/);
  // JPEG sides are 16-bit: 60000 is over MAX_SIDE, 20000x20000 over MAX_PIXELS.
  const jpg = flatJpeg(8, 8, [[0]]);
  const sof = jpg.indexOf(0xc0, 2) - 1;
  const bigJpeg = (w: number, h: number) => {
    const b = jpg.slice();
    b.set([h >> 8, h & 0xff, w >> 8, w & 0xff], sof + 5);
    return b;
  };
  await decodeFails(bigJpeg(60000, 8), /^decode: JPEG width must be an integer in \[1, 32768\], got 60000/);
  await decodeFails(bigJpeg(20000, 20000), /^decode: JPEG image is 20000x20000 = 400000000 pixels, over the limit/);
  await decodeFails(bigJpeg(8, 0), /^decode: unsupported JPEG: height 0/);
  // A valid-size header whose data is far too short for the frame is corrupt, not a partial image.
  await decodeFails(bigJpeg(4000, 3000), /^decode: corrupt JPEG image data/);
});

test("a JPEG truncated at any of several points rejects with 'decode: truncated JPEG'", async () => {
  const jpgs = [flatJpeg(40, 24, [Array.from(randomBytes(15, 8), (v) => (v & 0x3f) - 32)])];
  if (SAMPLES) jpgs.push(sample("rocket.jpg"));
  for (const jpg of jpgs) {
    for (const cut of [1, 2, 3, 4, 10, 21, 100, Math.floor(jpg.length / 2), jpg.length - 3, jpg.length - 2, jpg.length - 1]) {
      if (cut >= jpg.length) continue;
      await decodeFails(jpg.subarray(0, cut), /^decode: truncated JPEG/, `cut at ${cut} of ${jpg.length}:`);
    }
  }
});

test("unsupported JPEG codings and precisions reject with a clear message", async () => {
  const jpg = flatJpeg(8, 8, [[0]]);
  const sof = jpg.indexOf(0xc0, 2) - 1;
  const lossless = jpg.slice();
  lossless[sof + 1] = 0xc3;
  await decodeFails(lossless, /^decode: unsupported JPEG: lossless coding \(SOF3\)/);
  const arith = jpg.slice();
  arith[sof + 1] = 0xc9;
  await decodeFails(arith, /^decode: unsupported JPEG: arithmetic-coded sequential coding \(SOF9\)/);
  const twelve = jpg.slice();
  twelve[sof + 4] = 12;
  await decodeFails(twelve, /^decode: unsupported JPEG: 12-bit samples/);
  await decodeFails(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), /^decode: corrupt JPEG: end-of-image marker before any frame header/);
  // Trailing bytes after the end-of-image marker are ignored.
  assert.is((await decode(concat(jpg, randomBytes(30, 4)))).width, 8);
});

test("fuzz: mutated PNGs and JPEGs either decode to the header's size or reject with 'decode:'", async () => {
  const png = await encodePng(testImage(23, 17, 4, 5));
  const jpg = flatJpeg(24, 16, [[-5, 7, 30, -60, 2, 9]]);
  const sources: [string, Uint8Array][] = [["png", png], ["jpeg", jpg]];
  if (SAMPLES) sources.push(["rocket", sample("rocket.jpg")]);
  const r = rng(2024).u32;
  let decoded = 0;
  let rejected = 0;
  for (const [name, src] of sources) {
    const rounds = name === "rocket" ? 15 : 300;
    for (let i = 0; i < rounds; i++) {
      const b = src.slice(0, r() % 3 === 0 ? 1 + (r() % src.length) : src.length);
      const flips = 1 + (r() % 4);
      for (let k = 0; k < flips; k++) b[r() % b.length] = r() & 0xff;
      try {
        const img = await decode(b);
        assert.is(img.data.length, img.width * img.height * img.channels, `${name} #${i}`);
        decoded++;
      } catch (e) {
        assert.instance(e, Error);
        assert.ok((e as Error).message.startsWith("decode:"), `${name} #${i}: ${(e as Error).message}`);
        rejected++;
      }
    }
  }
  assert.ok(rejected > 0 && decoded + rejected > 600);
});

const t0: Record<string, number> = {};
if (process.env.IO_TEST_TIMES) {
  test.before.each((ctx) => void (t0[ctx.__test__] = performance.now()));
  test.after.each((ctx) => console.log(`  ${(performance.now() - t0[ctx.__test__]!).toFixed(0).padStart(5)} ms  ${ctx.__test__}`));
}

test.run();
