// The two checksums of PNG files: CRC-32 over every chunk, Adler-32 over the zlib stream.

const CRC_TABLE = memory.data(16 * 256 * 4, 16);
let crcReady = false;

function crcInit(): void {
  for (let n: u32 = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >> 1) : c >> 1;
    store<u32>(CRC_TABLE + (<usize>n << 2), c);
  }
  // Slicing-by-16 tables: T[k][n] is the CRC of byte n followed by k zero bytes.
  for (let k: usize = 1; k < 16; k++) {
    for (let n: usize = 0; n < 256; n++) {
      const prev = load<u32>(CRC_TABLE + ((k - 1) << 10) + (n << 2));
      store<u32>(CRC_TABLE + (k << 10) + (n << 2), (prev >> 8) ^ load<u32>(CRC_TABLE + (<usize>(prev & 0xff) << 2)));
    }
  }
  crcReady = true;
}

// @ts-ignore: decorator
@inline function t(k: usize, i: u32): u32 {
  return load<u32>(CRC_TABLE + (k << 10) + (<usize>(i & 0xff) << 2));
}

/** CRC-32 register `c` (pre-inverted) over `p[0..n)`, n a multiple of 16: slicing-by-16. */
// @ts-ignore: decorator
@inline function slice16(c: u32, p: usize, n: usize): u32 {
  const end = p + n;
  while (p < end) {
    c = step16(c, p);
    p += 16;
  }
  return c;
}

// @ts-ignore: decorator
@inline function step16(c: u32, p: usize): u32 {
  // The 12 bytes that do not meet the register are loaded one by one: a byte load is one
  // instruction where a shift and a mask of a word are two.
  const a = load<u32>(p) ^ c;
  return t(15, a) ^ t(14, a >> 8) ^ t(13, a >> 16) ^ t(12, a >> 24) ^
    tb(11, p + 4) ^ tb(10, p + 5) ^ tb(9, p + 6) ^ tb(8, p + 7) ^
    tb(7, p + 8) ^ tb(6, p + 9) ^ tb(5, p + 10) ^ tb(4, p + 11) ^
    tb(3, p + 12) ^ tb(2, p + 13) ^ tb(1, p + 14) ^ tb(0, p + 15);
}

// @ts-ignore: decorator
@inline function tb(k: usize, at: usize): u32 {
  return load<u32>(CRC_TABLE + (k << 10) + (<usize>load<u8>(at) << 2));
}

/** a * b modulo the CRC polynomial, in CRC-32's bit-reflected representation. */
function mulModP(a: u32, b: u32): u32 {
  let m: u32 = 0x80000000;
  let p: u32 = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) == 0) break;
    }
    m >>= 1;
    b = b & 1 ? (b >> 1) ^ 0xedb88320 : b >> 1;
  }
  return p;
}

let zerosN: usize = 0;
let zerosP: u32 = 0x80000000;

/**
 * x^(8n) modulo the CRC polynomial (reflected): what appending n zero bytes multiplies by.
 * The last one is kept: a PNG's IDAT chunks mostly have one length.
 */
function zerosOp(n: usize): u32 {
  if (n == zerosN) return zerosP;
  zerosN = n;
  let p: u32 = 0x80000000; // x^0
  let x2k: u32 = 0x00800000; // x^8
  while (n != 0) {
    if (n & 1) p = mulModP(x2k, p);
    x2k = mulModP(x2k, x2k);
    n >>= 1;
  }
  zerosP = p;
  return p;
}

/**
 * CRC-32 (ISO-HDLC, as PNG and zlib use) of `p[0..n)`, continuing from `crc` (0 to start).
 * Slicing-by-16; from 4 KiB on, the two halves in one loop (two independent dependency
 * chains), then joined as zlib's crc32_combine does: crc(A B) = crc(A) * x^(8 |B|) + crc(B).
 */
export function crc32(crc: u32, p: usize, n: usize): u32 {
  if (!crcReady) crcInit();
  let c = ~crc;
  if (n >= 4096) {
    const h = (n >> 1) & ~(<usize>15);
    let c2: u32 = 0xffffffff;
    const q = p + h;
    for (let i: usize = 0; i < h; i += 16) {
      c = step16(c, p + i);
      c2 = step16(c2, q + i);
    }
    p = q + h;
    n -= h << 1;
    c2 = slice16(c2, p, n & ~(<usize>15));
    p += n & ~(<usize>15);
    n &= 15;
    while (n > 0) {
      c2 = t(0, c2 ^ <u32>load<u8>(p)) ^ (c2 >> 8);
      p++;
      n--;
    }
    return mulModP(zerosOp(p - q), ~c) ^ ~c2;
  }
  c = slice16(c, p, n & ~(<usize>15));
  p += n & ~(<usize>15);
  n &= 15;
  while (n > 0) {
    c = t(0, c ^ <u32>load<u8>(p)) ^ (c >> 8);
    p++;
    n--;
  }
  return ~c;
}

const ADLER_W_LO = memory.data<u16>([16, 15, 14, 13, 12, 11, 10, 9]);
const ADLER_W_HI = memory.data<u16>([8, 7, 6, 5, 4, 3, 2, 1]);

/** Adler-32 of `p[0..n)` (RFC 1950), 16 bytes a step with SIMD sums. */
export function adler32(p: usize, n: usize): u32 {
  let s1: u32 = 1;
  let s2: u32 = 0;
  const wlo = v128.load(ADLER_W_LO);
  const whi = v128.load(ADLER_W_HI);
  while (n >= 16) {
    // 4096-byte blocks keep every 32-bit sum below 2^32 before the reduction (zlib's NMAX).
    const blk = min<usize>(n, 4096) & ~(<usize>15);
    n -= blk;
    s2 += s1 * <u32>blk;
    let vs1 = i32x4.splat(0);
    let vps = i32x4.splat(0);
    let vs2 = i32x4.splat(0);
    const end = p + blk;
    while (p < end) {
      const b = v128.load(p);
      vps = i32x4.add(vps, vs1);
      vs1 = i32x4.add(vs1, i32x4.extadd_pairwise_i16x8_u(i16x8.extadd_pairwise_i8x16_u(b)));
      vs2 = i32x4.add(vs2, i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_u(b), wlo));
      vs2 = i32x4.add(vs2, i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_u(b), whi));
      p += 16;
    }
    s2 += (hsum(vps) << 4) + hsum(vs2);
    s1 += hsum(vs1);
    s1 %= 65521;
    s2 %= 65521;
  }
  while (n > 0) {
    s1 += <u32>load<u8>(p);
    s2 += s1;
    p++;
    n--;
  }
  return ((s2 % 65521) << 16) | (s1 % 65521);
}

// @ts-ignore: decorator
@inline function hsum(v: v128): u32 {
  return <u32>(i32x4.extract_lane(v, 0) + i32x4.extract_lane(v, 1) + i32x4.extract_lane(v, 2) + i32x4.extract_lane(v, 3));
}
