// The PNG unfilter's multi-row paths (four Paeth rows at once, two at once, one) and its wide
// 4-byte stores for 3-byte pixels, on RGB and RGBA files filtered here row by row (PNG 9.2,
// written for clarity): decoding gives back the pixels that were filtered, for every width
// 1-12 and some wider, runs of 1-6 Paeth rows between other filters, nothing written past the
// output; Average rows for every pixel size its vector path takes. A one-byte change in the filtered data is seen in the pixels (the check can fail).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { deflateSync } from "node:zlib";
import { ready } from "../src/index.js";
import { pngDecode } from "./helpers/codec.js";
import { pngWithStream } from "./helpers/png-build.js";
import { rng, type Rng } from "./helpers/check.js";

await ready();

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** The filtered scanlines (filter byte first) of `px`, rows `w * bpp` bytes, with the given filters. */
function filterRows(px: Uint8Array, w: number, h: number, bpp: number, filters: number[]): Uint8Array {
  const rb = w * bpp;
  const out = new Uint8Array(h * (rb + 1));
  for (let y = 0; y < h; y++) {
    const f = filters[y]!;
    out[y * (rb + 1)] = f;
    for (let i = 0; i < rb; i++) {
      const x = px[y * rb + i]!;
      const a = i >= bpp ? px[y * rb + i - bpp]! : 0;
      const b = y > 0 ? px[(y - 1) * rb + i]! : 0;
      const c = y > 0 && i >= bpp ? px[(y - 1) * rb + i - bpp]! : 0;
      const pred = f === 0 ? 0 : f === 1 ? a : f === 2 ? b : f === 3 ? (a + b) >> 1 : paeth(a, b, c);
      out[y * (rb + 1) + 1 + i] = (x - pred) & 255;
    }
  }
  return out;
}

/** Pixels with gradients, edges and noise, so every Paeth outcome (a, b, c) occurs. */
function pixels(r: Rng, n: number): Uint8Array {
  const px = new Uint8Array(n);
  for (let i = 0; i < n; i++) px[i] = r.chance(0.3) ? r.int(0, 255) : r.chance(0.5) ? (i * 7) & 255 : (px[i - 1] ?? 0);
  return px;
}

/** Runs of 1-6 Paeth rows between single rows of the other filters. */
function filterPlan(r: Rng, h: number): number[] {
  const f: number[] = [];
  while (f.length < h) {
    const run = r.int(1, 6);
    for (let k = 0; k < run && f.length < h; k++) f.push(4);
    if (f.length < h) f.push(r.int(0, 3));
  }
  return f;
}

test("Paeth runs of 1-6 rows (4-row, 2-row and 1-row paths), RGB and RGBA, widths 1-12 and wider", () => {
  const r = rng(21);
  let cases = 0;
  for (const [colorType, bpp] of [
    [2, 3],
    [6, 4],
  ] as const) {
    for (const w of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 31, 64, 133]) {
      for (let t = 0; t < 6; t++) {
        const h = r.int(1, 17);
        const px = pixels(r, w * h * bpp);
        const filters = t === 0 ? new Array<number>(h).fill(4) : filterPlan(r, h);
        const raw = filterRows(px, w, h, bpp, filters);
        const png = pngWithStream(w, h, 8, colorType, new Uint8Array(deflateSync(raw)));
        const got = pngDecode(png, { canary: true });
        const at = `${w}x${h}x${bpp} filters ${filters.join("")}`;
        assert.is(got.status, 0, at);
        assert.is(got.overwrote, false, `${at}: nothing written past the buffers`);
        assert.ok(Buffer.from(got.data!).equals(Buffer.from(px)), `${at}: the pixels back`);
        // The deliberate error: one filtered byte changed gives other pixels.
        const bad = raw.slice();
        const y = r.int(0, h - 1);
        bad[y * (w * bpp + 1) + 1 + r.int(0, w * bpp - 1)]! ^= 0x40;
        const other = pngDecode(pngWithStream(w, h, 8, colorType, new Uint8Array(deflateSync(bad))));
        assert.is(other.status, 0, at);
        assert.not.ok(Buffer.from(other.data!).equals(Buffer.from(px)), `${at}: a changed byte is seen`);
        cases++;
      }
    }
  }
  assert.is(cases, 180);
});

test("Average rows (complement-carried vector path) for 3-, 4-, 6- and 8-byte pixels, widths 1-12 and wider", () => {
  const r = rng(22);
  let cases = 0;
  for (const [colorType, depth, bpp] of [
    [2, 8, 3],
    [6, 8, 4],
    [2, 16, 6],
    [6, 16, 8],
  ] as const) {
    for (const w of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 31, 133]) {
      for (let t = 0; t < 3; t++) {
        const h = r.int(1, 9);
        const px = pixels(r, w * h * bpp);
        // All Average, or Average with single rows of the others between.
        const filters = Array.from({ length: h }, () => (t === 0 || r.chance(0.7) ? 3 : r.int(0, 4)));
        const raw = filterRows(px, w, h, bpp, filters);
        // 16-bit samples decode to their high bytes.
        const want = depth === 8 ? px : px.filter((_, i) => i % 2 === 0);
        const got = pngDecode(pngWithStream(w, h, depth, colorType, new Uint8Array(deflateSync(raw))), { canary: true });
        const at = `${w}x${h}x${bpp} filters ${filters.join("")}`;
        assert.is(got.status, 0, at);
        assert.is(got.overwrote, false, `${at}: nothing written past the buffers`);
        assert.ok(Buffer.from(got.data!).equals(Buffer.from(want)), `${at}: the pixels back`);
        // The deliberate error: one high byte changed in an Average row gives other pixels.
        const bad = raw.slice();
        const y = filters.indexOf(3) >= 0 ? filters.indexOf(3) : 0;
        bad[y * (w * bpp + 1) + 1 + r.int(0, w - 1) * bpp]! ^= 0x40;
        const other = pngDecode(pngWithStream(w, h, depth, colorType, new Uint8Array(deflateSync(bad))));
        assert.is(other.status, 0, at);
        assert.not.ok(Buffer.from(other.data!).equals(Buffer.from(want)), `${at}: a changed byte is seen`);
        cases++;
      }
    }
  }
  assert.is(cases, 168);
});

test.run();
