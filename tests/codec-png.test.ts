// The kernel's PNG decoder against Pillow 12.3: every file of the committed corpus
// (tests/codec/make_png_corpus.py) decodes to the bytes Pillow holds after Image.open, and
// converts to Pillow's convert("RGB" / "L" / "RGBA"); bad input gives a status, never a trap,
// never a write past the buffers, in bounded work; the kernel decodes correctly afterwards.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { constants, crc32, deflateRawSync, deflateSync } from "node:zlib";
import { ready } from "../src/index.js";
import { kernel } from "../src/kernel/instance.js";
import { FLAG, INFO, MODES, convert, inflate, pngDecode, pngInfo, pngManifest as manifest, readRepo, sha256 } from "./helpers/codec.js";
import { adler32, build, chunkBytes, chunks, concat, ihdr, pngWithStream, SIGNATURE, type Chunk } from "./helpers/png-build.js";
import { rng } from "./helpers/check.js";
import { DeflateBits } from "./helpers/deflate-bits.js";

await ready();

const E = {
  FORMAT: 1,
  TOO_LARGE: 2,
  TRUNCATED: 100,
  TRUNCATED_DATA: 101,
  CRC: 201,
  ADLER: 202,
  INFLATE: 203,
  SIZE: 204,
  CRITICAL: 30,
  CHUNK_END: 130,
  NO_IEND: 131,
  IHDR: 230,
  DEPTH: 231,
  METHOD: 232,
  DIMENSIONS: 233,
  CHUNK: 234,
  PLTE: 235,
  NO_PLTE: 236,
  TRNS: 237,
  NO_IDAT: 238,
  IDAT_ORDER: 239,
  FILTER: 240,
  SHORT: 241,
} as const;

const byName = new Map(manifest.files.map((f) => [f.file.split("/").pop()!, f]));
const file = (name: string) => readRepo(byName.get(name)!.file);

/** Decodes a known-good file and checks Pillow's hash: the kernel still works after bad input. */
function stillGood(): void {
  for (const name of ["ct3-d4-i-17x13.png", "ct6-d16-33x31.png", "chelsea.png"]) {
    const f = byName.get(name)!;
    const r = pngDecode(readRepo(f.file));
    assert.is(r.status, 0, name);
    assert.is(sha256(r.data!), f.native, `${name} after bad input`);
  }
}

test("corpus: every file decodes to Pillow's native mode and bytes", () => {
  const counts: Record<string, [number, number]> = {};
  const failures: string[] = [];
  for (const f of manifest.files) {
    const r = pngDecode(readRepo(f.file), { canary: true });
    const c = (counts[f.category] ??= [0, 0]);
    c[1]++;
    const ok =
      r.status === 0 &&
      r.info[INFO.MODE] === MODES[f.mode] &&
      r.info[INFO.WIDTH] === f.width &&
      r.info[INFO.HEIGHT] === f.height &&
      sha256(r.data!) === f.native &&
      (f.mode !== "P" || sha256(r.aux!) === f.aux) &&
      r.overwrote === false;
    if (ok) c[0]++;
    else failures.push(`${f.file}: status ${r.status}, mode ${r.info[INFO.MODE]} (Pillow ${f.mode})`);
  }
  if (process.env.CODEC_REPORT)
    console.log(
      Object.entries(counts)
        .map(([k, [a, b]]) => `${k}: ${a}/${b}`)
        .join("\n"),
    );
  assert.equal(failures, [], failures.slice(0, 5).join("\n"));
  assert.ok(manifest.files.length >= 400, "the corpus is all there");
});

test("corpus: convertMode of every decoded file equals Pillow's convert RGB, L and RGBA", () => {
  const failures: string[] = [];
  for (const f of manifest.files) {
    const r = pngDecode(readRepo(f.file));
    assert.is(r.status, 0, f.file);
    const mode = r.info[INFO.MODE]!;
    const flags = r.info[INFO.FLAGS]!;
    const key = flags & FLAG.KEY ? [r.info[INFO.KEY]!, r.info[INFO.KEY + 1]!, r.info[INFO.KEY + 2]!] : undefined;
    for (const to of ["RGB", "L", "RGBA"] as const) {
      const c = convert(r.data!, mode, f.width, f.height, MODES[to]!, { aux: r.aux!, flags, ...(key ? { key } : {}) });
      if (c.status !== 0 || sha256(c.data!) !== f[to]) failures.push(`${f.file} -> ${to}: status ${c.status}`);
    }
  }
  assert.equal(failures, [], failures.slice(0, 5).join("\n"));
});

test("info: flags, colour keys, components, eXIf, orientation (Pillow's getexif) and END as the file says", () => {
  for (const f of manifest.files) {
    const bytes = readRepo(f.file);
    const { status, info } = pngInfo(bytes);
    assert.is(status, 0, f.file);
    assert.is(info[INFO.FORMAT], 1);
    assert.is(info[INFO.END], bytes.length, `${f.file}: END`);
    assert.ok(info[INFO.SCRATCH]! > 0);
    const ihdrData = chunks(bytes)[0]!.data;
    assert.is(info[INFO.BITS], ihdrData[8], `${f.file}: BITS`);
    assert.is(info[INFO.COMPONENTS], [1, 0, 3, 1, 2, 0, 4][ihdrData[9]!], `${f.file}: COMPONENTS`);
    assert.is(!!(info[INFO.FLAGS]! & FLAG.INTERLACED), ihdrData[12] === 1, `${f.file}: interlace flag`);
    const o = f.orientation ?? 0;
    assert.is(info[INFO.ORIENTATION], o >= 1 && o <= 8 ? o : 0, `${f.file}: orientation`);
    const t = f.transparency;
    if (f.mode !== "P" && f.mode !== "RGBA" && f.mode !== "LA") {
      assert.is(!!(info[INFO.FLAGS]! & FLAG.KEY), t !== undefined, `${f.file}: key flag`);
      if (typeof t === "number" && f.mode !== "1") assert.is(info[INFO.KEY], t, `${f.file}: grey key`);
      if (Array.isArray(t)) assert.equal([info[INFO.KEY], info[INFO.KEY + 1], info[INFO.KEY + 2]], t, `${f.file}: RGB key`);
    } else if (f.mode === "P") {
      assert.is(!!(info[INFO.FLAGS]! & FLAG.PALETTE_ALPHA), t !== undefined, `${f.file}: palette alpha flag`);
    }
  }
  for (const name of ["exif-orientation6.png", "exif-after-idat.png"]) {
    const bytes = file(name);
    const { info } = pngInfo(bytes);
    const at = info[INFO.EXIF]!;
    assert.equal(String.fromCharCode(...bytes.subarray(at, at + 4)), "MM\x00*", name);
    assert.is(info[INFO.EXIF_LEN], 26);
  }
});

test("bytes after IEND are ignored, and END says where the image ends", () => {
  const f = byName.get("ct2-d8-33x31.png")!;
  const bytes = readRepo(f.file);
  const more = concat([bytes, new Uint8Array(100).fill(7)]);
  const r = pngDecode(more);
  assert.is(r.status, 0);
  assert.is(r.info[INFO.END], bytes.length);
  assert.is(sha256(r.data!), f.native);
});

// ---- zlib streams ------------------------------------------------------------------------

test("crc32 and adler32 equal Node's zlib.crc32 and a plain Adler-32 at every length and offset", () => {
  const k = kernel().exports as unknown as { crc32(c: number, p: number, n: number): number; adler32(p: number, n: number): number };
  const { arena } = kernel();
  const r = rng(3);
  for (let i = 0; i < 200; i++) {
    const n = r.pick([0, 1, 7, 8, 9, 15, 16, 17, 31, 4095, 4096, 4097, 5552, 5553, r.int(0, 70000)]);
    const data = new Uint8Array(n);
    const flat = r.chance(0.2);
    for (let j = 0; j < n; j++) data[j] = flat ? 255 : r.u32();
    arena.reset();
    const at = arena.alloc(n + 16) + r.int(0, 7); // unaligned too
    arena.u8().set(data, at);
    assert.is(k.crc32(0, at, n) >>> 0, crc32(data), `crc32 of ${n} bytes`);
    const split = r.int(0, n);
    assert.is(k.crc32(k.crc32(0, at, split), at + split, n - split) >>> 0, crc32(data), "crc32 continued");
    assert.is(k.adler32(at, n) >>> 0, adler32(data), `adler32 of ${n} bytes`);
  }
});

test("inflate: Node's zlib at every level and strategy, window and memory size", () => {
  const r = rng(7);
  for (let i = 0; i < 60; i++) {
    const n = r.pick([0, 1, 2, 100, 257, 5000, 40000, 100000]);
    const data = new Uint8Array(n);
    const alphabet = r.int(1, 256);
    const run = r.int(1, 40);
    for (let j = 0; j < n; j++) data[j] = j % run === 0 || r.chance(0.3) ? r.int(0, alphabet - 1) : (data[j - 1] ?? 0);
    const level = r.int(0, 9);
    const strategy = r.pick([
      constants.Z_DEFAULT_STRATEGY,
      constants.Z_FILTERED,
      constants.Z_HUFFMAN_ONLY,
      constants.Z_RLE,
      constants.Z_FIXED,
    ]);
    const windowBits = r.int(9, 15);
    const z = new Uint8Array(deflateSync(data, { level, strategy, windowBits, memLevel: r.int(1, 9) }));
    const out = inflate(z, n);
    assert.is(out.status, 0, `case ${i}: level ${level} strategy ${strategy}`);
    assert.ok(Buffer.from(out.data!).equals(Buffer.from(data)), `case ${i} bytes`);
    // Every strict prefix is a truncated stream; extra bytes after the Adler-32 are ignored.
    if (z.length < 400) {
      for (let k = 0; k < z.length; k++)
        assert.is(inflate(z.subarray(0, k), n).status, E.TRUNCATED_DATA, `case ${i}: prefix ${k} of ${z.length}`);
    }
    assert.is(inflate(concat([z, Uint8Array.of(1, 2, 3)]), n).status, 0);
    // One byte more or less than the stream holds.
    assert.is(inflate(z, n + 1).status, E.SHORT);
    if (n > 0) assert.is(inflate(z, n - 1).status, E.SIZE);
  }
});

test("inflate: header checks, bad Adler-32, bad block type, bad stored length, far distance", () => {
  const data = new TextEncoder().encode("abcabcabcabcabcabc hello hello hello");
  const z = new Uint8Array(deflateSync(data));
  assert.is(inflate(z, data.length).status, 0);
  const mod = (f: (b: Uint8Array) => void) => {
    const b = z.slice();
    f(b);
    return inflate(b, data.length).status;
  };
  assert.is(
    mod((b) => (b[0] = 0x79)),
    E.INFLATE,
    "CM 9",
  );
  assert.is(
    mod((b) => (b[0] = 0x88)),
    E.INFLATE,
    "window 64K",
  );
  assert.is(
    mod((b) => (b[1]! ^= 1)),
    E.INFLATE,
    "FCHECK",
  );
  assert.is(
    mod((b) => (b[1] = (b[1]! | 0x20) - (((b[0]! << 8) | (b[1]! | 0x20)) % 31))),
    E.INFLATE,
    "FDICT",
  );
  assert.is(
    mod((b) => (b[b.length - 1]! ^= 1)),
    E.ADLER,
  );
  // Hand-made raw streams: block type 3; stored with LEN != ~NLEN; a distance before the start.
  const wrap = (raw: ArrayLike<number>, out: Uint8Array) => concat([Uint8Array.of(0x78, 0x9c), Uint8Array.from(raw), be32(adler32(out))]);
  assert.is(inflate(wrap([0b111], new Uint8Array(0)), 0).status, E.INFLATE, "BTYPE 3");
  assert.is(inflate(wrap([1, 1, 0, 0xfe, 0xff, 7], Uint8Array.of(7)), 1).status, 0, "stored block");
  assert.is(inflate(wrap([1, 1, 0, 0xfe, 0xfe, 7], Uint8Array.of(7)), 1).status, E.INFLATE, "NLEN");
  // Fixed block: literal 'a' then (length 3, distance 2) when only one byte exists.
  const bits = new DeflateBits();
  bits.put(1, 1).put(1, 2); // BFINAL, fixed
  bits.code(0x30 + 0x61, 8); // literal 'a'
  bits.code(1, 7); // length 3 (symbol 257)
  bits.code(1, 5); // distance 2
  bits.code(0, 7); // end of block
  assert.is(inflate(wrap(bits.bytes(), Uint8Array.of(0x61, 0x61, 0x61, 0x61)), 4).status, E.INFLATE, "distance too far");
});

test("inflate: incomplete and over-subscribed codes are refused where zlib refuses them", () => {
  // A dynamic block whose code-length code is incomplete (only one length-1 code).
  const b = new DeflateBits();
  b.put(1, 1).put(2, 2); // final, dynamic
  b.put(0, 5).put(0, 5).put(0, 4); // HLIT 257, HDIST 1, HCLEN 4
  b.put(1, 3).put(0, 3).put(0, 3).put(0, 3); // lengths for 16, 17, 18, 0: only symbol 16 has a code
  const z = concat([Uint8Array.of(0x78, 0x9c), Uint8Array.from(b.bytes()), new Uint8Array(4)]);
  assert.is(inflate(z, 0).status, E.INFLATE);
  // Over-subscribed: three code-length codes of length 1.
  const c = new DeflateBits();
  c.put(1, 1).put(2, 2).put(0, 5).put(0, 5).put(0, 4).put(1, 3).put(1, 3).put(1, 3).put(0, 3);
  assert.is(inflate(concat([Uint8Array.of(0x78, 0x9c), Uint8Array.from(c.bytes()), new Uint8Array(4)]), 0).status, E.INFLATE);
});

// ---- bad PNG files -------------------------------------------------------------------------

const goodFiles = [
  "ct2-d8-70x70.png",
  "ct3-d4-i-33x31.png",
  "ct0-d16-i-17x13.png",
  "idat-1byte.png",
  "chelsea.png",
  "pal-trns-partial.png",
  "ct6-d8-i-70x70.png",
];

test("truncated at every 1/16 of their length: a truncation status, nothing written past the buffers", () => {
  for (const name of goodFiles) {
    const f = byName.get(name)!;
    const bytes = readRepo(f.file);
    for (let k = 0; k < 16; k++) {
      const cut = bytes.subarray(0, Math.floor((bytes.length * k) / 16));
      const r = pngDecode(cut, { canary: true });
      if (k === 0) assert.is(r.status, E.FORMAT, `${name}: 0 bytes`);
      else assert.ok(r.status >= 100 && r.status < 200, `${name} cut to ${k}/16: status ${r.status}`);
      assert.not.ok(r.overwrote, `${name} cut to ${k}/16 wrote past a buffer`);
    }
    // Cut one byte short of IEND's end, and IEND missing altogether.
    assert.is(pngDecode(bytes.subarray(0, bytes.length - 1)).status, E.CHUNK_END, name);
    assert.is(pngDecode(bytes.subarray(0, bytes.length - 12)).status, E.NO_IEND, name);
  }
  stillGood();
});

test("a truncated zlib stream inside complete chunks is truncated image data", () => {
  const f = byName.get("ct2-d8-70x70.png")!;
  const list = chunks(readRepo(f.file));
  const idat = list.find((c) => c.type === "IDAT")!;
  for (const keep of [2, 10, idat.data.length >> 1, idat.data.length - 5, idat.data.length - 1]) {
    const bad = build(list.map((c) => (c === idat ? { type: "IDAT", data: idat.data.subarray(0, keep) } : c)));
    assert.is(pngDecode(bad).status, E.TRUNCATED_DATA, `IDAT cut to ${keep}`);
  }
});

test("CRC mismatches in every chunk, Adler-32 mismatch, bogus chunk lengths", () => {
  for (const name of ["pal-trns-partial.png", "ancillary-after.png", "idat-empty-chunks.png"]) {
    const bytes = readRepo(byName.get(name)!.file);
    const list = chunks(bytes);
    list.forEach((c, i) => {
      // A flipped data byte (or type byte for empty chunks) under the old CRC.
      const parts = list.map((d, j) => {
        if (j !== i) return chunkBytes(d.type, d.data);
        const crc = chunkBytes(d.type, d.data).subarray(-4);
        const data = d.data.slice();
        if (data.length) data[data.length >> 1]! ^= 0x10;
        const out = chunkBytes(d.type, data, new DataView(crc.buffer, crc.byteOffset).getUint32(0));
        if (!data.length) out[out.length - 1]! ^= 1;
        return out;
      });
      const r = pngDecode(concat([SIGNATURE, ...parts]), { canary: true });
      assert.is(r.status, E.CRC, `${name}: chunk ${i} (${c.type})`);
      assert.not.ok(r.overwrote);
    });
  }
  // Adler-32: change the checksum and re-sign the IDAT chunk.
  const list = chunks(file("ct0-d8-33x31.png"));
  const idat = list.find((c) => c.type === "IDAT")!;
  idat.data[idat.data.length - 1]! ^= 0x40;
  assert.is(pngDecode(build(list)).status, E.ADLER);
  // Chunk lengths: past the end of the file, over 2^31 - 1, and one that lands mid-chunk.
  const bytes = file("ct2-d8-17x13.png");
  const at = 8 + 25; // the first chunk after IHDR
  const setLen = (v: number) => {
    const b = bytes.slice();
    new DataView(b.buffer).setUint32(at, v);
    return pngDecode(b, { canary: true });
  };
  assert.is(setLen(0x7fffffff).status, E.CHUNK_END);
  assert.is(setLen(0x80000000).status, E.CHUNK);
  assert.is(setLen(0xffffffff).status, E.CHUNK);
  const r = setLen(3);
  assert.ok(r.status === E.CRC || r.status === E.CHUNK, `short length: ${r.status}`);
  stillGood();
});

test("a header claiming 65535 x 65535 is refused from pngInfo, before any allocation", () => {
  for (const [depth, ct] of [
    [8, 2],
    [1, 0],
    [16, 6],
    [8, 3],
  ]) {
    const png = build([
      { type: "IHDR", data: ihdr(65535, 65535, depth!, ct!) },
      { type: "IDAT", data: new Uint8Array(deflateSync(new Uint8Array(10))) },
      { type: "IEND", data: new Uint8Array(0) },
    ]);
    const { status, info } = pngInfo(png);
    assert.is(status, E.TOO_LARGE, `depth ${depth} type ${ct}`);
    assert.equal([info[INFO.DETAIL], info[INFO.DETAIL2]], [65535, 65535]);
  }
  // Big but addressable: pngInfo reports the size (the host's pixel limit decides), cheaply.
  const big = build([
    { type: "IHDR", data: ihdr(20000, 20000, 8, 0) },
    { type: "IDAT", data: new Uint8Array(deflateSync(new Uint8Array(10))) },
    { type: "IEND", data: new Uint8Array(0) },
  ]);
  const { status, info } = pngInfo(big);
  assert.is(status, 0);
  assert.equal([info[INFO.WIDTH], info[INFO.HEIGHT]], [20000, 20000]);
});

/** A zlib stream of `n` zero bytes in ~n/1000 bytes: one sync-flushed segment repeated. */
function zeroBomb(n: number, segment = 1 << 20): Uint8Array {
  const seg = new Uint8Array(deflateRawSync(new Uint8Array(segment), { level: 9, finishFlush: constants.Z_SYNC_FLUSH }));
  const count = Math.floor(n / segment);
  const body = new Uint8Array(seg.length * count);
  for (let i = 0; i < count; i++) body.set(seg, i * seg.length);
  const s2 = n % 65521; // Adler-32 of n zeros: s1 = 1, s2 = n
  return concat([Uint8Array.of(0x78, 0xda), body, Uint8Array.of(3, 0), be32(((s2 << 16) | 1) >>> 0)]);
}

test("zip bombs stop at the header's size: E_PNG_SIZE, buffers intact", () => {
  // 1 GB of zeros in about 1 MB, and about 134 MB in 130 KB, each in a 1000 x 1000 grey PNG.
  for (const [n, seg] of [
    [1 << 30, 1 << 20],
    [134 << 20, 1 << 20],
  ] as const) {
    const z = zeroBomb(n, seg);
    const png = pngWithStream(1000, 1000, 8, 0, z);
    const r = pngDecode(png, { canary: true });
    assert.is(r.status, E.SIZE, `${n} bytes in ${z.length}`);
    assert.is(r.info[INFO.DETAIL], 1000 * 1001, "the size it stopped at");
    assert.not.ok(r.overwrote);
    assert.ok(r.info[INFO.SCRATCH]! < 2 * 1000 * 1001 + z.length + 4096, "scratch is the header's size, not the bomb's");
  }
  // The same bomb in an interlaced 1-bit image, and a stream that is complete but too short.
  const inter = build([
    { type: "IHDR", data: ihdr(1000, 1000, 1, 0, 1) },
    { type: "IDAT", data: zeroBomb(64 << 20) },
    { type: "IEND", data: new Uint8Array(0) },
  ]);
  assert.is(pngDecode(inter, { canary: true }).status, E.SIZE);
  const short = pngWithStream(10, 10, 8, 0, new Uint8Array(deflateSync(new Uint8Array(10 * 11 - 1))));
  const r = pngDecode(short);
  assert.is(r.status, E.SHORT);
  assert.equal([r.info[INFO.DETAIL], r.info[INFO.DETAIL2]], [109, 110]);
  stillGood();
});

test("structural errors: each names what is wrong", () => {
  const idat = (raw: Uint8Array) => ({ type: "IDAT", data: new Uint8Array(deflateSync(raw)) });
  const iend = { type: "IEND", data: new Uint8Array(0) };
  const grey = (extra: Chunk[] = [], ct = 0, depth = 8) =>
    build([{ type: "IHDR", data: ihdr(2, 2, depth, ct) }, ...extra, idat(new Uint8Array(6)), iend]);
  const status = (b: Uint8Array) => pngDecode(b, { canary: true }).status;
  assert.is(status(grey()), 0);
  assert.is(status(new Uint8Array(0)), E.FORMAT, "zero bytes");
  assert.is(status(Uint8Array.of(0xff, 0xd8, 0xff, 0, 0, 0, 0, 0, 0)), E.FORMAT, "a JPEG");
  assert.is(status(SIGNATURE.subarray(0, 5)), E.TRUNCATED, "half a signature");
  assert.is(status(SIGNATURE), E.NO_IEND, "only a signature");
  assert.is(status(concat([SIGNATURE, new Uint8Array(5)])), E.TRUNCATED, "half a chunk header");
  assert.is(
    status(build([{ type: "tEXt", data: new Uint8Array(3) }, { type: "IHDR", data: ihdr(2, 2, 8, 0) }, idat(new Uint8Array(6)), iend])),
    E.IHDR,
    "IHDR not first",
  );
  assert.is(
    status(build([{ type: "IHDR", data: ihdr(2, 2, 8, 0).subarray(0, 12) }, idat(new Uint8Array(6)), iend])),
    E.IHDR,
    "IHDR of 12 bytes",
  );
  assert.is(status(grey([{ type: "IHDR", data: ihdr(2, 2, 8, 0) }])), E.IHDR, "two IHDR");
  assert.is(status(grey([], 2, 4)), E.DEPTH, "RGB with depth 4");
  assert.is(status(grey([], 5, 8)), E.DEPTH, "colour type 5");
  assert.is(status(grey([], 3, 16)), E.DEPTH, "palette with depth 16");
  const method = (i: number, v: number) => {
    const h = ihdr(2, 2, 8, 0);
    h[i] = v;
    return status(build([{ type: "IHDR", data: h }, idat(new Uint8Array(6)), iend]));
  };
  assert.is(method(10, 1), E.METHOD, "compression method");
  assert.is(method(11, 1), E.METHOD, "filter method");
  assert.is(method(12, 2), E.METHOD, "interlace method");
  assert.is(status(build([{ type: "IHDR", data: ihdr(0, 2, 8, 0) }, idat(new Uint8Array(6)), iend])), E.DIMENSIONS, "width 0");
  assert.is(status(build([{ type: "IHDR", data: ihdr(2, 0x80000000, 8, 0) }, idat(new Uint8Array(6)), iend])), E.DIMENSIONS, "height 2^31");
  assert.is(status(grey([{ type: "ab1d", data: new Uint8Array(1) }])), E.CHUNK, "a digit in a chunk type");
  assert.is(status(grey([{ type: "ABCD", data: new Uint8Array(1) }])), E.CRITICAL, "unknown critical chunk");
  assert.is(status(grey([{ type: "aBCD", data: new Uint8Array(1) }])), 0, "unknown ancillary chunk");
  assert.is(status(build([{ type: "IHDR", data: ihdr(2, 2, 8, 3) }, idat(new Uint8Array(6)), iend])), E.NO_PLTE, "palette without PLTE");
  assert.is(
    status(build([{ type: "IHDR", data: ihdr(2, 2, 8, 3) }, { type: "PLTE", data: new Uint8Array(4) }, idat(new Uint8Array(6)), iend])),
    E.PLTE,
    "PLTE of 4 bytes",
  );
  assert.is(
    status(build([{ type: "IHDR", data: ihdr(2, 2, 8, 3) }, { type: "PLTE", data: new Uint8Array(771) }, idat(new Uint8Array(6)), iend])),
    E.PLTE,
    "PLTE of 257 entries",
  );
  assert.is(
    status(
      build([
        { type: "IHDR", data: ihdr(2, 2, 8, 3) },
        { type: "PLTE", data: new Uint8Array(6) },
        { type: "tRNS", data: new Uint8Array(257) },
        idat(new Uint8Array(6)),
        iend,
      ]),
    ),
    E.TRNS,
    "tRNS of 257",
  );
  assert.is(status(grey([{ type: "tRNS", data: new Uint8Array(1) }])), E.TRNS, "grey tRNS of 1 byte");
  assert.is(
    status(build([{ type: "IHDR", data: ihdr(1, 1, 8, 2) }, { type: "tRNS", data: new Uint8Array(4) }, idat(new Uint8Array(4)), iend])),
    E.TRNS,
    "RGB tRNS of 4 bytes",
  );
  assert.is(status(build([{ type: "IHDR", data: ihdr(2, 2, 8, 0) }, iend])), E.NO_IDAT, "no IDAT");
  const raw = new Uint8Array(6);
  const z = new Uint8Array(deflateSync(raw));
  assert.is(
    status(
      build([
        { type: "IHDR", data: ihdr(2, 2, 8, 0) },
        { type: "IDAT", data: z.subarray(0, 4) },
        { type: "tEXt", data: new Uint8Array(2) },
        { type: "IDAT", data: z.subarray(4) },
        iend,
      ]),
    ),
    E.IDAT_ORDER,
    "IDAT split by tEXt",
  );
  assert.is(
    status(build([{ type: "IHDR", data: ihdr(2, 2, 8, 0) }, idat(Uint8Array.of(0, 1, 2, 5, 3, 4)), iend])),
    E.FILTER,
    "filter type 5",
  );
  const r = pngDecode(build([{ type: "IHDR", data: ihdr(2, 2, 8, 0) }, idat(Uint8Array.of(0, 1, 2, 5, 3, 4)), iend]));
  assert.equal([r.info[INFO.DETAIL], r.info[INFO.DETAIL2]], [5, 1], "filter type and scanline");
  stillGood();
});

test("random damage to real files: a status or Pillow's bytes, never a trap or a stray write", () => {
  const r = rng(99);
  for (let i = 0; i < 300; i++) {
    const name = r.pick(goodFiles);
    const list = chunks(readRepo(byName.get(name)!.file));
    // Damage inside the chunks and re-sign them, so inflate and the unfilter see it.
    const c = r.pick(list);
    if (c.data.length) {
      const hits = r.int(1, 4);
      for (let k = 0; k < hits; k++) c.data[r.int(0, c.data.length - 1)] = r.u32() & 0xff;
    }
    const res = pngDecode(build(list), { canary: true });
    assert.ok(res.status >= 0 && res.status < 300, `case ${i}: status ${res.status}`);
    assert.not.ok(res.overwrote, `case ${i} (${name}, ${c.type}) wrote past a buffer`);
  }
  stillGood();
});

test("pngDecode refuses an info block that pngInfo did not fill for these bytes", () => {
  const a = file("ct2-d8-33x31.png");
  const { arena } = kernel();
  arena.reset();
  const srcA = arena.put(a);
  const info = arena.alloc(32 * 4);
  const k = kernel().exports as unknown as {
    pngInfo(s: number, l: number, i: number): number;
    pngDecode(s: number, l: number, i: number, d: number, a: number, sc: number): number;
  };
  assert.is(k.pngInfo(srcA, a.length, info), 0);
  const b = file("large-rgb-1920x1080.png");
  const srcB = arena.put(b);
  const dst = arena.alloc(33 * 31 * 3);
  const aux = arena.alloc(1024);
  const scratch = arena.alloc(new Int32Array(arena.u8().buffer, info, 32)[INFO.SCRATCH]!);
  assert.is(k.pngDecode(srcB, b.length, info, dst, aux, scratch), 31);
});

// ---- helpers ----

function be32(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0);
  return b;
}

test.run();
