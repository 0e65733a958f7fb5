// lockstep/io's public decode against Pillow 12.3: for every file of the JPEG and PNG corpora
// (tests/codec/, made by tests/codec/make_jpeg_corpus.py and make_png_corpus.py), decode(bytes,
// { mode }) must give exactly Pillow's `Image.open(f).convert(mode)` bytes, and with
// applyExifOrientation, `ImageOps.exif_transpose`'s. Then the options, the limits, the errors,
// the jimp fallback formats and encodePng's round trip.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ready } from "../src/index.js";
import { kernel } from "../src/kernel/instance.js";
import { decode, decodeSync, encodePng, readInfo, DecodeError, DEFAULT_MAX_PIXELS, type DecodeMode } from "../src/io/index.js";
import { pngManifest, sha256 } from "./helpers/codec.js";
import { jpegManifest, corpusBytes } from "./helpers/jpeg.js";

await ready();

const ROOT = join(import.meta.dirname, "..");
const otherManifest = JSON.parse(readFileSync(join(ROOT, "tests/codec/other/manifest.json"), "utf8")) as {
  pillow: string;
  files: { file: string; width: number; height: number; RGB: string; L: string; RGBA: string }[];
};

/** Which Pillow conversion `mode: "keep"` equals for a native mode (and whether it has alpha). */
function keepOf(mode: string, paletteAlpha: boolean): "L" | "RGB" | "RGBA" {
  if (mode === "1" || mode === "L" || mode === "I;16") return "L";
  if (mode === "LA" || mode === "RGBA") return "RGBA";
  if (mode === "P") return paletteAlpha ? "RGBA" : "RGB";
  return "RGB";
}

test("JPEG corpus: decode(bytes, { mode }) == Pillow's convert(mode) for RGB, L, RGBA and keep", async () => {
  const problems: string[] = [];
  let n = 0;
  for (const f of jpegManifest.files) {
    if (f.expect || f.error) continue;
    const bytes = corpusBytes(f.name);
    const want: Record<DecodeMode, string> = { RGB: f.rgb!, L: f.l!, RGBA: f.rgba!, keep: (f.mode === "L" ? f.l : f.rgb)! };
    for (const mode of ["RGB", "L", "RGBA", "keep"] as const) {
      const img = decodeSync(bytes, { mode });
      const c = mode === "L" ? 1 : mode === "RGBA" ? 4 : mode === "RGB" ? 3 : f.mode === "L" ? 1 : 3;
      if (img.channels !== c || img.width !== f.width || img.height !== f.height)
        problems.push(`${f.name} ${mode}: ${img.width}x${img.height}x${img.channels}`);
      else if (sha256(img.data) !== want[mode]) problems.push(`${f.name} ${mode}: bytes differ from Pillow's`);
      n++;
    }
  }
  assert.equal(problems, [], problems.slice(0, 20).join("\n"));
  assert.ok(n > 1200, `${n} decodes`);
});

test("JPEG corpus: applyExifOrientation == ImageOps.exif_transpose (orientations 1-8, EXIF and XMP)", () => {
  let turned = 0;
  for (const f of jpegManifest.files) {
    if (f.expect || f.error || !f.exif_transpose || f.mode === "CMYK") continue;
    const img = decodeSync(corpusBytes(f.name), { mode: "keep", applyExifOrientation: true });
    assert.equal([img.width, img.height], f.transposed_size, `${f.name}: size`);
    assert.is(sha256(img.data), f.exif_transpose, `${f.name}: bytes`);
    if (img.width !== f.width || img.height !== f.height || f.exif_transpose !== f.native) turned++;
  }
  assert.ok(turned >= 20, `${turned} files were turned`);
});

test("PNG corpus: decode(bytes, { mode }) == Pillow's convert(mode) for every colour type, depth, palette and key", () => {
  const problems: string[] = [];
  const perMode: Record<string, number> = {};
  for (const f of pngManifest.files) {
    const bytes = new Uint8Array(readFileSync(join(ROOT, f.file)));
    const info = decodeSync(bytes, { mode: "RGBA" });
    const paletteAlpha = f.mode === "P" && decodeSync(bytes, { mode: "keep" }).channels === 4;
    const keep = keepOf(f.mode, paletteAlpha);
    for (const mode of ["RGB", "L", "RGBA", "keep"] as const) {
      const img = mode === "RGBA" ? info : decodeSync(bytes, { mode });
      const want = mode === "keep" ? f[keep] : f[mode];
      if (img.width !== f.width || img.height !== f.height || sha256(img.data) !== want)
        problems.push(`${f.file} (${f.mode}) ${mode}: differs from Pillow`);
    }
    perMode[f.mode] = (perMode[f.mode] ?? 0) + 1;
  }
  console.log(`  PNG corpus: ${pngManifest.files.length} files, native modes ${JSON.stringify(perMode)}`);
  assert.equal(problems, [], problems.slice(0, 20).join("\n"));
  assert.ok(Object.keys(perMode).length >= 7, "every native mode is in the corpus");
});

test("BMP, GIF and TIFF decode through jimp (loaded for them only) to Pillow's RGB / L / RGBA", async () => {
  for (const f of otherManifest.files) {
    const bytes = new Uint8Array(readFileSync(join(ROOT, f.file)));
    for (const mode of ["RGB", "L", "RGBA"] as const) {
      const img = await decode(bytes, { mode });
      assert.equal([img.width, img.height], [f.width, f.height], `${f.file} ${mode}`);
      assert.is(sha256(img.data), f[mode], `${f.file} ${mode}: differs from Pillow ${otherManifest.pillow}`);
    }
    assert.throws(() => decodeSync(bytes), /use await decode\(bytes\)/);
  }
});

test("decode and decodeSync agree; the default mode keeps the file's channels; results share no memory", async () => {
  const bytes = new Uint8Array(readFileSync(join(ROOT, "samples/rocket.jpg")));
  const a = await decode(bytes);
  const b = decodeSync(bytes, { mode: "keep" });
  assert.equal([a.width, a.height, a.channels], [b.width, b.height, b.channels]);
  assert.ok(sha256(a.data) === sha256(b.data));
  const c = decodeSync(bytes);
  c.data[0]! ^= 0xff;
  assert.is.not(sha256(c.data), sha256(decodeSync(bytes).data), "each call returns its own buffer");
  // an ArrayBuffer and a subarray at an offset
  const padded = new Uint8Array(bytes.length + 7);
  padded.set(bytes, 7);
  assert.is(sha256(decodeSync(padded.subarray(7)).data), sha256(a.data));
  assert.is(sha256(decodeSync(bytes.slice().buffer).data), sha256(a.data));
});

test("readInfo: format, size, Pillow's mode, keep channels and orientation without decoding pixels", async () => {
  const jpeg = await readInfo(new Uint8Array(readFileSync(join(ROOT, "samples/rocket.jpg"))));
  assert.equal(
    { ...jpeg },
    { format: "jpeg", width: 640, height: 427, mode: "RGB", channels: 3, orientation: 0, progressive: false, interlaced: false },
  );
  for (const f of pngManifest.files.slice(0, 60)) {
    const i = await readInfo(new Uint8Array(readFileSync(join(ROOT, f.file))));
    assert.equal([i.format, i.width, i.height, i.mode], ["png", f.width, f.height, f.mode], f.file);
  }
});

test("options are checked: unknown keys, wrong types, modes", async () => {
  const bytes = new Uint8Array(readFileSync(join(ROOT, "samples/rocket.jpg")));
  const bad: [unknown, RegExp][] = [
    [{ mode: "CMYK" }, /mode must be "RGB", "RGBA", "L" or "keep", got "CMYK"/],
    [{ mode: 3 }, /mode must be/],
    [{ applyExifOrientation: 1 }, /applyExifOrientation must be a boolean/],
    [{ allowTruncated: "yes" }, /allowTruncated must be a boolean/],
    [{ maxPixels: 0 }, /maxPixels must be a positive integer/],
    [{ maxPixels: 1.5 }, /maxPixels must be a positive integer/],
    [{ modee: "RGB" }, /unknown option "modee"/],
    [null, /options must be an object/],
  ];
  for (const [o, re] of bad) {
    try {
      await decode(bytes, o as never);
      assert.unreachable(`accepted ${JSON.stringify(o)}`);
    } catch (e) {
      assert.ok(e instanceof TypeError || e instanceof RangeError, `${JSON.stringify(o)}: ${(e as Error).constructor.name}`);
      assert.match((e as Error).message, re);
    }
  }
});

test("size limits: maxPixels and lockstep's own, refused from the header before any memory is taken", () => {
  const bytes = new Uint8Array(readFileSync(join(ROOT, "samples/rocket.jpg"))); // 640 x 427
  assert.is(DEFAULT_MAX_PIXELS, 178956970);
  assert.throws(
    () => decodeSync(bytes, { maxPixels: 640 * 427 - 1 }),
    (e: Error) => e instanceof RangeError && /640x427 = 273280 pixels, over the limit of 273279 \(maxPixels\)/.test(e.message),
  );
  assert.is(decodeSync(bytes, { maxPixels: 640 * 427 }).width, 640);
  // Headers claiming 12000 x 12000 (over MAX_PIXELS) and 30000 x 30000 (more than the decoder's
  // 2 GiB scratch; the kernel refuses it itself): refused without growing kernel memory.
  const before = kernel().exports.memory.buffer.byteLength;
  assert.throws(
    () => decodeSync(pngHeaderOnly(12000, 12000)),
    (e: Error) =>
      e instanceof RangeError && /12000x12000 = 144000000 pixels, over the limit of 134217728 \(lockstep's MAX_PIXELS\)/.test(e.message),
  );
  assert.throws(
    () => decodeSync(pngHeaderOnly(30000, 30000)),
    (e: Error) => e instanceof RangeError && /30000x30000 pixels, more than the decoder can hold/.test(e.message),
  );
  assert.throws(() => decodeSync(pngHeaderOnly(40000, 2)), /over lockstep's limit of 32768 pixels a side/);
  assert.is(kernel().exports.memory.buffer.byteLength, before);
});

test("errors: not an image (TypeError), truncated and corrupt files (DecodeError with reason and code), and the kernel still works", async () => {
  const good = new Uint8Array(readFileSync(join(ROOT, "samples/rocket.jpg")));
  const goodHash = sha256(decodeSync(good).data);
  const expectError = (bytes: Uint8Array, type: new (...args: never[]) => Error, re: RegExp, reason?: string) => {
    try {
      decodeSync(bytes);
      assert.unreachable(`decoded ${bytes.length} bytes`);
    } catch (e) {
      assert.instance(e, type, `${(e as Error).name}: ${(e as Error).message}`);
      assert.match((e as Error).message, re);
      if (reason) assert.is((e as DecodeError).reason, reason);
    }
    assert.is(sha256(decodeSync(good).data), goodHash, "a good file still decodes to its bytes");
  };
  expectError(new Uint8Array(0), TypeError, /^decode: empty input/);
  expectError(
    new TextEncoder().encode("hello, world"),
    TypeError,
    /^decode: not a PNG or JPEG file \(first bytes 68 65 6c 6c 6f 2c 20 77 …, 12 bytes\)/,
  );
  expectError(good.subarray(0, 2), DecodeError, /^decode: truncated/, "truncated");
  expectError(good.subarray(0, 4000), DecodeError, /^decode: truncated/, "truncated");
  const png = new Uint8Array(readFileSync(join(ROOT, "samples/coffee.png")));
  expectError(png.subarray(0, 5), DecodeError, /^decode: truncated/, "truncated");
  expectError(png.subarray(0, png.length >> 1), DecodeError, /^decode: truncated PNG/, "truncated");
  const flipped = png.slice();
  flipped[100]! ^= 0x40;
  expectError(flipped, DecodeError, /^decode: corrupt PNG: CRC mismatch in the chunk at byte \d+/, "corrupt");
  for (const t of [TypeError, RangeError]) assert.not.ok(new DecodeError("x", 200) instanceof t);
  // the async entry rejects the same way
  try {
    await decode(good.subarray(0, 4000));
    assert.unreachable("decoded a truncated file");
  } catch (e) {
    assert.instance(e, DecodeError);
    assert.ok((e as DecodeError).code >= 100 && (e as DecodeError).code < 200, `code ${(e as DecodeError).code}`);
  }
});

test("allowTruncated decodes a JPEG cut short as Pillow's LOAD_TRUNCATED_IMAGES does (corpus recipes)", () => {
  const good = new Uint8Array(readFileSync(join(ROOT, "samples/rocket.jpg")));
  const cut = good.subarray(0, Math.floor(good.length * 0.6));
  assert.throws(() => decodeSync(cut), /truncated/);
  const img = decodeSync(cut, { allowTruncated: true });
  assert.equal([img.width, img.height, img.channels], [640, 427, 3]);
});

test("encodePng -> decode is exact for 1, 3 and 4 channels at odd sizes; the file is the same on every call", async () => {
  for (const channels of [1, 3, 4] as const) {
    const width = 37,
      height = 23;
    const data = new Uint8Array(width * height * channels).map((_, i) => (i * 2654435761) >>> 24);
    const img = { width, height, channels, data };
    const file = await encodePng(img);
    assert.is(sha256(await encodePng(img)), sha256(file));
    const back = decodeSync(file);
    assert.equal([back.width, back.height, back.channels], [width, height, channels]);
    assert.is(sha256(back.data), sha256(data));
  }
});

test("imageFolder, the Loader and lockstep augment decode to RGB by default: grey, RGBA and palette files run the ImageNet recipe", async () => {
  const { mkdtempSync, copyFileSync, mkdirSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { imageFolder, Loader } = await import("../src/index.js");
  const { train } = await import("./helpers/recipes.js");
  const dir = mkdtempSync(join(tmpdir(), "lockstep-io-"));
  try {
    const picks = [
      "tests/codec/jpeg/grey_cjpeg.jpg",
      "tests/codec/png/ct6-d8-33x31.png",
      "tests/codec/png/pal-trns-partial.png",
      "tests/codec/png/ct4-d8-33x31.png",
      "samples/rocket.jpg",
    ];
    mkdirSync(join(dir, "a"));
    mkdirSync(join(dir, "b"));
    picks.forEach((p, i) => copyFileSync(join(ROOT, p), join(dir, i % 2 ? "a" : "b", `${i}-${p.split("/").pop()}`)));
    const ds = await imageFolder(dir);
    assert.is(ds.mode, "RGB");
    const loader = new Loader(ds, { pipeline: train(), batchSize: picks.length, seed: 3 });
    let batches = 0;
    for await (const batch of loader) {
      assert.equal(batch.shape, [picks.length, 3, 224, 224]);
      batches++;
    }
    assert.is(batches, 1);
    // keep: the file's channels reach the pipeline, and Normalize's 3 values refuse 1 or 4 channels
    const kept = await imageFolder(dir, { mode: "keep" });
    let failed = "";
    try {
      for await (const _ of new Loader(kept, { pipeline: train(), batchSize: picks.length, seed: 3 })) void _;
    } catch (e) {
      failed = (e as Error).message;
    }
    assert.match(failed, /channels/);
    // lockstep augment: RGB by default, recorded in the manifest so verify decodes the same way
    const { augment, verify } = await import("../src/cli/augment.js");
    const outDir = mkdtempSync(join(tmpdir(), "lockstep-io-out-"));
    const manifest = await augment({ inputs: [dir], pipeline: train(), seed: 1, epochs: 1, out: outDir, version: "test" });
    const header = JSON.parse(readFileSync(manifest, "utf8").split("\n")[0]!) as { mode: string };
    assert.is(header.mode, "RGB");
    const v = await verify(manifest);
    assert.equal([v.matched, v.total], [picks.length, picks.length]);
    rmSync(outDir, { recursive: true, force: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("fromImageData: RGBA by default, { channels: 3 } drops alpha, { channels: 1 } equals the kernel's RGBA -> L", async () => {
  const { fromImageData } = await import("../src/index.js");
  const data = new Uint8ClampedArray(7 * 5 * 4).map((_, i) => (i * 97 + 13) % 256);
  assert.equal(fromImageData({ width: 7, height: 5, data }).channels, 4);
  const rgb = fromImageData({ width: 7, height: 5, data }, { channels: 3 });
  assert.equal(Array.from(rgb.data.subarray(0, 6)), [data[0], data[1], data[2], data[4], data[5], data[6]]);
  const grey = fromImageData({ width: 7, height: 5, data }, { channels: 1 });
  const file = await encodePng({ width: 7, height: 5, channels: 4, data: new Uint8Array(data) });
  assert.is(sha256(grey.data), sha256(decodeSync(file, { mode: "L" }).data), "the same luma as Pillow's convert('L') in the kernel");
  assert.throws(() => fromImageData({ width: 7, height: 5, data }, { channels: 2 as 3 }), /channels must be 1, 3 or 4/);
});

/** A PNG signature, IHDR, an empty IDAT and IEND: the header is all the size check reads. */
function pngHeaderOnly(w: number, h: number): Uint8Array {
  const b = new Uint8Array(8 + 25 + 12 + 12);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const dv = new DataView(b.buffer);
  dv.setUint32(8, 13);
  b.set([0x49, 0x48, 0x44, 0x52], 12);
  dv.setUint32(16, w);
  dv.setUint32(20, h);
  b.set([8, 2, 0, 0, 0], 24);
  dv.setUint32(29, crc(b.subarray(12, 29)));
  dv.setUint32(33, 0);
  b.set([0x49, 0x44, 0x41, 0x54], 37);
  dv.setUint32(41, crc(b.subarray(37, 41)));
  dv.setUint32(45, 0);
  b.set([0x49, 0x45, 0x4e, 0x44], 49);
  dv.setUint32(53, crc(b.subarray(49, 53)));
  return b;
}

function crc(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

test.run();
