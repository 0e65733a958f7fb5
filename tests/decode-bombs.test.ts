// Issue 13, defect 5, through the public API: a 618-byte JPEG whose header claimed 11585 x 11585
// took 20 s and 4 GB before failing (also through the CLI), and a 130 KB PNG zlib bomb inflated
// to 1.1 GB. The kernel decoders now refuse both from what the header allows: a clear error, at
// once, with the kernel's memory where it was. (The decoders' own status tests are in
// codec-jpeg.test.ts and codec-png.test.ts; these hold decode(), decodeSync() and the CLI to it.)
// The time bound is a generous ceiling (the defect took 20 s), not a benchmark.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { constants, deflateRawSync, deflateSync } from "node:zlib";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ready, resetKernel, kernelMemory, type Image } from "../src/index.js";
import { decode, decodeSync, DecodeError, encodeJpeg } from "../src/io/index.js";
import { run } from "../src/cli/run.js";
import { build, concat, ihdr } from "./helpers/png-build.js";

await ready();

const CEILING_MS = 2000;
const MiB = 2 ** 20;

/** A baseline JPEG of a small RGB image (the kernel writes libjpeg-turbo's bytes), its SOF0 size set to w x h. */
async function claimingJpeg(w: number, h: number): Promise<Uint8Array> {
  const img: Image = { width: 8, height: 8, channels: 3, data: Uint8Array.from({ length: 192 }, (_, i) => (i * 37) & 255) };
  const b = await encodeJpeg(img);
  let sof = 2;
  while (!(b[sof] === 0xff && b[sof + 1] === 0xc0)) sof++;
  b.set([h >> 8, h & 255, w >> 8, w & 255], sof + 5);
  return b;
}

/** A zlib stream of `n` zero bytes in about n/1000 bytes: one sync-flushed deflate segment repeated. */
function zeroBomb(n: number, segment = MiB): Uint8Array {
  const seg = new Uint8Array(deflateRawSync(new Uint8Array(segment), { level: 9, finishFlush: constants.Z_SYNC_FLUSH }));
  const count = Math.floor(n / segment);
  const body = new Uint8Array(seg.length * count);
  for (let i = 0; i < count; i++) body.set(seg, i * seg.length);
  const adler = new Uint8Array(4);
  new DataView(adler.buffer).setUint32(0, (((n % 65521) << 16) | 1) >>> 0); // s1 = 1, s2 = n: n zeros
  return concat([Uint8Array.of(0x78, 0xda), body, Uint8Array.of(3, 0), adler]);
}

const pngWith = (w: number, h: number, depth: number, colorType: number, idat: Uint8Array) =>
  build([
    { type: "IHDR", data: ihdr(w, h, depth, colorType) },
    { type: "IDAT", data: idat },
    { type: "IEND", data: new Uint8Array(0) },
  ]);

/**
 * Runs `call`, which must throw; returns the error with the time it took and how much the
 * kernel's memory and the process's resident memory grew (from a freshly reset kernel).
 */
async function refused(call: () => unknown): Promise<{ error: Error; ms: number; kernelGrowth: number; rssGrowth: number }> {
  await resetKernel();
  const kernelBefore = kernelMemory();
  const rssBefore = process.memoryUsage().rss;
  const t = performance.now();
  let error: unknown = null;
  try {
    await call();
  } catch (e) {
    error = e;
  }
  const ms = performance.now() - t;
  if (!(error instanceof Error)) throw new Error("the bomb was decoded instead of refused");
  return { error, ms, kernelGrowth: kernelMemory() - kernelBefore, rssGrowth: process.memoryUsage().rss - rssBefore };
}

test("a JPEG of under 1 KB whose header claims 11585 x 11585: a DecodeError from the header, at once, no memory taken", async () => {
  const bomb = await claimingJpeg(11585, 11585);
  assert.ok(bomb.length < 1024, `${bomb.length} bytes`);
  const calls: [string, () => unknown][] = [
    ["decode", () => decode(bomb)],
    ["decode RGB", () => decode(bomb, { mode: "RGB" })],
    ["decode allowTruncated", () => decode(bomb, { allowTruncated: true })],
    ["decodeSync L", () => decodeSync(bomb, { mode: "L" })],
  ];
  for (const [name, call] of calls) {
    const r = await refused(call);
    assert.instance(r.error, DecodeError, `${name}: ${r.error.message}`);
    assert.match(r.error.message, /^decode: truncated image data/, name);
    assert.is((r.error as DecodeError).reason, "truncated", name);
    assert.ok(r.ms < CEILING_MS, `${name}: ${r.ms.toFixed(0)} ms`);
    assert.is(r.kernelGrowth, 0, `${name}: the kernel grew by ${r.kernelGrowth} bytes`);
    assert.ok(r.rssGrowth < 64 * MiB, `${name}: resident memory grew by ${(r.rssGrowth / MiB).toFixed(0)} MiB`);
  }
});

test("headers claiming 65535 x 65535 (JPEG and PNG of every colour type): a RangeError naming the size, before any allocation", async () => {
  const bombs: [string, Uint8Array][] = [["JPEG", await claimingJpeg(65535, 65535)]];
  for (const [depth, ct] of [
    [8, 2],
    [1, 0],
    [16, 6],
    [8, 3],
  ] as const)
    bombs.push([`PNG depth ${depth} type ${ct}`, pngWith(65535, 65535, depth, ct, new Uint8Array(deflateSync(new Uint8Array(10))))]);
  for (const [name, bytes] of bombs) {
    const r = await refused(() => decode(bytes));
    assert.instance(r.error, RangeError, `${name}: ${r.error.message}`);
    assert.match(r.error.message, /^decode: .*65535x65535/, name);
    assert.ok(r.ms < CEILING_MS, `${name}: ${r.ms.toFixed(0)} ms`);
    assert.is(r.kernelGrowth, 0, `${name}: the kernel grew by ${r.kernelGrowth} bytes`);
  }
});

test("PNG zlib bombs (134 MB in ~140 KB, 1 GB in ~1 MB) stop at the header's 1000 x 1000: a DecodeError, kernel memory of the header's size", async () => {
  for (const n of [134 * MiB, 2 ** 30]) {
    const png = pngWith(1000, 1000, 8, 0, zeroBomb(n));
    const r = await refused(() => decode(png));
    assert.instance(r.error, DecodeError, r.error.message);
    assert.is((r.error as DecodeError).reason, "corrupt");
    assert.match(r.error.message, /^decode: corrupt PNG: the image data inflates to more than the 1001000 bytes the header's size allows/);
    assert.ok(r.ms < CEILING_MS, `${n} bytes: ${r.ms.toFixed(0)} ms`);
    // The file, the 1000 x 1001 filtered rows and the image, nothing of the bomb's size.
    assert.ok(
      r.kernelGrowth <= png.length + 4 * 1000 * 1001 + MiB,
      `${n} bytes in ${png.length}: the kernel grew by ${r.kernelGrowth} bytes`,
    );
    assert.ok(r.rssGrowth < 128 * MiB, `resident memory grew by ${(r.rssGrowth / MiB).toFixed(0)} MiB`);
  }
});

test("lockstep augment on a folder holding the JPEG bomb stops at once with an error naming the file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "lockstep-bomb-"));
  try {
    mkdirSync(join(dir, "in"));
    const file = join(dir, "in", "claims-11585.jpg");
    writeFileSync(file, await claimingJpeg(11585, 11585));
    const r = await refused(() => run(["augment", join(dir, "in"), "--out", join(dir, "out"), "--epochs", "1"], () => {}));
    assert.match(r.error.message, /claims-11585\.jpg: decode: truncated image data/);
    assert.ok(r.ms < CEILING_MS * 2, `${r.ms.toFixed(0)} ms`);
    assert.ok(r.kernelGrowth < 8 * MiB, `the kernel grew by ${r.kernelGrowth} bytes`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a 16-bit RGBA PNG header claiming 11585 x 11585 over a few bytes of data: refused before its 1.5 GiB is taken", async () => {
  const png = pngWith(11585, 11585, 16, 6, new Uint8Array(deflateSync(new Uint8Array(10))));
  assert.ok(png.length < 100, `${png.length} bytes`);
  for (const [name, call] of [
    ["decode", () => decode(png)],
    ["decodeSync", () => decodeSync(png)],
  ] as const) {
    const r = await refused(call);
    assert.instance(r.error, DecodeError, `${name}: ${r.error.message}`);
    assert.is((r.error as DecodeError).reason, "corrupt", name);
    assert.ok(
      r.error.message.startsWith("decode: corrupt PNG: its ") &&
        r.error.message.includes(`cannot inflate to the ${11585 * 11585 * 8} bytes of pixel data`),
      `${name}: ${r.error.message}`,
    );
    assert.ok(r.ms < CEILING_MS, `${name}: ${r.ms.toFixed(0)} ms`);
    assert.is(r.kernelGrowth, 0, `${name}: the kernel grew by ${r.kernelGrowth} bytes`);
  }
});

test("the inflate-ratio check refuses no real file: 4000 x 4000 zeros at zlib's best ratio still decode", async () => {
  const w = 4000,
    h = 4000;
  const png = pngWith(w, h, 8, 0, new Uint8Array(deflateSync(new Uint8Array((w + 1) * h), { level: 9 })));
  const img = await decode(png, { mode: "keep" });
  assert.equal([img.width, img.height, img.channels], [w, h, 1]);
  assert.ok(img.data.every((v) => v === 0));
});
test.run();
