// The tests' own seeded PRNG (mulberry32), so a failing random case can be printed and rerun.
// It only picks cases; it never feeds an expected value.

/** mulberry32: a uniform number in [0, 1) per call, from a 32-bit seed. */
export function mulberry32(a: number): () => number {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
