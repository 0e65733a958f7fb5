// Philox4x32-10 (Salmon et al., SC11), the generator behind every random draw.
// Integer-only, so it gives the same words on every engine and on the GPU.

const M0: u32 = 0xd2511f53;
const M1: u32 = 0xcd9e8d57;
const W0: u32 = 0x9e3779b9;
const W1: u32 = 0xbb67ae85;

/** Philox4x32-10 of counter (c0..c3) under key (k0, k1); writes 4 u32 to `out`. */
export function philox(c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32, out: usize): void {
  for (let r = 0; r < 10; r++) {
    const p0 = <u64>M0 * <u64>c0;
    const p1 = <u64>M1 * <u64>c2;
    const hi0 = <u32>(p0 >>> 32);
    const lo0 = <u32>p0;
    const hi1 = <u32>(p1 >>> 32);
    const lo1 = <u32>p1;
    c0 = hi1 ^ c1 ^ k0;
    c1 = lo1;
    c2 = hi0 ^ c3 ^ k1;
    c3 = lo0;
    k0 += W0;
    k1 += W1;
  }
  store<u32>(out, c0);
  store<u32>(out, c1, 4);
  store<u32>(out, c2, 8);
  store<u32>(out, c3, 12);
}

/**
 * Fills `n` blocks of 4 words from consecutive counters (c0 + i, c1, c2, c3), so the
 * host pays one call per batch of draws instead of one per block.
 */
export function philoxFill(c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32, n: i32, out: usize): void {
  for (let i = 0; i < n; i++) {
    philox(c0 + <u32>i, c1, c2, c3, k0, k1, out + (<usize>i << 4));
  }
}
