import { kernel } from "../kernel/instance.js";
import { describe } from "../image.js";
import type { Key } from "./keys.js";

const BLOCKS = 16; // Philox blocks fetched per kernel call
const TWO32 = 4294967296;

/** The draws a transform may make. All conversions are exact, so every engine agrees. */
export interface Rng {
  /** A uniform u32. */
  nextU32(): number;
  /** A uniform float64 in [0, 1) from 53 random bits. */
  random(): number;
  /** A uniform float64 in [low, high). */
  uniform(low: number, high: number): number;
  /** A uniform integer in [low, high), unbiased (Lemire's method); high - low <= 2^32. */
  randint(low: number, high: number): number;
}

/** x * n as a 64-bit product, split as [high 32 bits, low 32 bits]; 16-bit halves keep it exact. */
function mul64(x: number, n: number): [number, number] {
  const xl = x & 0xffff,
    xh = x >>> 16;
  const nl = n % 65536,
    nh = Math.floor(n / 65536);
  const a = xl * nl;
  const mid = xh * nl + xl * nh + Math.floor(a / 65536);
  const lo = (mid % 65536) * 65536 + (a % 65536);
  const hi = xh * nh + Math.floor(mid / 65536);
  return [hi, lo];
}

/**
 * The stream of one key: Philox blocks at counters 0, 1, 2, ... read word by word.
 * A transform gets a fresh stream for its slot, so its draws never depend on others'.
 */
export class Stream implements Rng {
  private block = 0;
  private readonly words = new Uint32Array(BLOCKS * 4);
  private pos = BLOCKS * 4;

  constructor(readonly key: Key) {}

  nextU32(): number {
    if (this.pos === this.words.length) this.refill();
    return this.words[this.pos++]!;
  }

  random(): number {
    const a = this.nextU32() >>> 5;
    const b = this.nextU32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  uniform(low: number, high: number): number {
    return low + (high - low) * this.random();
  }

  randint(low: number, high: number): number {
    const n = high - low;
    if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || n < 1 || n > TWO32) {
      throw new RangeError(`randint needs integers with 1 <= high - low <= 2^32, got [${describe(low)}, ${describe(high)})`);
    }
    let [hi, lo] = mul64(this.nextU32(), n);
    if (lo < n) {
      const t = (TWO32 - n) % n;
      while (lo < t) [hi, lo] = mul64(this.nextU32(), n);
    }
    return low + hi;
  }

  private refill(): void {
    const { exports, arena } = kernel();
    const at = arena.fixed;
    exports.philoxFill(this.block >>> 0, Math.floor(this.block / TWO32) >>> 0, 0, 0, this.key[0], this.key[1], BLOCKS, at);
    this.words.set(arena.u32().subarray(at >>> 2, (at >>> 2) + BLOCKS * 4));
    this.block += BLOCKS;
    this.pos = 0;
  }
}
