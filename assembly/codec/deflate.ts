// zlib deflate (RFC 1950 / 1951) of a buffer in memory: the PNG encoder's compressor.
//
// The output is a pure function of the input (integer arithmetic only, every tie broken by a
// fixed rule), so the same image gives the same file on every runtime. It is modelled on
// zlib's default level 6, not a copy of it (the bytes differ from zlib's):
// - LZ77 with hash chains and a 32 KiB window, zlib's lazy evaluation (a match is kept only if
//   the next position does not start a longer one) with level 6's limits: chains of 128 (32
//   once a match of 8 is found), stop at 128, no lazy search past 16.
// - As with zlib's Z_FILTERED strategy (which Pillow's PNG encoder uses), matches of 5 bytes or
//   fewer are dropped: on filtered scanlines they cost more than their literals (2-5% smaller
//   files on photos). So the chains hash 6-byte prefixes, not zlib's 3: they then hold only
//   candidates that can give a match worth keeping, which makes encoding about 5 times faster
//   than with 3-byte chains, and the files slightly smaller.
// - Blocks of 16383 symbols; each is sent as dynamic Huffman, fixed Huffman or stored,
//   whichever is smallest (zlib's choice, ties to stored then fixed).
// - Huffman codes: optimal lengths from a two-queue merge, limited to 15 bits (7 for the
//   code-length code) by moving codes down until the Kraft sum fits, the longest codes going
//   to the least frequent symbols; code lengths sent with zlib's run-length scheme.
import { adler32 } from "./checksum";

const WSIZE: u32 = 32768;
const WMASK: u32 = WSIZE - 1;
const HASH_BITS: u32 = 15;
const HASH_SIZE: u32 = 1 << HASH_BITS;
const MIN_MATCH: u32 = 3;
const MAX_MATCH: u32 = 258;
const MAX_DIST: u32 = WSIZE - 1;
const MIN_KEEP: u32 = 6; // Z_FILTERED: shorter matches are sent as literals
const GOOD_LENGTH: u32 = 8;
const MAX_LAZY: u32 = 16;
const NICE_LENGTH: u32 = 128;
const MAX_CHAIN: u32 = 128;
const BLOCK_SYMBOLS: u32 = 16383;

/** Scratch bytes `deflateZlib` needs for an input of `n` bytes (beyond the input and output). */
export function deflateScratch(): u64 {
  return (<u64>HASH_SIZE + <u64>WSIZE + <u64>BLOCK_SYMBOLS + 1) * 4;
}

/** Most bytes the zlib stream of `n` input bytes can take (stored blocks and headers), plus slack. */
export function deflateBound(n: u64): u64 {
  return n + (n >> 11) + 64;
}

// ---- static tables -------------------------------------------------------------------------

const LEN_BASE = memory.data<u16>([3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]);
const LEN_EXTRA = memory.data<u8>([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]);
const DIST_BASE = memory.data<u16>([1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]);
const DIST_EXTRA = memory.data<u8>([0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]);
const CL_ORDER = memory.data<u8>([16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]);

const LEN_CODE = memory.data(256); // match length - 3 -> length code 0..28
const DIST_CODE = memory.data(512); // zlib's _dist_code: dist - 1 < 256 direct, else 256 + ((dist - 1) >> 7)

// Frequencies, lengths and codes for the three alphabets (u16 each; 288 / 32 / 19 symbols).
const LIT_FREQ = memory.data(288 * 4, 16);
const DIST_FREQ = memory.data(32 * 4, 16);
const CL_FREQ = memory.data(19 * 4, 16);
const LIT_LEN = memory.data(288, 16);
const DIST_LEN = memory.data(32, 16);
const CL_LEN = memory.data(19, 16);
const LIT_CODE = memory.data(288 * 2, 16);
const DIST_CODE_BITS = memory.data(32 * 2, 16);
const CL_CODE = memory.data(19 * 2, 16);
const FIXED_LIT_LEN = memory.data(288, 16);
const FIXED_LIT_CODE = memory.data(288 * 2, 16);
const FIXED_DIST_LEN = memory.data(32, 16);
const FIXED_DIST_CODE = memory.data(32 * 2, 16);

// Huffman construction workspace.
const SORTED = memory.data(288 * 4, 16); // symbols by (frequency, symbol)
const NODE_FREQ = memory.data(600 * 4, 16);
const NODE_PARENT = memory.data(600 * 4, 16);
const DEPTH = memory.data(600 * 4, 16);
const BL_COUNT = memory.data(32 * 4, 16);
const NEXT_CODE = memory.data(32 * 4, 16);
// The run-length coded code lengths of a dynamic header: symbol | extra << 8 per entry.
const CL_SYMS = memory.data(320 * 2 * 4, 16);

let ready = false;

function init(): void {
  for (let c: u32 = 0; c < 29; c++) {
    const base = <u32>load<u16>(LEN_BASE + (c << 1)) - 3;
    const count: u32 = c == 28 ? 1 : 1 << <u32>load<u8>(LEN_EXTRA + c);
    for (let i: u32 = 0; i < count && base + i < 256; i++) store<u8>(LEN_CODE + base + i, <u8>c);
  }
  // length 258 is code 28, not code 27's last value
  store<u8>(LEN_CODE + 255, 28);
  for (let c: u32 = 0; c < 30; c++) {
    const base = <u32>load<u16>(DIST_BASE + (c << 1)) - 1;
    const count: u32 = 1 << <u32>load<u8>(DIST_EXTRA + c);
    for (let i: u32 = 0; i < count; i++) {
      const d = base + i;
      if (d < 256) store<u8>(DIST_CODE + d, <u8>c);
      else store<u8>(DIST_CODE + 256 + (d >> 7), <u8>c);
    }
  }
  for (let s: u32 = 0; s < 288; s++) store<u8>(FIXED_LIT_LEN + s, <u8>(s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8));
  codes(FIXED_LIT_LEN, FIXED_LIT_CODE, 288);
  for (let s: u32 = 0; s < 32; s++) store<u8>(FIXED_DIST_LEN + s, 5);
  codes(FIXED_DIST_LEN, FIXED_DIST_CODE, 32);
  ready = true;
}

// @ts-ignore: decorator
@inline function distCode(d: u32): u32 {
  const x = <usize>(d - 1);
  return <u32>load<u8>(DIST_CODE + (x < 256 ? x : 256 + (x >> 7)));
}

// ---- Huffman codes -------------------------------------------------------------------------

/**
 * Code lengths (at most `limit` bits) for the frequencies `freq[0..n)` (u32), into `lens`.
 * Symbols with frequency 0 get length 0; at least two symbols get a code (as zlib forces, so
 * that a lone symbol still has a 1-bit code and the code is complete).
 */
function huffman(freq: usize, n: u32, lens: usize, limit: u32): void {
  // Force two used symbols (the lowest unused ones) when fewer are used.
  let used: u32 = 0;
  for (let s: u32 = 0; s < n; s++) if (load<u32>(freq + (s << 2)) != 0) used++;
  for (let s: u32 = 0; used < 2 && s < n; s++) {
    if (load<u32>(freq + (s << 2)) == 0) {
      store<u32>(freq + (s << 2), 1);
      used++;
    }
  }
  // Sort the used symbols by (frequency, symbol): insertion sort, n <= 288.
  let m: u32 = 0;
  for (let s: u32 = 0; s < n; s++) {
    store<u8>(lens + s, 0);
    const f = load<u32>(freq + (s << 2));
    if (f == 0) continue;
    let j = m;
    while (j > 0) {
      const t = load<u32>(SORTED + ((j - 1) << 2));
      if (load<u32>(freq + (t << 2)) <= f) break;
      store<u32>(SORTED + (j << 2), t);
      j--;
    }
    store<u32>(SORTED + (j << 2), s);
    m++;
  }
  // Two-queue merge: leaves 0..m-1 (sorted), internal nodes m.. in creation order (which is
  // also non-decreasing frequency). On ties the leaf goes first.
  for (let i: u32 = 0; i < m; i++) store<u32>(NODE_FREQ + (i << 2), load<u32>(freq + (load<u32>(SORTED + (i << 2)) << 2)));
  let q1: u32 = 0;
  let q2: u32 = m;
  let next: u32 = m;
  for (let k: u32 = 0; k + 1 < m; k++) {
    let a: u32;
    let b: u32;
    if (q1 < m && (q2 >= next || load<u32>(NODE_FREQ + (q1 << 2)) <= load<u32>(NODE_FREQ + (q2 << 2)))) a = q1++;
    else a = q2++;
    if (q1 < m && (q2 >= next || load<u32>(NODE_FREQ + (q1 << 2)) <= load<u32>(NODE_FREQ + (q2 << 2)))) b = q1++;
    else b = q2++;
    store<u32>(NODE_FREQ + (next << 2), load<u32>(NODE_FREQ + (a << 2)) + load<u32>(NODE_FREQ + (b << 2)));
    store<u32>(NODE_PARENT + (a << 2), next);
    store<u32>(NODE_PARENT + (b << 2), next);
    next++;
  }
  const root = next - 1;
  store<u32>(DEPTH + (root << 2), 0);
  for (let i = root; i > 0; i--) {
    const node = i - 1;
    store<u32>(DEPTH + (node << 2), load<u32>(DEPTH + (load<u32>(NODE_PARENT + (node << 2)) << 2)) + 1);
  }
  // Counts per length, clamped to the limit, then made to fit (Kraft sum <= 2^limit): take a
  // code off the longest length and split a shorter code into two one bit longer.
  for (let l: u32 = 0; l <= 31; l++) store<u32>(BL_COUNT + (l << 2), 0);
  for (let i: u32 = 0; i < m; i++) {
    const d = min<u32>(load<u32>(DEPTH + (i << 2)), limit);
    store<u32>(BL_COUNT + (d << 2), load<u32>(BL_COUNT + (d << 2)) + 1);
  }
  let total: u64 = 0;
  for (let l: u32 = 1; l <= limit; l++) total += <u64>load<u32>(BL_COUNT + (l << 2)) << (limit - l);
  const full: u64 = <u64>1 << limit;
  while (total > full) {
    store<u32>(BL_COUNT + (limit << 2), load<u32>(BL_COUNT + (limit << 2)) - 1);
    for (let l = limit - 1; l > 0; l--) {
      const c = load<u32>(BL_COUNT + (l << 2));
      if (c != 0) {
        store<u32>(BL_COUNT + (l << 2), c - 1);
        store<u32>(BL_COUNT + ((l + 1) << 2), load<u32>(BL_COUNT + ((l + 1) << 2)) + 2);
        break;
      }
    }
    total--;
  }
  // Longest codes to the least frequent symbols (the sorted order).
  let i: u32 = 0;
  for (let l = limit; l > 0; l--) {
    let c = load<u32>(BL_COUNT + (l << 2));
    while (c > 0) {
      store<u8>(lens + load<u32>(SORTED + (i << 2)), <u8>l);
      i++;
      c--;
    }
  }
}

/** Canonical codes for `lens[0..n)`, bit-reversed for an LSB-first stream, into `out` (u16). */
function codes(lens: usize, out: usize, n: u32): void {
  for (let l: u32 = 0; l < 16; l++) store<u32>(BL_COUNT + (l << 2), 0);
  for (let s: u32 = 0; s < n; s++) {
    const l = <u32>load<u8>(lens + s);
    store<u32>(BL_COUNT + (l << 2), load<u32>(BL_COUNT + (l << 2)) + 1);
  }
  let code: u32 = 0;
  store<u32>(BL_COUNT, 0);
  for (let l: u32 = 1; l < 16; l++) {
    code = (code + load<u32>(BL_COUNT + ((l - 1) << 2))) << 1;
    store<u32>(NEXT_CODE + (l << 2), code);
  }
  for (let s: u32 = 0; s < n; s++) {
    const l = <u32>load<u8>(lens + s);
    if (l == 0) {
      store<u16>(out + (s << 1), 0);
      continue;
    }
    const c = load<u32>(NEXT_CODE + (l << 2));
    store<u32>(NEXT_CODE + (l << 2), c + 1);
    let r: u32 = 0;
    for (let k: u32 = 0; k < l; k++) r |= ((c >> k) & 1) << (l - 1 - k);
    store<u16>(out + (s << 1), <u16>r);
  }
}

// ---- bit output ----------------------------------------------------------------------------

let bitbuf: u64 = 0;
let bitcnt: u32 = 0;
let outp: usize = 0;

// @ts-ignore: decorator
@inline function put(v: u32, n: u32): void {
  bitbuf |= <u64>v << bitcnt;
  bitcnt += n;
  if (bitcnt >= 32) {
    store<u32>(outp, <u32>bitbuf);
    outp += 4;
    bitbuf >>= 32;
    bitcnt -= 32;
  }
}

/** Flushes to a byte boundary (zero bits). */
function align(): void {
  while (bitcnt > 0) {
    store<u8>(outp, <u8>bitbuf);
    outp++;
    bitbuf >>= 8;
    bitcnt = bitcnt > 8 ? bitcnt - 8 : 0;
  }
  bitbuf = 0;
}

// ---- the compressor ------------------------------------------------------------------------

/**
 * Compresses `src[0..n)` to a zlib stream at `out` (room for deflateBound(n) bytes) and returns
 * its length. `work` has deflateScratch() bytes; `src` must have 8 readable bytes after `n`.
 */
export function deflateZlib(src: usize, n: u32, out: usize, work: usize): u32 {
  if (!ready) init();
  const head = work;
  const prev = head + (<usize>HASH_SIZE << 2);
  const syms = prev + (<usize>WSIZE << 2);
  memory.fill(head, 0, <usize>HASH_SIZE << 2);
  bitbuf = 0;
  bitcnt = 0;
  outp = out;
  store<u8>(outp, 0x78); // deflate, 32K window
  store<u8>(outp + 1, 0x9c); // default level; (0x789c % 31 == 0)
  outp += 2;

  let nsyms: u32 = 0;
  let blockStart: u32 = 0;
  clearFreqs();

  let matchLen: u32 = MIN_MATCH - 1;
  let matchStart: u32 = 0;
  let available = false;
  let pos: u32 = 0;
  while (pos < n) {
    // Insert the string at pos; head and prev hold position + 1 (0: none).
    let cand: u32 = 0;
    if (pos + MIN_KEEP <= n) cand = insert(src, head, prev, pos);
    const prevLen = matchLen;
    const prevStart = matchStart;
    matchLen = MIN_MATCH - 1;
    if (cand != 0 && prevLen < MAX_LAZY && pos - (cand - 1) <= MAX_DIST) {
      const found = longest(src, prev, pos, cand - 1, n, prevLen);
      if (found > prevLen) {
        matchLen = found;
        matchStart = lastStart;
        if (matchLen < MIN_KEEP) matchLen = MIN_MATCH - 1;
      }
    }
    if (prevLen >= MIN_MATCH && matchLen <= prevLen) {
      // The match found at pos - 1 is at least as long: emit it.
      const at = pos - 1;
      store<u32>(syms + (<usize>nsyms << 2), ((at - prevStart) << 16) | (prevLen - MIN_MATCH));
      nsyms++;
      const lc = <u32>load<u8>(LEN_CODE + (prevLen - MIN_MATCH));
      bump(LIT_FREQ, 257 + lc);
      bump(DIST_FREQ, distCode(at - prevStart));
      // Insert the strings inside the match (pos was inserted above).
      const end = at + prevLen;
      for (let p = pos + 1; p < end; p++) if (p + MIN_KEEP <= n) insert(src, head, prev, p);
      pos = end;
      available = false;
      matchLen = MIN_MATCH - 1;
    } else if (available) {
      literal(syms, nsyms, load<u8>(src + pos - 1));
      nsyms++;
      pos++;
    } else {
      available = true;
      pos++;
    }
    if (nsyms >= BLOCK_SYMBOLS) {
      // The block holds the bytes before pos, or before pos - 1 while a literal is pending.
      const end = available ? pos - 1 : pos;
      flushBlock(src, syms, nsyms, blockStart, end, false);
      blockStart = end;
      nsyms = 0;
      clearFreqs();
    }
  }
  if (available) {
    literal(syms, nsyms, load<u8>(src + n - 1));
    nsyms++;
  }
  flushBlock(src, syms, nsyms, blockStart, n, true);
  align();
  const a = adler32(src, <usize>n);
  store<u32>(outp, bswap<u32>(a));
  outp += 4;
  return <u32>(outp - out);
}

// @ts-ignore: decorator
@inline function bump(table: usize, s: u32): void {
  const p = table + (<usize>s << 2);
  store<u32>(p, load<u32>(p) + 1);
}

// @ts-ignore: decorator
@inline function literal(syms: usize, i: u32, b: u8): void {
  store<u32>(syms + (<usize>i << 2), <u32>b);
  bump(LIT_FREQ, <u32>b);
}

function clearFreqs(): void {
  memory.fill(LIT_FREQ, 0, 288 * 4);
  memory.fill(DIST_FREQ, 0, 32 * 4);
}

/** Hash of the 6 bytes at p: only matches of MIN_KEEP (6) bytes or more are kept, so chains need
 * hold only positions that share that much (a 3-byte hash fills them with useless candidates). */
// @ts-ignore: decorator
@inline function hash(p: usize): u32 {
  return <u32>(((load<u64>(p) << 16) * 0x9e3779b97f4a7c15) >> (64 - HASH_BITS));
}

/** Links position `pos` into its hash chain; returns the previous head (position + 1, or 0). */
// @ts-ignore: decorator
@inline function insert(src: usize, head: usize, prev: usize, pos: u32): u32 {
  const h = head + (<usize>hash(src + pos) << 2);
  const old = load<u32>(h);
  store<u32>(prev + (<usize>(pos & WMASK) << 2), old);
  store<u32>(h, pos + 1);
  return old;
}

let lastStart: u32 = 0;

/**
 * The longest match for `pos` along its chain, starting at `cur`, longer than `best` (zlib's
 * longest_match with level 6's limits). Sets lastStart; returns the length (or `best`).
 */
function longest(src: usize, prev: usize, pos: u32, cur: u32, n: u32, best: u32): u32 {
  let chain = MAX_CHAIN;
  if (best >= GOOD_LENGTH) chain >>= 2;
  const maxLen = min<u32>(MAX_MATCH, n - pos);
  if (best >= maxLen) return best;
  const limit: u32 = pos > MAX_DIST ? pos - MAX_DIST : 0;
  const s = src + pos;
  let bestLen = best;
  for (;;) {
    const c = src + cur;
    // Quick rejects: the two bytes ending a longer match, then the first two.
    if (load<u16>(c + bestLen - 1) == load<u16>(s + bestLen - 1) && load<u16>(c) == load<u16>(s)) {
      let len: u32 = 2;
      while (len < maxLen) {
        const x = load<u64>(c + len) ^ load<u64>(s + len);
        if (x != 0) {
          len += <u32>(ctz<u64>(x) >> 3);
          break;
        }
        len += 8;
      }
      if (len > maxLen) len = maxLen;
      if (len > bestLen) {
        bestLen = len;
        lastStart = cur;
        if (len >= NICE_LENGTH || len >= maxLen) break;
      }
    }
    const nxt = load<u32>(prev + (<usize>(cur & WMASK) << 2));
    if (nxt == 0) break;
    const np = nxt - 1;
    if (np <= limit || np >= cur || --chain == 0) break;
    cur = np;
  }
  return bestLen;
}

/** Sends the symbols of one block as whichever of dynamic, fixed or stored is smallest. */
function flushBlock(src: usize, syms: usize, nsyms: u32, start: u32, end: u32, last: bool): void {
  store<u32>(LIT_FREQ + (256 << 2), 1); // end of block
  huffman(LIT_FREQ, 286, LIT_LEN, 15);
  huffman(DIST_FREQ, 30, DIST_LEN, 15);
  // Bits of the symbols under each code (extra bits are the same for both Huffman choices).
  let extra: u64 = 0;
  let dynBits: u64 = 0;
  let fixBits: u64 = 0;
  for (let s: u32 = 0; s < 286; s++) {
    const f = <u64>load<u32>(LIT_FREQ + (s << 2));
    dynBits += f * <u64>load<u8>(LIT_LEN + s);
    fixBits += f * <u64>load<u8>(FIXED_LIT_LEN + s);
    if (s >= 257) extra += f * <u64>load<u8>(LEN_EXTRA + s - 257);
  }
  for (let s: u32 = 0; s < 30; s++) {
    const f = <u64>load<u32>(DIST_FREQ + (s << 2));
    dynBits += f * <u64>load<u8>(DIST_LEN + s);
    fixBits += f * 5;
    extra += f * <u64>load<u8>(DIST_EXTRA + s);
  }
  // The dynamic header: run-length code both length lists, then code the code lengths.
  let nlit: u32 = 286;
  while (nlit > 257 && load<u8>(LIT_LEN + nlit - 1) == 0) nlit--;
  let ndist: u32 = 30;
  while (ndist > 1 && load<u8>(DIST_LEN + ndist - 1) == 0) ndist--;
  memory.fill(CL_FREQ, 0, 19 * 4);
  let ncl = runLengths(LIT_LEN, nlit, 0);
  ncl = runLengths(DIST_LEN, ndist, ncl);
  huffman(CL_FREQ, 19, CL_LEN, 7);
  let nclen: u32 = 19;
  while (nclen > 4 && load<u8>(CL_LEN + <usize>load<u8>(CL_ORDER + nclen - 1)) == 0) nclen--;
  let headerBits: u64 = 14 + 3 * <u64>nclen;
  for (let i: u32 = 0; i < ncl; i++) {
    const e = load<u32>(CL_SYMS + (<usize>i << 2));
    const s = e & 0xff;
    headerBits += <u64>load<u8>(CL_LEN + s) + (s == 16 ? 2 : s == 17 ? 3 : s == 18 ? 7 : 0);
  }
  const dynamic = 3 + headerBits + dynBits + extra;
  const fixed = 3 + fixBits + extra;
  const raw = <u64>(end - start);
  const pieces = raw == 0 ? 1 : (raw + 65534) / 65535;
  // A stored block: 3 header bits padded to a byte, then 4 bytes of lengths, per piece.
  const stored = raw * 8 + pieces * 40 + 8;
  const best = min<u64>(dynamic, fixed);
  if (stored <= best) {
    let p = start;
    let left = end - start;
    do {
      const k = min<u32>(left, 65535);
      left -= k;
      put(last && left == 0 ? 1 : 0, 3);
      align();
      store<u16>(outp, <u16>k);
      store<u16>(outp + 2, <u16>(k ^ 0xffff));
      outp += 4;
      memory.copy(outp, src + p, k);
      outp += k;
      p += k;
    } while (left > 0);
    return;
  }
  if (fixed <= dynamic) {
    put(last ? 3 : 2, 3); // BFINAL, BTYPE 01 (bits LSB first: 1, then 0)
    sendSymbols(syms, nsyms, FIXED_LIT_LEN, FIXED_LIT_CODE, FIXED_DIST_LEN, FIXED_DIST_CODE);
    return;
  }
  codes(LIT_LEN, LIT_CODE, 286);
  codes(DIST_LEN, DIST_CODE_BITS, 30);
  codes(CL_LEN, CL_CODE, 19);
  put(last ? 5 : 4, 3); // BFINAL, BTYPE 10
  put(nlit - 257, 5);
  put(ndist - 1, 5);
  put(nclen - 4, 4);
  for (let i: u32 = 0; i < nclen; i++) put(<u32>load<u8>(CL_LEN + <usize>load<u8>(CL_ORDER + i)), 3);
  for (let i: u32 = 0; i < ncl; i++) {
    const e = load<u32>(CL_SYMS + (<usize>i << 2));
    const s = e & 0xff;
    put(<u32>load<u16>(CL_CODE + (s << 1)), <u32>load<u8>(CL_LEN + s));
    if (s == 16) put(e >> 8, 2);
    else if (s == 17) put(e >> 8, 3);
    else if (s == 18) put(e >> 8, 7);
  }
  sendSymbols(syms, nsyms, LIT_LEN, LIT_CODE, DIST_LEN, DIST_CODE_BITS);
}

/**
 * zlib's scan_tree: run-length codes `lens[0..n)` into CL_SYMS from entry `at` (16: repeat the
 * previous length 3-6 times, 17: 3-10 zeros, 18: 11-138 zeros), counting CL_FREQ. Returns the
 * new entry count.
 */
function runLengths(lens: usize, n: u32, at: u32): u32 {
  let prevLen: i32 = -1;
  let i: u32 = 0;
  while (i < n) {
    const cur = <i32>load<u8>(lens + i);
    let run: u32 = 1;
    while (i + run < n && <i32>load<u8>(lens + i + run) == cur) run++;
    i += run;
    if (cur == 0) {
      while (run >= 11) {
        const k = min<u32>(run, 138);
        at = clSym(at, 18, k - 11);
        run -= k;
      }
      if (run >= 3) {
        at = clSym(at, 17, run - 3);
        run = 0;
      }
    } else {
      if (cur != prevLen) {
        at = clSym(at, <u32>cur, 0);
        run--;
      }
      while (run >= 3) {
        const k = min<u32>(run, 6);
        at = clSym(at, 16, k - 3);
        run -= k;
      }
    }
    while (run > 0) {
      at = clSym(at, <u32>cur, 0);
      run--;
    }
    prevLen = cur;
  }
  return at;
}

// @ts-ignore: decorator
@inline function clSym(at: u32, s: u32, extra: u32): u32 {
  store<u32>(CL_SYMS + (<usize>at << 2), s | (extra << 8));
  bump(CL_FREQ, s);
  return at + 1;
}

function sendSymbols(syms: usize, n: u32, litLen: usize, litCode: usize, distLen: usize, distCodes: usize): void {
  for (let i: u32 = 0; i < n; i++) {
    const e = load<u32>(syms + (<usize>i << 2));
    const d = e >> 16;
    if (d == 0) {
      put(<u32>load<u16>(litCode + (<usize>e << 1)), <u32>load<u8>(litLen + e));
      continue;
    }
    const l = e & 0xffff; // length - 3
    const lc = <u32>load<u8>(LEN_CODE + l);
    put(<u32>load<u16>(litCode + ((257 + lc) << 1)), <u32>load<u8>(litLen + 257 + lc));
    const le = <u32>load<u8>(LEN_EXTRA + lc);
    if (le) put(l + 3 - <u32>load<u16>(LEN_BASE + (lc << 1)), le);
    const dc = distCode(d);
    put(<u32>load<u16>(distCodes + (dc << 1)), <u32>load<u8>(distLen + dc));
    const de = <u32>load<u8>(DIST_EXTRA + dc);
    if (de) put(d - <u32>load<u16>(DIST_BASE + (dc << 1)), de);
  }
  // end of block
  put(<u32>load<u16>(litCode + (256 << 1)), <u32>load<u8>(litLen + 256));
}
