// Parsing the command line's numbers: every error names its flag and echoes what was given.

const MAX_SEED = (1n << 64n) - 1n;

/**
 * A `--seed` value: a decimal integer in [0, 2^64 - 1], as the API takes. Below 2^53 it is a
 * number (so manifests and bytes are what they always were), above it a bigint: the two map to
 * the same Philox key (seedKey splits the value into its low and high 32 bits either way).
 */
export function parseSeed(v: string | undefined, name = "seed"): number | bigint {
  if (v === undefined) return 0;
  const s = v.trim();
  if (!/^\d+$/.test(s)) {
    throw new Error(`--${name} must be a non-negative decimal integer (at most 2^64 - 1 = ${MAX_SEED}), got ${JSON.stringify(v)}`);
  }
  const n = BigInt(s);
  if (n > MAX_SEED) throw new Error(`--${name} must be at most 2^64 - 1 = ${MAX_SEED}, got ${s}`);
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

/** An integer flag in [min, 2^53 - 1] (epochs, workers, the start epoch); `fallback` when absent. */
export function parseInteger(v: string | undefined, name: string, fallback: number, min: number): number {
  if (v === undefined) return fallback;
  const s = v.trim();
  const n = /^-?\d+$/.test(s) ? Number(s) : NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  return n;
}

/** A seed as manifests hold it: a JSON number below 2^53, else its decimal string. */
export function seedJson(seed: number | bigint): number | string {
  return typeof seed === "bigint" ? seed.toString() : seed;
}

/** A seed read back from a manifest (a number, or a decimal string for seeds of 2^53 and above). */
export function seedFromJson(v: unknown, where: string): number | bigint {
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return v;
  if (typeof v === "string" && /^\d+$/.test(v)) {
    const n = BigInt(v);
    if (n <= MAX_SEED) return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }
  throw new Error(`${where}: seed must be an integer in [0, 2^64 - 1] (a number, or a decimal string), got ${JSON.stringify(v)}`);
}
