// zlib inflate (RFC 1950 / 1951) into a buffer of known size: the PNG decoder's data path.
//
// - The whole compressed stream is in memory and the output size is known in advance (the PNG
//   header fixes it), so there is no window and no streaming state: one call inflates it all.
// - Output is bounded: nothing is ever written at or past `outEnd` except the 16-byte slack the
//   caller reserves for vector match copies, and E_PNG_SIZE comes back as soon as a literal or
//   a match would go past it (a zip bomb costs at most `outEnd - out` bytes of work).
// - Input is bounded: past the end the bit reader sees zero bytes, and as soon as one of those
//   is consumed the stream is known to be truncated (E_TRUNCATED_DATA): at most a few codes are
//   decoded from the padding, so a truncated stream costs bounded time too.
// - Huffman decoding is table driven (zlib's scheme): a 10-bit root table for literals and
//   lengths and an 8-bit one for distances, with second-level tables for longer codes. Each
//   entry carries the code length, the extra-bit count and the base value, so decoding a
//   symbol is one or two loads.
// - It accepts exactly what zlib accepts (the reference that Pillow inflates with): the same
//   checks on the header, block types, stored lengths, code completeness and distances.
import { E_PNG_ADLER, E_PNG_INFLATE, E_PNG_SHORT, E_PNG_SIZE, E_TRUNCATED_DATA, OK } from "./status";
import { INFO_DETAIL, INFO_DETAIL2, setInfo } from "./info";
import { adler32 } from "./checksum";

// ---- table entries ------------------------------------------------------------------------
// bits 0-5: the bits the entry consumes: code length plus, for a length or distance, its extra
// bits (root bits for a subtable link), so that a 64-bit shift by the entry itself consumes
// them all (wasm takes shift counts mod 64).
// Literal entries (literal/length table only): bits 6-7 hold how many literals the entry
// decodes (1 to 3: the root table packs runs of short literal codes into one entry, bits 0-5
// then being their summed length), bits 8-31 the literals, first in the low byte. Other
// entries have 0 in bits 6-7 and: 8-11 kind flags; 12-15 extra bits (subtable bits for a
// link); 16-31 value (base length or distance, subtable offset). Test E_LITS before the flags.
const E_LITS: u32 = 0xc0;
const E_LIT1: u32 = 0x40;
const E_EOB: u32 = 0x200;
const E_SUB: u32 = 0x400;
const E_BAD: u32 = 0x800;

const LIT_ROOT: u32 = 11;
const DIST_ROOT: u32 = 10;
const CL_ROOT: u32 = 7;
// zlib's ENOUGH bounds for these roots (286 symbols / 11 bits: 2326; 30 / 10: 1046), rounded up.
const LIT_TABLE = memory.data(4096 * 4, 16);
const DIST_TABLE = memory.data(2048 * 4, 16);
const CL_TABLE = memory.data(128 * 4, 16);
const FIXED_LIT = memory.data(4096 * 4, 16);
const FIXED_DIST = memory.data(2048 * 4, 16);

// Per-symbol entry templates (kind, extra bits, value), filled once.
const LIT_TPL = memory.data(288 * 4, 16);
const DIST_TPL = memory.data(32 * 4, 16);
const CL_TPL = memory.data(19 * 4, 16);

const LEN_BASE = memory.data<u16>([3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]);
const LEN_EXTRA = memory.data<u8>([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]);
const DIST_BASE = memory.data<u16>([1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]);
const DIST_EXTRA = memory.data<u8>([0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]);
/** Order in which code-length code lengths are sent. */
const CL_ORDER = memory.data<u8>([16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]);

// Scratch for the table builder and the dynamic header.
const LENS = memory.data(320, 16); // code lengths: 286 literal/length + 30 distance (+ slack)
const COUNT = memory.data(16 * 2, 16);
const OFFS = memory.data(16 * 2, 16);
const SORTED = memory.data(320 * 2, 16);

let ready = false;

function init(): void {
  for (let s: u32 = 0; s < 288; s++) {
    let e: u32;
    if (s < 256) e = E_LIT1 | (s << 8);
    else if (s == 256) e = E_EOB;
    else if (s < 286) e = (<u32>load<u8>(LEN_EXTRA + s - 257) << 12) | (<u32>load<u16>(LEN_BASE + ((s - 257) << 1)) << 16);
    else e = E_BAD;
    store<u32>(LIT_TPL + (s << 2), e);
  }
  for (let s: u32 = 0; s < 32; s++) {
    const e: u32 = s < 30 ? (<u32>load<u8>(DIST_EXTRA + s) << 12) | (<u32>load<u16>(DIST_BASE + (s << 1)) << 16) : E_BAD;
    store<u32>(DIST_TPL + (s << 2), e);
  }
  for (let s: u32 = 0; s < 19; s++) store<u32>(CL_TPL + (s << 2), s << 16);
  // The fixed code (RFC 1951 3.2.6).
  for (let s: u32 = 0; s < 288; s++) store<u8>(LENS + s, s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8);
  build(LENS, 288, LIT_TPL, FIXED_LIT, LIT_ROOT, false);
  packLiterals(FIXED_LIT);
  for (let s: u32 = 0; s < 32; s++) store<u8>(LENS + s, 5);
  build(LENS, 32, DIST_TPL, FIXED_DIST, DIST_ROOT, false);
  ready = true;
}

/**
 * Builds a decoding table for the code lengths `lens[0..n)` (canonical Huffman, RFC 1951
 * 3.2.2). Returns false for an over-subscribed code, or an incomplete one where zlib refuses it
 * (anything but a single code of length 1; the code-length code must be complete). A code with
 * no symbols at all gives a table of E_BAD entries, as in zlib.
 */
function build(lens: usize, n: u32, tpl: usize, table: usize, root: u32, isCl: bool): bool {
  for (let l: u32 = 0; l < 16; l++) store<u16>(COUNT + (l << 1), 0);
  let max: u32 = 0;
  for (let s: u32 = 0; s < n; s++) {
    const l = <u32>load<u8>(lens + s);
    store<u16>(COUNT + (l << 1), load<u16>(COUNT + (l << 1)) + 1);
    if (l > max) max = l;
  }
  const rootSize: u32 = 1 << root;
  let left: i32 = 1;
  for (let l: u32 = 1; l < 16; l++) {
    left = (left << 1) - <i32>load<u16>(COUNT + (l << 1));
    if (left < 0) return false; // over-subscribed
  }
  if (left > 0 && max != 0 && (isCl || max != 1)) return false; // incomplete
  // A complete code writes every root entry below; otherwise the ones no code reaches are bad.
  if (left > 0) for (let i: u32 = 0; i < rootSize; i++) store<u32>(table + (i << 2), E_BAD);
  if (max == 0) return true;
  // Symbols sorted by length, then by value.
  store<u16>(OFFS + 2, 0);
  for (let l: u32 = 1; l < 15; l++) store<u16>(OFFS + ((l + 1) << 1), load<u16>(OFFS + (l << 1)) + load<u16>(COUNT + (l << 1)));
  for (let s: u32 = 0; s < n; s++) {
    const l = <u32>load<u8>(lens + s);
    if (l != 0) {
      const o = <u32>load<u16>(OFFS + (l << 1));
      store<u16>(SORTED + (o << 1), <u16>s);
      store<u16>(OFFS + (l << 1), <u16>(o + 1));
    }
  }
  // Walk the codes in canonical order. `code` is MSB-first; deflate sends codes MSB-first into
  // an LSB-first bit stream, so table indices are the bit-reversed codes.
  let code: u32 = 0;
  let len: u32 = 1;
  let next: u32 = rootSize; // first free entry after the root table
  let subPrefix: u32 = 0xffffffff;
  let subStart: u32 = 0;
  let subBits: u32 = 0;
  const total = n;
  let k: u32 = 0;
  // Remaining count per length (for sizing subtables as zlib does).
  for (let i: u32 = 0; k < total && i < total; i++) {
    // advance len to the length of the next symbol
    while (len < 16 && load<u16>(COUNT + (len << 1)) == 0) {
      len++;
      code <<= 1;
    }
    if (len >= 16) break;
    const sym = <u32>load<u16>(SORTED + (k << 1));
    k++;
    const e = load<u32>(tpl + (sym << 2));
    const rev = reverse(code, len);
    if (len <= root) {
      const entry = e + len + extraOf(e);
      const step: u32 = 1 << len;
      for (let j = rev; j < rootSize; j += step) store<u32>(table + (j << 2), entry);
    } else {
      const prefix = rev & (rootSize - 1);
      if (prefix != subPrefix) {
        // New subtable: as many bits as the remaining codes under this prefix need.
        let cur = len - root;
        let room: i32 = 1 << cur;
        while (cur + root < max) {
          room -= <i32>load<u16>(COUNT + ((cur + root) << 1));
          if (room <= 0) break;
          cur++;
          room <<= 1;
        }
        subPrefix = prefix;
        subStart = next;
        subBits = cur;
        const size: u32 = 1 << cur;
        for (let j: u32 = 0; j < size; j++) store<u32>(table + ((subStart + j) << 2), E_BAD);
        next += size;
        store<u32>(table + (prefix << 2), E_SUB | root | (cur << 12) | (subStart << 16));
      }
      const entry = e + (len - root) + extraOf(e);
      const step: u32 = 1 << (len - root);
      const size: u32 = 1 << subBits;
      for (let j = rev >> root; j < size; j += step) store<u32>(table + ((subStart + j) << 2), entry);
    }
    // next canonical code
    store<u16>(COUNT + (len << 1), load<u16>(COUNT + (len << 1)) - 1);
    code++;
  }
  return true;
}

/**
 * Packs runs of short literal codes into single root entries of a literal/length table: where
 * the root bits of an entry hold a literal code and, after it, one or two more whole literal
 * codes, the entry decodes them all (up to 3). Entries are visited from the top down so that
 * the entry for the bits after a code (a smaller index) is still a plain one when read.
 */
function packLiterals(table: usize): void {
  for (let i: i32 = (1 << LIT_ROOT) - 1; i >= 0; i--) {
    const p = table + (<usize>i << 2);
    const e1 = load<u32>(p);
    if ((e1 & E_LITS) == 0) continue;
    const l1 = e1 & 63;
    const e2 = load<u32>(table + (<usize>(<u32>i >> l1) << 2));
    const l2 = l1 + (e2 & 63);
    if ((e2 & E_LITS) == 0 || l2 > LIT_ROOT) continue;
    const e3 = load<u32>(table + (<usize>(<u32>i >> l2) << 2));
    const l3 = l2 + (e3 & 63);
    if ((e3 & E_LITS) != 0 && l3 <= LIT_ROOT) {
      store<u32>(p, l3 | (3 << 6) | (e1 & 0xff00) | ((e2 & 0xff00) << 8) | ((e3 & 0xff00) << 16));
    } else {
      store<u32>(p, l2 | (2 << 6) | (e1 & 0xff00) | ((e2 & 0xff00) << 8));
    }
  }
}

/** The extra bits a length or distance entry consumes after its code (0 for literals). */
// @ts-ignore: decorator
@inline function extraOf(e: u32): u32 {
  return e & E_LITS ? 0 : (e >> 12) & 15;
}

// @ts-ignore: decorator
@inline function reverse(code: u32, len: u32): u32 {
  // 16-bit bit reversal, then keep the top `len` bits.
  let x = code;
  x = ((x & 0x5555) << 1) | ((x >> 1) & 0x5555);
  x = ((x & 0x3333) << 2) | ((x >> 2) & 0x3333);
  x = ((x & 0x0f0f) << 4) | ((x >> 4) & 0x0f0f);
  x = ((x & 0x00ff) << 8) | ((x >> 8) & 0x00ff);
  return x >> (16 - len);
}

// ---- the decoder --------------------------------------------------------------------------

// Bit reader state: module globals so the helpers below stay small (the kernel is single-threaded
// and inflate is not re-entrant).
let bitbuf: u64 = 0;
let bitcnt: u32 = 0;
let inp: usize = 0;
let inEnd: usize = 0;
let over: u32 = 0; // zero bytes read past the end of the input
let outStartG: usize = 0;
let outEndG: usize = 0;

/** Tops the bit buffer up to at least 56 bits (zero bytes past the end of the input). */
// @ts-ignore: decorator
@inline function refill(): void {
  if (inp + 8 <= inEnd) {
    bitbuf |= load<u64>(inp) << bitcnt;
    inp += (63 - bitcnt) >> 3;
    bitcnt |= 56;
  } else {
    refillSlow();
  }
}

function refillSlow(): void {
  while (bitcnt <= 56) {
    if (inp < inEnd) {
      bitbuf |= <u64>load<u8>(inp) << bitcnt;
      inp++;
    } else {
      over++;
    }
    bitcnt += 8;
  }
}

/** True when the decoder has consumed bits past the end of the input. */
// @ts-ignore: decorator
@inline function overrun(): bool {
  return <u64>over * 8 > <u64>bitcnt;
}

/** Returns the whole bytes still in the bit buffer to the input (after a byte alignment). */
function unread(): void {
  bitcnt &= ~7;
  let k = bitcnt >> 3;
  const v = min(k, over);
  over -= v;
  k -= v;
  inp -= k;
  bitbuf = 0;
  bitcnt = 0;
}

/**
 * Inflates the zlib stream `src[0..srcLen)` into exactly `out[0..outLen)`. The caller reserves
 * 16 writable bytes after `out + outLen` (match copies store whole vectors). Returns OK, or
 * E_TRUNCATED_DATA (the stream ends early; INFO_DETAIL: compressed bytes), E_PNG_INFLATE
 * (invalid stream; INFO_DETAIL: the compressed byte where it went wrong), E_PNG_SIZE (more
 * data than `outLen`), E_PNG_SHORT (a complete stream with less data than `outLen`:
 * INFO_DETAIL the bytes it gave, INFO_DETAIL2 the bytes wanted) or E_PNG_ADLER. Bytes after
 * the Adler-32 checksum are ignored, as zlib does.
 */
export function zlibInflate(src: usize, srcLen: i32, out: usize, outLen: i32, info: usize): i32 {
  if (!ready) init();
  bitbuf = 0;
  bitcnt = 0;
  inp = src;
  inEnd = src + <usize>srcLen;
  over = 0;
  if (srcLen < 2) {
    setInfo(info, INFO_DETAIL, srcLen);
    return E_TRUNCATED_DATA;
  }
  const cmf = <u32>load<u8>(src);
  const flg = <u32>load<u8>(src + 1);
  // CM 8 (deflate), window at most 32K, header check, no preset dictionary.
  if ((cmf & 15) != 8 || (cmf >> 4) > 7 || ((cmf << 8) | flg) % 31 != 0 || (flg & 0x20) != 0) {
    setInfo(info, INFO_DETAIL, 0);
    return E_PNG_INFLATE;
  }
  inp = src + 2;
  const outStart = out;
  const outEnd = out + <usize>outLen;
  outStartG = outStart;
  outEndG = outEnd;
  let op = out;
  let last = false;
  while (!last) {
    refill();
    last = (bitbuf & 1) != 0;
    const type = <u32>(bitbuf >> 1) & 3;
    bitbuf >>= 3;
    bitcnt -= 3;
    if (type == 0) {
      // stored
      unread();
      if (over > 0) return truncated(info, src);
      if (inp + 4 > inEnd) return truncated(info, src);
      const len = <u32>load<u16>(inp);
      const nlen = <u32>load<u16>(inp + 2);
      if ((len ^ 0xffff) != nlen) return bad(info, src, inp);
      inp += 4;
      if (<usize>len > outEnd - op) return tooBig(info);
      if (<usize>len > inEnd - inp) return truncated(info, src);
      memory.copy(op, inp, len);
      op += len;
      inp += len;
      continue;
    }
    let lit: usize;
    let dist: usize;
    if (type == 1) {
      lit = FIXED_LIT;
      dist = FIXED_DIST;
    } else if (type == 2) {
      const st = dynamicTables();
      if (st != OK) {
        if (overrun()) return truncated(info, src);
        return bad(info, src, inp);
      }
      lit = LIT_TABLE;
      dist = DIST_TABLE;
    } else {
      if (overrun()) return truncated(info, src);
      return bad(info, src, inp);
    }
    const st = huffmanData(lit, dist, outStart, outEnd, op);
    op = opOut;
    if (st != OK) {
      if (st == E_PNG_INFLATE) {
        if (overrun()) return truncated(info, src);
        return bad(info, src, inp);
      }
      if (st == E_PNG_SIZE) {
        if (overrun()) return truncated(info, src);
        return tooBig(info);
      }
      return truncated(info, src);
    }
  }
  if (overrun()) return truncated(info, src);
  // Adler-32, big-endian, after the last block's padding bits.
  unread();
  if (over > 0 || inp + 4 > inEnd) return truncated(info, src);
  if (op != outEnd) {
    setInfo(info, INFO_DETAIL, <i32>(op - outStart));
    setInfo(info, INFO_DETAIL2, outLen);
    return E_PNG_SHORT;
  }
  const want = bswap<u32>(load<u32>(inp));
  if (adler32(outStart, <usize>outLen) != want) return E_PNG_ADLER;
  return OK;
}

let opOut: usize = 0;

/**
 * Decodes one block's Huffman-coded data up to its end-of-block code, writing from `op`
 * (the new position goes to opOut). The bit reader lives in locals here (V8 keeps wasm
 * globals in memory) and goes back to the globals on return. Returns OK, E_PNG_INFLATE,
 * E_PNG_SIZE or E_TRUNCATED_DATA (bits consumed past the end).
 */
function huffmanData(lit: usize, dist: usize, outStart: usize, outEnd: usize, op: usize): i32 {
  let bb = bitbuf;
  let bc = bitcnt;
  let ip = inp;
  let ov = over;
  const end = inEnd;
  let st = OK;
  // The fast loop runs while both ends are far: every refill reads 8 whole input bytes, and
  // nothing one iteration writes (6 literals, then a 258-byte match with its 15 bytes of
  // over-copy) can reach outEnd, so neither needs a check. The careful loop finishes the block.
  const inFast = end >= 32 ? end - 32 : 0;
  const outFast = outEnd - min<usize>(outEnd - outStart, 288);
  let done = false;
  // Each iteration starts with a full bit buffer and `e`, the root entry for its low bits,
  // already loaded: the load for the next symbol is issued before a match's copy (as libdeflate
  // does), so a mispredicted branch in the copy does not delay it.
  let e: u32 = 0;
  if (ip <= inFast && op < outFast) {
    bb |= load<u64>(ip) << bc;
    ip += (63 - bc) >> 3;
    bc |= 56;
    e = load<u32>(lit + (<usize>(<u32>bb & ((1 << LIT_ROOT) - 1)) << 2));
  }
  while (ip <= inFast && op < outFast) {
    if (e & E_LITS) {
      // Up to three literal entries (of up to three literals each) from one refill: root
      // entries consume at most 11 bits. The 4-byte store may write past the literals (slack).
      bb >>= <u64>e;
      bc -= e & 63;
      store<u32>(op, e >> 8);
      op += (e >> 6) & 3;
      e = load<u32>(lit + (<usize>(<u32>bb & ((1 << LIT_ROOT) - 1)) << 2));
      if (e & E_LITS) {
        bb >>= <u64>e;
        bc -= e & 63;
        store<u32>(op, e >> 8);
        op += (e >> 6) & 3;
        e = load<u32>(lit + (<usize>(<u32>bb & ((1 << LIT_ROOT) - 1)) << 2));
        if (e & E_LITS) {
          bb >>= <u64>e;
          bc -= e & 63;
          store<u32>(op, e >> 8);
          op += (e >> 6) & 3;
          bb |= load<u64>(ip) << bc;
          ip += (63 - bc) >> 3;
          bc |= 56;
          e = load<u32>(lit + (<usize>(<u32>bb & ((1 << LIT_ROOT) - 1)) << 2));
          continue;
        }
      }
      // `e` came from bits that were already there: the refill only adds bits above them.
      bb |= load<u64>(ip) << bc;
      ip += (63 - bc) >> 3;
      bc |= 56;
    }
    if (e & (E_SUB | E_EOB | E_BAD)) {
      // The rare cases, off the length path: a long code, the end of the block, a bad code.
      if (e & E_SUB) {
        bb >>= LIT_ROOT;
        bc -= LIT_ROOT;
        e = load<u32>(lit + (<usize>((e >> 16) + (<u32>bb & ((1 << ((e >> 12) & 15)) - 1))) << 2));
        if (e & E_LITS) {
          bb >>= <u64>e;
          bc -= e & 63;
          store<u8>(op, <u8>(e >> 8));
          op++;
          bb |= load<u64>(ip) << bc;
          ip += (63 - bc) >> 3;
          bc |= 56;
          e = load<u32>(lit + (<usize>(<u32>bb & ((1 << LIT_ROOT) - 1)) << 2));
          continue;
        }
      }
      if (e & (E_EOB | E_BAD)) {
        bb >>= <u64>e;
        bc -= e & 63;
        if (e & E_BAD) st = E_PNG_INFLATE;
        done = true;
        break;
      }
    }
    // A length (code and extra bits: at most 20 of the 56), then a distance (at most 28).
    let x = (e >> 12) & 15;
    const length = <usize>((e >> 16) + (<u32>(bb >> <u64>((e & 63) - x)) & ((1 << x) - 1)));
    bb >>= <u64>e;
    bc -= e & 63;
    e = load<u32>(dist + (<usize>(<u32>bb & ((1 << DIST_ROOT) - 1)) << 2));
    if (e & (E_SUB | E_BAD)) {
      if (e & E_SUB) {
        bb >>= DIST_ROOT;
        bc -= DIST_ROOT;
        e = load<u32>(dist + (<usize>((e >> 16) + (<u32>bb & ((1 << ((e >> 12) & 15)) - 1))) << 2));
      }
      if (e & E_BAD) {
        st = E_PNG_INFLATE;
        done = true;
        break;
      }
    }
    x = (e >> 12) & 15;
    const d = <usize>((e >> 16) + (<u32>(bb >> <u64>((e & 63) - x)) & ((1 << x) - 1)));
    bb >>= <u64>e;
    bc -= e & 63;
    if (d > op - outStart) {
      st = E_PNG_INFLATE;
      done = true;
      break;
    }
    // At most 48 bits were consumed since the last refill: at least 8 are left.
    bb |= load<u64>(ip) << bc;
    ip += (63 - bc) >> 3;
    bc |= 56;
    e = load<u32>(lit + (<usize>(<u32>bb & ((1 << LIT_ROOT) - 1)) << 2));
    copyMatch(op, d, length);
    op += length;
  }
  while (!done) {
    // refill: whole words while they last, then bytes, then zero bytes past the end
    if (ip + 8 <= end) {
      bb |= load<u64>(ip) << bc;
      ip += (63 - bc) >> 3;
      bc |= 56;
    } else {
      while (bc <= 56) {
        if (ip < end) {
          bb |= <u64>load<u8>(ip) << bc;
          ip++;
        } else {
          ov++;
        }
        bc += 8;
      }
      if (<u64>ov * 8 > <u64>bc) {
        st = E_TRUNCATED_DATA;
        break;
      }
    }
    let e = load<u32>(lit + (<usize>(<u32>bb & ((1 << LIT_ROOT) - 1)) << 2));
    if ((e & E_LITS) == 0 && (e & E_SUB) != 0) {
      bb >>= LIT_ROOT;
      bc -= LIT_ROOT;
      e = load<u32>(lit + (<usize>((e >> 16) + (<u32>bb & ((1 << ((e >> 12) & 15)) - 1))) << 2));
    }
    if (e & E_LITS) {
      bb >>= <u64>e;
      bc -= e & 63;
      // One to three literals; running out of room on any of them is the same error.
      const n = <usize>((e >> 6) & 3);
      if (n > outEnd - op) {
        st = E_PNG_SIZE;
        break;
      }
      store<u32>(op, e >> 8);
      op += n;
      continue;
    }
    if (e & (E_EOB | E_BAD)) {
      bb >>= <u64>e;
      bc -= e & 63;
      if (e & E_BAD) st = E_PNG_INFLATE;
      break;
    }
    // length: at most 15 + 5 bits consumed since the refill, 36 left for the distance.
    let x = (e >> 12) & 15;
    const length = <usize>((e >> 16) + (<u32>(bb >> <u64>((e & 63) - x)) & ((1 << x) - 1)));
    bb >>= <u64>e;
    bc -= e & 63;
    e = load<u32>(dist + (<usize>(<u32>bb & ((1 << DIST_ROOT) - 1)) << 2));
    if (e & E_SUB) {
      bb >>= DIST_ROOT;
      bc -= DIST_ROOT;
      e = load<u32>(dist + (<usize>((e >> 16) + (<u32>bb & ((1 << ((e >> 12) & 15)) - 1))) << 2));
    }
    if (e & E_BAD) {
      st = E_PNG_INFLATE;
      break;
    }
    x = (e >> 12) & 15;
    const d = <usize>((e >> 16) + (<u32>(bb >> <u64>((e & 63) - x)) & ((1 << x) - 1)));
    bb >>= <u64>e;
    bc -= e & 63;
    if (d > op - outStart) {
      st = E_PNG_INFLATE;
      break;
    }
    if (length > outEnd - op) {
      st = E_PNG_SIZE;
      break;
    }
    copyMatch(op, d, length);
    op += length;
  }
  bitbuf = bb;
  bitcnt = bc;
  inp = ip;
  over = ov;
  opOut = op;
  return st;
}

function truncated(info: usize, src: usize): i32 {
  setInfo(info, INFO_DETAIL, <i32>(inEnd - src));
  return E_TRUNCATED_DATA;
}

function bad(info: usize, src: usize, at: usize): i32 {
  // The byte holding the next unread bit, roughly where the error is.
  const back = (bitcnt >> 3) - min(over, bitcnt >> 3);
  setInfo(info, INFO_DETAIL, <i32>(at - src) - <i32>back);
  return E_PNG_INFLATE;
}

function tooBig(info: usize): i32 {
  setInfo(info, INFO_DETAIL, <i32>(outEndG - outStartG));
  return E_PNG_SIZE;
}

/** Copies `len` bytes from `op - d` to `op` (overlapping as LZ77 means); may write 15 bytes past. */
// @ts-ignore: decorator
@inline function copyMatch(op: usize, d: usize, len: usize): void {
  let s = op - d;
  const end = op + len;
  if (d >= 16) {
    let o = op;
    do {
      v128.store(o, v128.load(s));
      o += 16;
      s += 16;
    } while (o < end);
  } else if (d == 1) {
    const v = i8x16.splat(load<u8>(s));
    let o = op;
    do {
      v128.store(o, v);
      o += 16;
    } while (o < end);
  } else {
    // Short period: bytes one by one for the first period's worth, then 8 at a time from a
    // distance that is a multiple of d and at least 8.
    const p = d * (16 / d); // 9..16
    let o = op;
    const first = min(end, op + p);
    while (o < first) {
      store<u8>(o, load<u8>(o - d));
      o++;
    }
    while (o < end) {
      store<u64>(o, load<u64>(o - p));
      o += 8;
    }
  }
}

/** Reads a dynamic block's header and builds LIT_TABLE and DIST_TABLE. */
function dynamicTables(): i32 {
  refill();
  const nlen = <u32>(bitbuf & 31) + 257;
  const ndist = <u32>((bitbuf >> 5) & 31) + 1;
  const ncode = <u32>((bitbuf >> 10) & 15) + 4;
  bitbuf >>= 14;
  bitcnt -= 14;
  if (nlen > 286 || ndist > 30) return E_PNG_INFLATE;
  for (let i: u32 = 0; i < 19; i++) store<u8>(LENS + <usize>load<u8>(CL_ORDER + i), 0);
  for (let i: u32 = 0; i < ncode; i++) {
    if (bitcnt < 3) refill();
    store<u8>(LENS + <usize>load<u8>(CL_ORDER + i), <u8>(bitbuf & 7));
    bitbuf >>= 3;
    bitcnt -= 3;
  }
  if (!build(LENS, 19, CL_TPL, CL_TABLE, CL_ROOT, true)) return E_PNG_INFLATE;
  const total = nlen + ndist;
  let i: u32 = 0;
  while (i < total) {
    refill();
    if (overrun()) return E_PNG_INFLATE;
    const e = load<u32>(CL_TABLE + (<usize>(<u32>bitbuf & 127) << 2));
    if (e & E_BAD) return E_PNG_INFLATE;
    const n = e & 15;
    bitbuf >>= n;
    bitcnt -= n;
    const sym = e >> 16;
    if (sym < 16) {
      store<u8>(LENS + i, <u8>sym);
      i++;
      continue;
    }
    let v: u8 = 0;
    let rep: u32;
    if (sym == 16) {
      if (i == 0) return E_PNG_INFLATE;
      v = load<u8>(LENS + i - 1);
      rep = 3 + <u32>(bitbuf & 3);
      bitbuf >>= 2;
      bitcnt -= 2;
    } else if (sym == 17) {
      rep = 3 + <u32>(bitbuf & 7);
      bitbuf >>= 3;
      bitcnt -= 3;
    } else {
      rep = 11 + <u32>(bitbuf & 127);
      bitbuf >>= 7;
      bitcnt -= 7;
    }
    if (i + rep > total) return E_PNG_INFLATE;
    for (let j: u32 = 0; j < rep; j++) store<u8>(LENS + i + j, v);
    i += rep;
  }
  if (load<u8>(LENS + 256) == 0) return E_PNG_INFLATE; // no end-of-block code
  if (!build(LENS, nlen, LIT_TPL, LIT_TABLE, LIT_ROOT, false)) return E_PNG_INFLATE;
  packLiterals(LIT_TABLE);
  // Distance lengths follow the literal/length ones; copy them down to build from offset 0.
  memory.copy(LENS, LENS + nlen, ndist);
  if (!build(LENS, ndist, DIST_TPL, DIST_TABLE, DIST_ROOT, false)) return E_PNG_INFLATE;
  return OK;
}
