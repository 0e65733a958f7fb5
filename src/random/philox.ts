import { kernel } from "../kernel/instance.js";
import { describe } from "../image.js";

function u32s(v: ArrayLike<number>, n: number, name: string): number[] {
  if (v === null || typeof v !== "object" || typeof v.length !== "number" || v.length !== n) {
    throw new TypeError(`${name} must hold ${n} unsigned 32-bit integers, got ${describe(v)}`);
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (typeof x !== "number" || !Number.isInteger(x) || x < 0 || x > 0xffffffff) {
      throw new RangeError(`${name}[${i}] must be an integer in [0, 2^32), got ${describe(x)}`);
    }
    out.push(x);
  }
  return out;
}

/**
 * Philox4x32-10 (Random123): the block of 4 words for `counter` (4 u32) under `key` (2 u32).
 * Passes Random123's known-answer vectors.
 */
export function philox4x32(counter: ArrayLike<number>, key: ArrayLike<number>): Uint32Array {
  const c = u32s(counter, 4, "counter");
  const k = u32s(key, 2, "key");
  const { exports, arena } = kernel();
  const out = arena.fixed;
  exports.philox(c[0]!, c[1]!, c[2]!, c[3]!, k[0]!, k[1]!, out);
  return arena.u32().slice(out >>> 2, (out >>> 2) + 4);
}
