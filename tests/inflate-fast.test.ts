// The kernel's inflate fast paths against Node's zlib (an independent inflater): literal/length
// table entries that pack up to three short literal codes, match copies at every distance 1-40
// (overlapping ones included) and at the far ones, the hand-over from the fast loop to the
// careful one near the end of the output and of the input, stored, fixed and dynamic blocks in
// one stream, and truncated streams. Each group also shows its comparison can fail: a one-byte
// change of zlib's output, or of the stream, is caught. Incomplete codes after complete ones show
// that a block's table keeps nothing of the block before.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { constants, deflateRawSync, inflateRawSync, inflateSync } from "node:zlib";
import { ready } from "../src/index.js";
import { inflate } from "./helpers/codec.js";
import { adler32, concat } from "./helpers/png-build.js";
import { rng, type Rng } from "./helpers/check.js";
import { DeflateBits, DIST_BASE, DIST_EXTRA, LEN_BASE, LEN_EXTRA } from "./helpers/deflate-bits.js";

await ready();

const TRUNCATED_DATA = 101;
const INFLATE = 203;

/** A symbol of the fixed code (RFC 1951 3.2.6). */
function fixedSymbol(w: DeflateBits, s: number): void {
  if (s < 144) w.code(0x30 + s, 8);
  else if (s < 256) w.code(0x190 + s - 144, 9);
  else if (s < 280) w.code(s - 256, 7);
  else w.code(0xc0 + s - 280, 8);
}

function fixedMatch(w: DeflateBits, length: number, dist: number): void {
  let l = LEN_BASE.length - 1;
  while (LEN_BASE[l]! > length) l--;
  if (length === 258) l = 28;
  fixedSymbol(w, 257 + l);
  w.put(length - LEN_BASE[l]!, LEN_EXTRA[l]!);
  let d = DIST_BASE.length - 1;
  while (DIST_BASE[d]! > dist) d--;
  w.code(d, 5);
  w.put(dist - DIST_BASE[d]!, DIST_EXTRA[d]!);
}

/** zlib header, the raw deflate data, Adler-32 of `out` (big-endian). */
function zlib(raw: Uint8Array, out: Uint8Array): Uint8Array {
  const a = adler32(out);
  return concat([Uint8Array.of(0x78, 0x9c), raw, Uint8Array.of(a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255)]);
}

/**
 * A fixed-code block of random literals and matches, mostly short distances (1-40, all the
 * overlapping copies) and some far ones, that ends exactly at `n` bytes.
 */
function fixedStream(r: Rng, n: number): Uint8Array {
  const w = new DeflateBits().put(1, 1).put(1, 2);
  let op = 0;
  while (op < n) {
    const left = n - op;
    if (op === 0 || left < 3 || r.chance(0.4)) {
      fixedSymbol(w, r.chance(0.5) ? r.int(0, 3) : r.int(0, 255));
      op++;
      continue;
    }
    const length = Math.min(left, r.chance(0.2) ? r.int(3, 258) : r.int(3, 20));
    const dist = r.chance(0.8) ? r.int(1, Math.min(op, 40)) : r.int(1, Math.min(op, 32768));
    fixedMatch(w, length, dist);
    op += length;
  }
  fixedSymbol(w, 256);
  return w.bytes();
}

/** The kernel's output equals `want` byte for byte (with the status); a reason otherwise. */
function same(z: Uint8Array, want: Uint8Array): string | undefined {
  const got = inflate(z, want.length);
  if (got.status !== 0) return `status ${got.status}`;
  return Buffer.from(got.data!).equals(Buffer.from(want)) ? undefined : "other bytes";
}

/** A copy of `b` with byte `i` changed. */
function flip(b: Uint8Array, i: number): Uint8Array {
  const c = b.slice();
  c[i]! ^= 0x5a;
  return c;
}

test("matches at distances 1-40 and far, through the end of the output, against zlib", () => {
  const r = rng(11);
  for (let i = 0; i < 300; i++) {
    // Sizes around the fast loop's margin (288 bytes before the end) and well past it.
    const n = r.pick([r.int(0, 40), r.int(250, 330), r.int(500, 3000), r.int(20000, 40000)]);
    const raw = fixedStream(r, n);
    const want = new Uint8Array(inflateRawSync(raw));
    assert.is(want.length, n, `case ${i}: zlib's length`);
    assert.is(same(zlib(raw, want), want), undefined, `case ${i}: ${n} bytes`);
    if (n > 0) assert.is(same(zlib(raw, want), flip(want, r.int(0, n - 1))), "other bytes", `case ${i}: a changed byte is caught`);
  }
});

test("every distance 1-20 with every length 3-40, and 258, after a short and a long prefix", () => {
  const r = rng(12);
  for (const prefix of [20, 600]) {
    for (let dist = 1; dist <= 20; dist++) {
      for (const length of [...Array.from({ length: 38 }, (_, k) => k + 3), 258]) {
        const w = new DeflateBits().put(1, 1).put(1, 2);
        for (let k = 0; k < prefix; k++) fixedSymbol(w, r.int(0, 255));
        fixedMatch(w, length, dist);
        for (let k = 0; k < 5; k++) fixedSymbol(w, r.int(0, 255));
        fixedSymbol(w, 256);
        const raw = w.bytes();
        const want = new Uint8Array(inflateRawSync(raw));
        assert.is(same(zlib(raw, want), want), undefined, `prefix ${prefix} distance ${dist} length ${length}`);
      }
    }
  }
  const w = new DeflateBits().put(1, 1).put(1, 2);
  fixedSymbol(w, 7);
  fixedMatch(w, 258, 1);
  fixedSymbol(w, 256);
  const want = new Uint8Array(259).fill(7);
  assert.is(same(zlib(w.bytes(), want), flip(want, 258)), "other bytes", "a changed byte is caught");
});

test("packed literal entries: 1- to 4-bit literal codes (dynamic blocks), every size 0-700, against zlib", () => {
  const r = rng(13);
  for (let n = 0; n <= 700; n++) {
    // A geometric spread over a few symbols gives codes of 1, 2, 3, 4... bits: entries of
    // three, two and one literals, and long codes in subtables for the rare ones.
    const data = new Uint8Array(n);
    for (let j = 0; j < n; j++) {
      let s = 0;
      while (s < 20 && r.chance(0.5)) s++;
      data[j] = r.chance(0.02) ? r.int(0, 255) : 100 + s;
    }
    const raw = new Uint8Array(deflateRawSync(data, { strategy: constants.Z_HUFFMAN_ONLY }));
    const z = zlib(raw, data);
    assert.ok(Buffer.from(inflateSync(z)).equals(Buffer.from(data)), `${n}: zlib's view`);
    assert.is(same(z, data), undefined, `${n} bytes`);
    if (n > 0) assert.is(same(z, flip(data, n >> 1)), "other bytes", `${n}: a changed byte is caught`);
  }
});

test("stored, fixed and dynamic blocks in one stream, at byte boundaries and not", () => {
  const r = rng(14);
  for (let i = 0; i < 60; i++) {
    const parts: Uint8Array[] = [];
    const raws: Uint8Array[] = [];
    const blocks = r.int(1, 6);
    for (let b = 0; b < blocks; b++) {
      const n = r.pick([0, 1, 5, r.int(10, 400), r.int(1000, 70000)]);
      const run = r.int(1, 30);
      const data = new Uint8Array(n);
      for (let j = 0; j < n; j++) data[j] = j % run === 0 || r.chance(0.2) ? r.int(0, r.int(1, 255)) : data[j - 1]!;
      parts.push(data);
      const final = b === blocks - 1;
      const kind = r.int(0, 2);
      const strategy = kind === 1 ? constants.Z_FIXED : r.pick([constants.Z_DEFAULT_STRATEGY, constants.Z_HUFFMAN_ONLY, constants.Z_RLE]);
      // A sync flush ends a block on a byte boundary with an empty stored block (not final).
      raws.push(
        new Uint8Array(
          deflateRawSync(data, {
            level: kind === 0 ? 0 : r.int(1, 9),
            strategy,
            finishFlush: final ? constants.Z_FINISH : constants.Z_SYNC_FLUSH,
          }),
        ),
      );
    }
    const want = concat(parts);
    const z = zlib(concat(raws), want);
    assert.ok(Buffer.from(inflateSync(z)).equals(Buffer.from(want)), `case ${i}: zlib's view`);
    assert.is(same(z, want), undefined, `case ${i}: ${blocks} blocks, ${want.length} bytes`);
    if (want.length > 0) assert.is(same(z, flip(want, want.length - 1)), "other bytes", `case ${i}: a changed byte is caught`);
  }
});

test("truncated streams: every prefix of fixed and dynamic streams is E_TRUNCATED_DATA", () => {
  const r = rng(15);
  for (let i = 0; i < 40; i++) {
    const n = r.int(0, 600);
    let z: Uint8Array;
    let want: Uint8Array;
    if (r.chance(0.5)) {
      const raw = fixedStream(r, n);
      want = new Uint8Array(inflateRawSync(raw));
      z = zlib(raw, want);
    } else {
      want = new Uint8Array(n);
      for (let j = 0; j < n; j++) want[j] = r.chance(0.7) ? 100 + r.int(0, 3) : r.int(0, 255);
      z = zlib(new Uint8Array(deflateRawSync(want, { level: r.int(1, 9) })), want);
    }
    assert.is(same(z, want), undefined, `case ${i}: whole`);
    for (let k = 0; k < z.length; k++) {
      assert.is(inflate(z.subarray(0, k), n).status, TRUNCATED_DATA, `case ${i}: prefix ${k} of ${z.length}`);
    }
    // The deliberate error: a damaged last Adler byte is not a truncation and not a success.
    const st = inflate(flip(z, z.length - 1), n).status;
    assert.ok(st !== 0 && st !== TRUNCATED_DATA, `case ${i}: damaged Adler-32 gives ${st}`);
  }
});

/** Canonical Huffman codes (RFC 1951 3.2.2) of the code lengths `lens`. */
function canonical(lens: number[]): number[] {
  const count = new Array<number>(16).fill(0);
  for (const l of lens) if (l) count[l]!++;
  const next = new Array<number>(16).fill(0);
  for (let l = 1, code = 0; l < 16; l++) {
    code = (code + count[l - 1]!) << 1;
    next[l] = code;
  }
  next[1] = 0;
  for (let l = 2; l < 16; l++) next[l] = (next[l - 1]! + count[l - 1]!) << 1;
  return lens.map((l) => (l ? next[l]!++ : -1));
}

/**
 * A dynamic block's header for literal/length code lengths `lit` and distance ones `dist`
 * (each 0, 1 or 2 bits, sent one by one with the code-length code 0: '0', 1: '10', 2: '11').
 * Returns the codes of both alphabets.
 */
function dynamicHeader(w: DeflateBits, lit: number[], dist: number[], final = true): { lit: number[]; dist: number[] } {
  w.put(final ? 1 : 0, 1)
    .put(2, 2)
    .put(lit.length - 257, 5)
    .put(dist.length - 1, 5)
    .put(18 - 4, 4);
  // Code-length code lengths in RFC order 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1.
  for (const l of [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2]) w.put(l, 3);
  for (const l of [...lit, ...dist]) w.code(l === 0 ? 0 : l === 1 ? 2 : 3, l === 0 ? 1 : 2);
  return { lit: canonical(lit), dist: canonical(dist) };
}

test("incomplete codes after complete ones: an unused code is an error, never a stale entry", () => {
  const r = rng(16);
  // A first block from zlib with many literals and distances fills both root tables.
  const data = new Uint8Array(5000);
  for (let j = 0; j < data.length; j++) data[j] = j > 40 && r.chance(0.6) ? data[j - r.int(1, 40)]! : r.int(0, 255);
  const first = new Uint8Array(deflateRawSync(data, { level: 6, finishFlush: constants.Z_SYNC_FLUSH }));
  // Then: literal 'A' (2 bits), end of block (2), length 3 (1); one distance code (1 bit, distance 1).
  const lit = new Array<number>(258).fill(0);
  lit[65] = 2;
  lit[256] = 2;
  lit[257] = 1;
  for (const [where, runs] of [
    ["fast loop", 400],
    ["careful loop", 3],
  ] as const) {
    for (const distCode of [0, 1]) {
      const w = new DeflateBits();
      const c = dynamicHeader(w, lit, [1]);
      for (let k = 0; k < 5; k++) w.code(c.lit[65]!, 2);
      w.code(c.lit[257]!, 1).code(distCode, 1); // '1' is no distance code
      for (let k = 0; k < runs; k++) w.code(c.lit[65]!, 2);
      w.code(c.lit[256]!, 2);
      const raw = concat([first, w.bytes()]);
      const want = concat([data, new Uint8Array(5 + 3 + runs).fill(65)]);
      if (distCode === 0) {
        const z = zlib(raw, want);
        assert.ok(Buffer.from(inflateSync(z)).equals(Buffer.from(want)), `${where}: zlib's view`);
        assert.is(same(z, want), undefined, `${where}: the valid stream`);
        assert.is(same(z, flip(want, want.length - 1)), "other bytes", `${where}: a changed byte is caught`);
      } else {
        const z = zlib(raw, want);
        assert.throws(() => inflateSync(z), /invalid distance/, `${where}: zlib refuses it`);
        assert.is(inflate(z, want.length).status, INFLATE, `${where}: an unused distance code`);
      }
    }
    // A literal/length code of a single 1-bit code (end of block): '1' is no code. A fixed
    // block of `runs` literals follows.
    for (const bit of [0, 1]) {
      const w = new DeflateBits();
      const only = new Array<number>(257).fill(0);
      only[256] = 1;
      dynamicHeader(w, only, [0], false);
      w.code(bit, 1);
      w.put(1, 1).put(1, 2);
      for (let k = 0; k < runs; k++) fixedSymbol(w, 65);
      fixedSymbol(w, 256);
      const want = concat([data, new Uint8Array(runs).fill(65)]);
      const z = zlib(concat([first, w.bytes()]), want);
      if (bit === 0) {
        assert.ok(Buffer.from(inflateSync(z)).equals(Buffer.from(want)), `${where}: zlib's view`);
        assert.is(same(z, want), undefined, `${where}: an end-of-block only block`);
        assert.is(same(z, flip(want, 0)), "other bytes", `${where}: a changed byte is caught`);
      } else {
        assert.throws(() => inflateSync(z), /invalid/, `${where}: zlib refuses '1'`);
        assert.is(inflate(z, want.length).status, INFLATE, `${where}: an unused literal/length code`);
      }
    }
  }
});

test.run();
