// Reference transcendental functions for the scalar twins, independent of the kernel's musl
// ports and of the engine's Math: computed with 200-bit BigInt fixed point and rounded once to the
// nearest double, so they are correctly rounded (barring a tie closer than 2^-190, which a
// double argument does not produce). Slow and obvious on purpose.

const P = 200n; // fractional bits of the fixed point
const ONE = 1n << P;

/** ln 2 in fixed point: sum over k >= 1 of 1 / (k 2^k), to P + 8 bits, then rounded. */
const LN2 = (() => {
  const extra = 8n;
  const one = 1n << (P + extra);
  let s = 0n;
  for (let k = 1n; k < P + 16n; k++) s += one / (k << k);
  return (s + (1n << (extra - 1n))) >> extra;
})();

/** x as an exact fixed-point BigInt (x * 2^P), for |x| >= 2^-140 or x = 0. */
function toFixed(x: number): bigint {
  if (x === 0) return 0n;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const sign = bits >> 63n ? -1n : 1n;
  const e = Number((bits >> 52n) & 0x7ffn);
  if (e === 0 || e === 0x7ff) throw new RangeError(`expRef: argument ${x} is subnormal, infinite or NaN`);
  const mant = (bits & ((1n << 52n) - 1n)) | (1n << 52n);
  const shift = BigInt(e - 1075) + P; // x = mant * 2^(e - 1075)
  if (shift < 0n) throw new RangeError(`expRef: argument ${x} is too small for ${P} fractional bits`);
  return sign * (mant << shift);
}

/**
 * A positive fixed-point value times 2^k, rounded to the nearest double (ties to even),
 * subnormal results included: the last kept bit is never finer than 2^-1074.
 */
function toDouble(v: bigint, k: bigint): number {
  const len = BigInt(v.toString(2).length);
  const finest = -1074n - (k - P); // shift at which the last kept bit weighs 2^-1074
  const shift = len - 53n > finest ? len - 53n : finest;
  if (shift > len) return 0;
  let mant = v >> shift;
  const rem = v - (mant << shift);
  const half = shift > 0n ? 1n << (shift - 1n) : 0n;
  if (shift > 0n && (rem > half || (rem === half && (mant & 1n) === 1n))) mant += 1n;
  return Number(mant) * 2 ** Number(shift + k - P);
}

/** e^x, correctly rounded, for finite x below 709 (underflowing to subnormals and 0 as IEEE does). */
export function expRef(x: number): number {
  if (!(x < 709)) throw new RangeError(`expRef: argument ${x} out of range`);
  if (x === 0) return 1;
  if (x < -746) return 0; // e^x < 2^-1076: rounds to zero
  const X = toFixed(x);
  // x = k ln2 + r with |r| <= ln2 / 2, then e^x = 2^k e^r.
  let k = X / LN2;
  let r = X - k * LN2;
  if (r > LN2 / 2n) {
    k += 1n;
    r -= LN2;
  } else if (r < -LN2 / 2n) {
    k -= 1n;
    r += LN2;
  }
  let term = ONE;
  let sum = ONE;
  for (let n = 1n; term !== 0n; n++) {
    term = (term * r) / (n << P);
    sum += term;
  }
  return toDouble(sum, k);
}
