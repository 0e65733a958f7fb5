// A keyed, random-access permutation of [0, n) for any n up to 2^53, in O(1) memory: an
// alternating (unbalanced) Feistel network over the next power of two, with Philox as the
// round function and cycle walking back into [0, n).
import { kernel } from "../kernel/instance.js";
import { checkCount, checkSeed, foldIn, seedKey, TAG, type Key } from "../random/keys.js";
import { describe } from "../image.js";

/** The largest size a permutation (and so a dataset) may have. */
export const MAX_LENGTH = 2 ** 53;
/**
 * Feistel rounds. Tiny domains mix slowest (round functions of 1-2 bits: on 8 elements the
 * distance to uniform shrinks by only ~20 % a round), so they get more rounds; the cost is
 * one Philox call per round.
 */
const roundsFor = (bits: number): number => (bits <= 4 ? 24 : 16);
/** Domain tag of the shuffle key, folded into the epoch key (sample keys use TAG.index: no alias). */
const SHUFFLE = 0x7065726d; // "perm"
/** Third counter word of every round call, apart from fold-ins and streams. */
const ROUND = 0x66737465; // "fste"

/** Checks a dataset length: an integer in [0, 2^53]. */
export function checkLength(n: unknown, name = "length"): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > MAX_LENGTH) {
    throw new RangeError(`${name} must be an integer in [0, 2^53], got ${describe(n)}`);
  }
  return n;
}

/** The key of the shuffle of one epoch: key(seed) -> fold(epoch) -> fold(SHUFFLE). */
export function shuffleKey(seed: number | bigint, epoch: number): Key {
  const e = foldIn(seedKey(checkSeed(seed)), checkCount(epoch, "epoch"), TAG.epoch);
  return foldIn(e, 0, SHUFFLE);
}

let words = new Uint32Array(0);
/** The memory `words` views: after resetKernel the kernel has a new one, and the old view must not be read. */
let lastMemory: WebAssembly.Memory | null = null;
function refreshWords(memory: WebAssembly.Memory): void {
  lastMemory = memory;
  words = new Uint32Array(memory.buffer);
}

function bitLength(x: number): number {
  let k = 0;
  while (x >= 1) {
    x = Math.floor(x / 2);
    k++;
  }
  return k;
}

/**
 * A bijection of [0, n) keyed by `(seed, epoch)`: `at(position)` is the element at a position,
 * `positionOf(element)` its inverse. Both take a few Philox calls and no memory, whatever n.
 */
export class KeyedPermutation {
  readonly length: number;
  private readonly key: Key;
  /** Bits of the left (u) and right (v) halves; u + v = the domain's bit count. */
  private readonly u: number;
  private readonly v: number;
  private readonly pow2v: number;
  /** n split as hi * 2^v + lo, to compare against n without forming numbers over 2^53. */
  private readonly nHi: number;
  private readonly nLo: number;
  private readonly rounds: number;
  /** The key as int32 (small integers cross into wasm fastest). */
  private readonly k0: number;
  private readonly k1: number;

  constructor(length: number, seed: number | bigint, epoch = 0) {
    this.length = checkLength(length);
    this.key = shuffleKey(seed, epoch);
    this.k0 = this.key[0] | 0;
    this.k1 = this.key[1] | 0;
    const k = Math.max(2, bitLength(Math.max(0, this.length - 1)));
    this.rounds = roundsFor(k);
    this.u = Math.ceil(k / 2);
    this.v = k - this.u;
    this.pow2v = 2 ** this.v;
    this.nHi = Math.floor(this.length / this.pow2v);
    this.nLo = this.length - this.nHi * this.pow2v;
  }

  /** The element at `position` (0 <= position < length). */
  at(position: number): number {
    this.check(position, "position");
    if (this.length === 1) return 0;
    let a = Math.floor(position / this.pow2v);
    let b = position - a * this.pow2v;
    do [a, b] = this.forward(a, b);
    while (!this.inside(a, b));
    return a * this.pow2v + b;
  }

  /** The position of `element` (0 <= element < length): `at(positionOf(x)) === x`. */
  positionOf(element: number): number {
    this.check(element, "element");
    if (this.length === 1) return 0;
    let a = Math.floor(element / this.pow2v);
    let b = element - a * this.pow2v;
    do [a, b] = this.backward(a, b);
    while (!this.inside(a, b));
    return a * this.pow2v + b;
  }

  private check(x: number, name: string): void {
    if (typeof x !== "number" || !Number.isInteger(x) || x < 0 || x >= this.length) {
      throw new RangeError(`${name} must be an integer in [0, ${this.length}), got ${describe(x)}`);
    }
  }

  private inside(a: number, b: number): boolean {
    return a < this.nHi || (a === this.nHi && b < this.nLo);
  }

  /** Round i's function of a half, cut to `bits` bits. */
  private f(i: number, x: number, bits: number): number {
    if (bits === 0) return 0;
    const { exports, arena } = kernel();
    const at = arena.fixed;
    exports.philox(x, i, ROUND, 0, this.k0, this.k1, at);
    // A view of our own: reading memory.buffer on every call costs more than the Philox call.
    // Growing wasm memory detaches it (length 0), and resetKernel swaps the memory (the old one
    // stays readable, with stale words): either way it is made again.
    if (words.length === 0 || lastMemory !== exports.memory) refreshWords(exports.memory);
    return words[at >>> 2]! & ((1 << bits) - 1);
  }

  // State (A, B): A has u bits on even rounds' entry, v bits on odd ones (FF1's alternation).
  private forward(a: number, b: number): [number, number] {
    for (let i = 0; i < this.rounds; i++) {
      const m = i % 2 === 0 ? this.u : this.v;
      const c = (a ^ this.f(i, b, m)) >>> 0;
      a = b;
      b = c;
    }
    return [a, b];
  }

  private backward(a: number, b: number): [number, number] {
    for (let i = this.rounds - 1; i >= 0; i--) {
      const m = i % 2 === 0 ? this.u : this.v;
      const prev = (b ^ this.f(i, a, m)) >>> 0;
      b = a;
      a = prev;
    }
    return [a, b];
  }
}
