/**
 * Philox4x32-10 (Salmon, Moraes, Dror, Shaw, SC11; Random123's philox4x32_R(10, ...)),
 * with BigInt 32x32 -> 64 products, independent of the kernel.
 *
 *   round: (hi0, lo0) = M0 * c0, (hi1, lo1) = M1 * c2
 *          c = [hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0]
 *   key bump between rounds: k0 += W0, k1 += W1 (mod 2^32)
 */
const M0 = 0xd2511f53n;
const M1 = 0xcd9e8d57n;
const W0 = 0x9e3779b9n;
const W1 = 0xbb67ae85n;
const MASK = 0xffffffffn;

export function philox4x32Ref(counter: ArrayLike<number>, key: ArrayLike<number>, rounds = 10): number[] {
  let c = [0, 1, 2, 3].map((i) => BigInt(counter[i]!));
  let k0 = BigInt(key[0]!);
  let k1 = BigInt(key[1]!);
  for (let r = 0; r < rounds; r++) {
    if (r > 0) {
      k0 = (k0 + W0) & MASK;
      k1 = (k1 + W1) & MASK;
    }
    const p0 = M0 * c[0]!;
    const p1 = M1 * c[2]!;
    c = [(p1 >> 32n) ^ c[1]! ^ k0, p1 & MASK, (p0 >> 32n) ^ c[3]! ^ k1, p0 & MASK];
  }
  return c.map((x) => Number(x));
}
