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

/**
 * CRC-32 (ISO-HDLC, as PNG and zlib use) of `p[0..n)`, continuing from `crc` (0 to start).
 * Sixteen bytes a step with slicing-by-16 tables.
 */
export function crc32(crc: u32, p: usize, n: usize): u32 {
  if (!crcReady) crcInit();
  let c = ~crc;
  while (n >= 16) {
    const a = load<u32>(p) ^ c;
    const b = load<u32>(p + 4);
    const d = load<u32>(p + 8);
    const e = load<u32>(p + 12);
    c = t(15, a) ^ t(14, a >> 8) ^ t(13, a >> 16) ^ t(12, a >> 24) ^
      t(11, b) ^ t(10, b >> 8) ^ t(9, b >> 16) ^ t(8, b >> 24) ^
      t(7, d) ^ t(6, d >> 8) ^ t(5, d >> 16) ^ t(4, d >> 24) ^
      t(3, e) ^ t(2, e >> 8) ^ t(1, e >> 16) ^ t(0, e >> 24);
    p += 16;
    n -= 16;
  }
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
