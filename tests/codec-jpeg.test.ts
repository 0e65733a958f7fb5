// The kernel's JPEG decoder against Pillow 12.3: every file of the committed corpus
// (tests/codec/jpeg, made by tests/codec/make_jpeg_corpus.py) must decode to exactly the bytes
// of Pillow's Image.open(f).tobytes(), and with the EXIF orientation applied by `orient`, to
// ImageOps.exif_transpose's bytes. Damaged inputs (truncations, byte flips, broken tables and
// markers, recipes in the manifest) must give a status, never a trap, and never bytes that
// differ from what Pillow decodes.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ready } from "../src/index.js";
import { property } from "./helpers/check.js";
import { kernel } from "../src/kernel/instance.js";
import {
  decodeJpeg,
  orientPixels,
  jpegManifest,
  corpusBytes,
  mutated,
  sha256,
  STATUS,
  INFO,
  MODE_NAMES,
  type Mutation,
} from "./helpers/jpeg.js";

await ready();

const JPEG_ALLOW_TRUNCATED = 1;
const nameOf = Object.fromEntries(Object.entries(STATUS).map(([k, v]) => [v, k])) as Record<number, string>;

test("the corpus was made by Pillow 12.3 with libjpeg-turbo 3.1", () => {
  assert.is(jpegManifest.pillow, "12.3.0");
  assert.match(jpegManifest.libjpeg_turbo, /^3\.1\./);
  assert.ok(jpegManifest.files.length > 300, "corpus has its files");
});

test("every corpus file decodes to Pillow's bytes (native mode), or is refused where it must be", () => {
  const perCategory: Record<string, { files: number; exact: number; refused: number }> = {};
  const problems: string[] = [];
  for (const f of jpegManifest.files) {
    const row = (perCategory[f.category] ??= { files: 0, exact: 0, refused: 0 });
    row.files++;
    const r = decodeJpeg(corpusBytes(f.name));
    if (f.expect) {
      if (nameOf[r.status] === f.expect) row.refused++;
      else problems.push(`${f.name}: want ${f.expect}, got ${nameOf[r.status] ?? r.status}`);
      continue;
    }
    if (f.error) {
      // Pillow refuses the file: so must the kernel.
      if (r.status !== STATUS.OK) row.refused++;
      else problems.push(`${f.name}: Pillow refuses it (${f.error}) but the kernel decoded it`);
      continue;
    }
    if (r.status !== STATUS.OK) {
      problems.push(`${f.name}: status ${nameOf[r.status]} (detail ${r.info[INFO.DETAIL]}, ${r.info[INFO.DETAIL2]})`);
      continue;
    }
    assert.is(MODE_NAMES[r.info[INFO.MODE]!], f.mode, `${f.name}: mode`);
    assert.equal([r.width, r.height], [f.width, f.height], `${f.name}: size`);
    if (sha256(r.pixels!) === f.native) row.exact++;
    else problems.push(`${f.name}: bytes differ from Pillow's`);
  }
  console.log("JPEG corpus, per category (files / exact / refused as expected):");
  for (const [c, v] of Object.entries(perCategory)) console.log(`  ${c}: ${v.files} / ${v.exact} / ${v.refused}`);
  assert.equal(problems, [], problems.join("\n"));
});

test("EXIF orientation applied by orient() gives ImageOps.exif_transpose's bytes", () => {
  let checked = 0;
  let transposed = 0;
  for (const f of jpegManifest.files) {
    if (!f.exif_transpose || f.expect) continue;
    const r = decodeJpeg(corpusBytes(f.name));
    assert.is(r.status, STATUS.OK, f.name);
    const o = r.info[INFO.ORIENTATION]!;
    const out = orientPixels(r.pixels!, r.width, r.height, r.bands, o);
    assert.is(sha256(out), f.exif_transpose, `${f.name}: orientation ${o}`);
    const swapped = o >= 5 && o <= 8;
    assert.equal(swapped ? [r.height, r.width] : [r.width, r.height], f.transposed_size, `${f.name}: transposed size`);
    checked++;
    if (o >= 2) transposed++;
  }
  assert.ok(checked > 300 && transposed >= 20, `${checked} files, ${transposed} with a transpose`);
});

test("jpegInfo: header facts without decoding, and exifOrientation on the EXIF block it locates", () => {
  const k = kernel().exports as unknown as { exifOrientation(p: number, n: number): number };
  for (const f of jpegManifest.files) {
    if (f.error || f.expect) continue;
    const bytes = corpusBytes(f.name);
    const r = decodeJpeg(bytes);
    assert.is(r.info[INFO.FORMAT], 2, f.name);
    assert.is(r.info[INFO.BITS], 8, f.name);
    assert.is(r.info[INFO.COMPONENTS], r.bands, f.name);
    const at = r.info[INFO.EXIF]!,
      len = r.info[INFO.EXIF_LEN]!;
    if (at === 0 || f.name.startsWith("xmp")) continue;
    const { arena } = kernel();
    arena.reset();
    const p = arena.put(bytes.subarray(at, at + len));
    // Where EXIF has the tag, the block alone gives the orientation jpegInfo reported.
    const o = k.exifOrientation(p, len);
    if (o !== 0) assert.is(o, r.info[INFO.ORIENTATION], f.name);
  }
});

/** Pillow's outcome for a recipe and the kernel's: the kernel may refuse what Pillow decodes,
 * but whatever it decodes must be Pillow's bytes, and what Pillow refuses it must refuse. */
function judge(m: Mutation, allow: boolean, tally: Record<string, number>, wrong: string[]): void {
  const want = allow && m.op === "truncate" ? m.pillow_truncated_ok! : m.pillow;
  const r = decodeJpeg(mutated(m), allow ? JPEG_ALLOW_TRUNCATED : 0);
  const got = r.status === STATUS.OK ? sha256(r.pixels!) : "error";
  const what = `${m.source} ${m.op} ${m.at ?? m.offset}${m.value !== undefined ? `=${m.value}` : ""}${m.hex ? ` ${m.hex}` : ""}${allow ? " (allowTruncated)" : ""}`;
  if (r.status !== STATUS.OK) {
    assert.ok(nameOf[r.status], `${what}: unknown status ${r.status}`);
    assert.ok(r.status >= 1 && r.status < 300, what);
  }
  if (got === want)
    tally[want === "error" ? "both refuse" : "same bytes"] = (tally[want === "error" ? "both refuse" : "same bytes"] ?? 0) + 1;
  else if (got === "error") tally["kernel refuses, Pillow decodes"] = (tally["kernel refuses, Pillow decodes"] ?? 0) + 1;
  else wrong.push(`${what}: Pillow ${want === "error" ? `refuses (${m.pillow_error})` : "decodes other bytes"}, kernel decoded`);
}

test("damaged files: a status or Pillow's exact bytes, never a trap or other bytes", () => {
  const tallies: Record<string, Record<string, number>> = {};
  const wrong: string[] = [];
  for (const m of jpegManifest.mutations) {
    if (m.expect) {
      // Recipes without a Pillow run: the status is the contract (e.g. a scan flood).
      assert.is(nameOf[decodeJpeg(mutated(m)).status], m.expect, `${m.source} ${m.op}`);
      continue;
    }
    judge(m, false, (tallies[m.op] ??= {}), wrong);
    if (m.op === "truncate") judge(m, true, (tallies["truncate (allowTruncated)"] ??= {}), wrong);
    else if (m.op === "flip") judge(m, true, (tallies["flip (allowTruncated)"] ??= {}), wrong);
  }
  console.log("JPEG damaged inputs:", JSON.stringify(tallies));
  assert.equal(wrong, [], wrong.join("\n"));
  // Pillow refuses every truncated file by default: so does the kernel.
  assert.not.ok(tallies.truncate!["same bytes"] || tallies.truncate!["kernel refuses, Pillow decodes"], "strict truncations");
  // With allowTruncated the kernel follows LOAD_TRUNCATED_IMAGES on most of them.
  assert.ok((tallies["truncate (allowTruncated)"]!["same bytes"] ?? 0) >= 140, "allowTruncated decodes");
});

test("headers that claim too much fail in jpegInfo, before any image memory", () => {
  const good = corpusBytes("q090_420_rocket.jpg");
  const sof = (() => {
    for (let p = 2; p < good.length; ) {
      if (good[p + 1] === 0xc0) return p;
      p += 2 + ((good[p + 2]! << 8) | good[p + 3]!);
    }
    throw new Error("no SOF");
  })();
  const claim = (w: number, h: number) => {
    const b = good.slice();
    b.set([h >> 8, h & 255, w >> 8, w & 255], sof + 5);
    return decodeJpeg(b);
  };
  const huge = claim(65535, 65535);
  assert.is(nameOf[huge.status], "E_TOO_LARGE");
  assert.equal([huge.info[INFO.DETAIL], huge.info[INFO.DETAIL2]], [65535, 65535]);
  // 11585 x 11585 in about 7 KB: less than one bit a block, refused by jpegInfo itself.
  const big = claim(11585, 11585);
  assert.is(nameOf[big.status], "E_TRUNCATED_DATA");
  assert.is(big.info[INFO.SCRATCH], 0, "jpegInfo gave up before sizing the decode");
  assert.is(nameOf[decodeJpeg(new Uint8Array(0)).status], "E_FORMAT");
  assert.is(nameOf[decodeJpeg(new Uint8Array(1000)).status], "E_FORMAT");
  assert.is(nameOf[decodeJpeg(good.subarray(0, 3)).status], "E_TRUNCATED");
});

// Seeded random damage beyond the recipes (no oracle here): the kernel always returns, with a
// known status or an image, whatever the bytes.
const FUZZ_SOURCES = [
  "q075_420_rocket.jpg",
  "prog_pil_420.jpg",
  "rst_prog_b2.jpg",
  "cmyk_pil_prog.jpg",
  "ycck_sub.jpg",
  "samp_4x1_2x1_1x1_37x29.jpg",
  "prog_scans_low_ac_2x2.jpg",
  "grey_sample_1x3.jpg",
  "exif_rational.jpg",
  "coef_extreme_1.jpg",
];
property("random damage: a known status or an image, never a trap", 400, (r) => {
  const src = corpusBytes(r.pick(FUZZ_SOURCES));
  let b = src.slice();
  for (let n = r.int(1, 4); n > 0; n--) {
    const at = r.int(0, Math.max(0, b.length - 1));
    switch (r.int(0, 4)) {
      case 0:
        b[at] = r.u32() & 255;
        break;
      case 1:
        b = b.slice(0, at);
        break;
      case 2: {
        const ins = Uint8Array.from({ length: r.int(1, 8) }, () => (r.chance(0.3) ? 0xff : r.u32() & 255));
        b = new Uint8Array([...b.subarray(0, at), ...ins, ...b.subarray(at)]);
        break;
      }
      case 3: {
        const len = r.int(1, 64);
        b = new Uint8Array([...b.subarray(0, at), ...b.subarray(at + len)]);
        break;
      }
      default: {
        const from = r.int(0, Math.max(0, b.length - 32));
        b = new Uint8Array([...b.subarray(0, at), ...b.subarray(from, from + r.int(2, 32)), ...b.subarray(at)]);
      }
    }
  }
  for (const options of [0, JPEG_ALLOW_TRUNCATED]) {
    const res = decodeJpeg(b, options);
    assert.ok(nameOf[res.status], `unknown status ${res.status}`);
    if (res.status === STATUS.OK) assert.is(res.pixels!.length, res.width * res.height * res.bands);
  }
});

test("after all the damage, a good file still decodes to Pillow's bytes", () => {
  for (const name of ["q090_420_rocket.jpg", "prog_pil_420.jpg", "cmyk_pil_q75.jpg"]) {
    const f = jpegManifest.files.find((x) => x.name === name)!;
    const r = decodeJpeg(corpusBytes(name));
    assert.is(sha256(r.pixels!), f.native, name);
  }
});

test.run();
