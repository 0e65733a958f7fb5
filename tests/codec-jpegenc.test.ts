// The kernel's JPEG encoder against torchvision's encode_jpeg: every case of the committed corpus
// (tests/codec/jpegenc, made by tests/codec/make_jpegenc_corpus.py with Pillow 12.3, whose files
// the script checked to be the bytes torchvision's own bundled libjpeg-turbo writes) must encode
// to exactly the reference file, and F.jpeg must give what torchvision.transforms.v2's jpeg
// gives. Bad arguments get a status from the kernel and a RangeError naming them from the host;
// a too-small output buffer is never written past.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { F, ready, JPEG, type Image } from "../src/index.js";
import { kernel } from "../src/kernel/instance.js";
import { encodeJpeg as encodeJpegAsync } from "../src/io/encode-jpeg.js";
import { property, rejects, type Rng } from "./helpers/check.js";
import { decodeJpeg, sha256 } from "./helpers/jpeg.js";
import { encManifest, caseInput, rawEncode, synth, ENC_STATUS } from "./helpers/jpegenc.js";

await ready();

test("the corpus was made by Pillow 12.3 (libjpeg-turbo 3.1) and checked against torchvision's own libjpeg-turbo", () => {
  assert.is(encManifest.pillow, "12.3.0");
  assert.match(encManifest.libjpeg_turbo, /^3\.1\./);
  assert.match(encManifest.torchvision, /^0\.28\./);
  assert.ok(
    encManifest.checked_against.some((l) => /^torchvision .*libjpeg-turbo version 3\.1\./.test(l)),
    `checked against: ${encManifest.checked_against.join("; ")}`,
  );
  assert.ok(encManifest.cases.length >= 500, "corpus has its cases");
  for (const q of [1, 24, 25, 26, 50, 99, 100])
    assert.ok(
      encManifest.cases.some((c) => c.quality === q),
      `quality ${q} is covered`,
    );
});

test("encodeJpeg writes torchvision's encode_jpeg bytes for every corpus case", async () => {
  const problems: string[] = [];
  const per: Record<string, { cases: number; exact: number }> = {};
  for (const c of encManifest.cases) {
    const img = await caseInput(c);
    assert.equal([img.width, img.height], [c.width, c.height]);
    const file = F.encodeJpeg(img, { quality: c.quality });
    const key = `${c.input.kind} ${c.input.channels === 1 ? "grey" : "rgb"}`;
    const row = (per[key] ??= { cases: 0, exact: 0 });
    row.cases++;
    if (file.length === c.bytes && sha256(file) === c.jpeg) row.exact++;
    else if (problems.length < 10)
      problems.push(
        `${JSON.stringify(c.input)} q${c.quality}: ${file.length} bytes, want ${c.bytes}${file.length === c.bytes ? " (same length, other bytes)" : ""}`,
      );
  }
  console.log("JPEG encoder corpus (cases / byte-identical files):");
  for (const [k, v] of Object.entries(per)) console.log(`  ${k}: ${v.cases} / ${v.exact}`);
  assert.equal(problems, [], problems.join("\n"));
});

test("F.jpeg gives torchvision.transforms.v2.functional.jpeg's pixels for every corpus case", async () => {
  const problems: string[] = [];
  for (const c of encManifest.cases) {
    const img = await caseInput(c);
    const out = F.jpeg(img, c.quality);
    assert.equal([out.width, out.height, out.channels], [img.width, img.height, img.channels]);
    if (sha256(out.data) !== c.roundtrip && problems.length < 10) problems.push(`${JSON.stringify(c.input)} q${c.quality}`);
  }
  assert.equal(problems, [], `pixels differ from torchvision's: ${problems.join("; ")}`);
});

test("F.jpeg is encodeJpeg then the kernel's decoder, and writes into `out`", () => {
  const img = synth("blocks", 37, 21, 3, 5);
  const file = F.encodeJpeg(img, { quality: 60 });
  const dec = decodeJpeg(file);
  assert.is(dec.status, 0);
  const out = new Uint8Array(img.data.length);
  const got = F.jpeg(img, 60, { out });
  assert.ok(got.data === out, "the result's data is `out`");
  assert.equal(out, dec.pixels);
});

test("lockstep/io's encodeJpeg resolves to the same bytes; quality defaults to 75 as torchvision's", async () => {
  const img = synth("gradient", 40, 30, 3, 1);
  const a = await encodeJpegAsync(img);
  assert.equal(a, F.encodeJpeg(img, { quality: 75 }));
  assert.not.equal(a, F.encodeJpeg(img, { quality: 74 }));
});

test("the output buffer grows only when a file needs more than the raw image's size (noise at quality 100)", () => {
  // The corpus has such cases; check one explicitly through the raw export too.
  const c = encManifest.cases.find((x) => x.bytes > x.width * x.height * x.input.channels + 2048)!;
  assert.ok(c, "the corpus has a file larger than its raw image");
  const small = rawEncode(synth("noise", 100, 75, 1, 0).data, 100, 75, 1, 100, 100 * 75 + 2048);
  assert.is(small.status, ENC_STATUS.E_ENC_SPACE);
  assert.ok(small.guardIntact, "nothing written past the buffer");
  const big = rawEncode(synth("noise", 100, 75, 1, 0).data, 100, 75, 1, 100);
  assert.is(big.status, ENC_STATUS.OK);
  assert.ok(big.file!.length > 100 * 75 + 2048);
});

test("kernel: bad arguments give their status, never a trap", () => {
  const px = new Uint8Array(4 * 4 * 4);
  assert.is(rawEncode(px, 4, 4, 4, 75).status, ENC_STATUS.E_ENC_CHANNELS);
  assert.is(rawEncode(px, 4, 4, 2, 75).status, ENC_STATUS.E_ENC_CHANNELS);
  assert.is(rawEncode(px, 4, 4, 0, 75).status, ENC_STATUS.E_ENC_CHANNELS);
  assert.is(rawEncode(px, 0, 4, 3, 75, 4096).status, ENC_STATUS.E_ENC_SIZE);
  assert.is(rawEncode(px, 4, -1, 3, 75, 4096).status, ENC_STATUS.E_ENC_SIZE);
  assert.is(rawEncode(px, 65536, 1, 1, 75, 4096).status, ENC_STATUS.E_ENC_SIZE);
  assert.is(rawEncode(px, 4, 4, 3, 0).status, ENC_STATUS.E_ENC_QUALITY);
  assert.is(rawEncode(px, 4, 4, 3, 101).status, ENC_STATUS.E_ENC_QUALITY);
  const r = rawEncode(px, 4, 4, 3, 75, 10);
  assert.is(r.status, ENC_STATUS.E_ENC_SPACE);
  assert.ok(r.guardIntact);
  assert.is(r.info[8], 10, "the detail is the buffer's size");
});

property("kernel: any too-small output buffer stops the encode inside the buffer", 60, (rnd: Rng) => {
  const w = rnd.int(1, 70),
    h = rnd.int(1, 70),
    c = rnd.pick([1, 3] as const);
  const img = synth(rnd.pick(["noise", "gradient", "blocks", "extremes"]), w, h, c, rnd.int(0, 1000));
  const q = rnd.int(1, 100);
  const full = rawEncode(img.data, w, h, c, q);
  assert.is(full.status, ENC_STATUS.OK);
  const cap = rnd.int(0, full.file!.length - 1);
  const r = rawEncode(img.data, w, h, c, q, cap);
  assert.is(r.status, ENC_STATUS.E_ENC_SPACE, `${w}x${h}x${c} q${q} cap ${cap} of ${full.file!.length}`);
  assert.ok(r.guardIntact, "nothing written past the buffer");
});

test("host: bad arguments are a RangeError/TypeError naming them", () => {
  const rgb = synth("noise", 8, 8, 3, 0);
  const rgba: Image = { width: 2, height: 2, channels: 4, data: new Uint8Array(16) };
  rejects(() => F.encodeJpeg(rgba), RangeError, /img\.channels must be 1 \(grey\) or 3 \(RGB\)/);
  rejects(() => F.jpeg(rgba, 50), RangeError, /img\.channels must be 1 \(grey\) or 3 \(RGB\)/);
  for (const q of [0, 101, 75.5, NaN, "75", null]) {
    rejects(() => F.encodeJpeg(rgb, { quality: q as number }), RangeError, /^quality must be an integer in \[1, 100\]/);
    rejects(() => F.jpeg(rgb, q as number), RangeError, /^quality must be an integer in \[1, 100\]/);
  }
  rejects(() => F.encodeJpeg({ width: 2, height: 2, channels: 3, data: new Uint8Array(3) }), RangeError, /img\.data has 3 bytes/);
  // torchvision's encode_jpeg(input, quality) positional form; a third argument is refused.
  assert.equal(F.encodeJpeg(rgb, 75), F.encodeJpeg(rgb, { quality: 75 }));
  // @ts-expect-error a third positional argument, refused at run time too
  rejects(() => F.encodeJpeg(rgb, 75, 1), TypeError, /F\.encodeJpeg takes at most 2 positional arguments/);
  rejects(() => F.encodeJpeg(rgb, { qualty: 75 } as never), RangeError, /unknown option "qualty" \(did you mean "quality"\?\)/);
  rejects(() => F.jpeg(rgb, 50, { out: new Uint8Array(5) }), RangeError, /out has length 5/);
});

property(
  "random images: every file decodes (kernel decoder) to an image of the input's size, the same bytes on a second call",
  40,
  (rnd: Rng) => {
    const w = rnd.int(1, 90),
      h = rnd.int(1, 90),
      c = rnd.pick([1, 3] as const);
    const img = synth(rnd.pick(["noise", "gradient", "blocks", "extremes", "flat"]), w, h, c, rnd.int(0, 255));
    const q = rnd.int(1, 100);
    const file = F.encodeJpeg(img, { quality: q });
    assert.equal(F.encodeJpeg(img, { quality: q }), file);
    const d = decodeJpeg(file);
    assert.is(d.status, 0);
    assert.equal([d.width, d.height, d.bands], [w, h, c]);
    assert.equal(F.jpeg(img, q).data, d.pixels);
  },
);

test("kernel memory stays flat over repeated encodes and JPEG transforms of one size (qualities drawn)", () => {
  const img = synth("noise", 160, 120, 3, 4);
  const t = new JPEG([1, 100]);
  const bytes = () => kernel().exports.memory.buffer.byteLength;
  // Noise at quality 100 takes the larger output buffer: reserve it once.
  F.encodeJpeg(img, { quality: 100 });
  t.apply(img, { seed: 1, index: 0 });
  const before = bytes();
  for (let i = 1; i < 300; i++) {
    t.apply(img, { seed: 1, index: i });
    F.encodeJpeg(img, { quality: 1 + (i % 100) });
  }
  assert.is(bytes(), before);
});

test.run();
