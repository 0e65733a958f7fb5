import { kernel } from "../kernel/instance.js";
import { describe } from "../image.js";

/** A Philox key: two u32 words. Derived, never drawn from global state. */
export type Key = readonly [number, number];

/** Domain tags folded in with the data, so an epoch, an index and a slot never alias. */
export const TAG = { epoch: 1, index: 2, slot: 3, generator: 4, batch: 5 } as const;
/** Third counter word of every fold-in; streams use 0 there, so the two never meet. */
const FOLD = 0x666f6c64; // "fold"

/** Checks a seed: a non-negative safe integer or a bigint below 2^64. */
export function checkSeed(seed: unknown, name = "seed"): number | bigint {
  if (typeof seed === "bigint") {
    if (seed < 0n || seed >= 1n << 64n) throw new RangeError(`${name} must be in [0, 2^64), got ${seed}`);
    return seed;
  }
  if (typeof seed !== "number" || !Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`${name} must be a non-negative integer (at most 2^53 - 1, or a bigint below 2^64), got ${describe(seed)}`);
  }
  return seed;
}

/** Checks an index or epoch: a non-negative safe integer. */
export function checkCount(v: unknown, name: string): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    throw new RangeError(`${name} must be a non-negative integer (at most 2^53 - 1), got ${describe(v)}`);
  }
  return v;
}

/** The root key of a seed: its low and high 32 bits, as JAX's PRNGKey. */
export function seedKey(seed: number | bigint): Key {
  const s = BigInt(checkSeed(seed));
  return [Number(s & 0xffffffffn), Number(s >> 32n)];
}

/** Folds `data` (a non-negative integer below 2^53) under domain `tag` into `key` with one Philox call. */
export function foldIn(key: Key, data: number, tag: number): Key {
  const { exports, arena } = kernel();
  const lo = data >>> 0;
  const hi = Math.floor(data / 4294967296) >>> 0;
  const at = arena.fixed;
  exports.philox(lo, hi, FOLD, tag, key[0], key[1], at);
  const u = arena.u32();
  return [u[at >>> 2]!, u[(at >>> 2) + 1]!];
}

/** key(seed) -> fold(epoch) -> fold(index): the key of one sample of one epoch. */
export function sampleKey(seed: number | bigint, epoch: number, index: number): Key {
  return foldIn(foldIn(seedKey(seed), checkCount(epoch, "epoch"), TAG.epoch), checkCount(index, "index"), TAG.index);
}
