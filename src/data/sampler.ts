// Which dataset index sits at each position of an epoch: sequential, shuffled (a keyed
// permutation, O(1) memory) and sharded over ranks like torch's DistributedSampler.
import { describe } from "../image.js";
import { checkCount, checkSeed } from "../random/keys.js";
import { checkLength, KeyedPermutation } from "./permutation.js";

/** The positions of one epoch (of one rank): `at(position)` is a dataset index. */
export interface Sampler {
  readonly length: number;
  at(position: number): number;
}

/** Positions in dataset order. */
export class SequentialSampler implements Sampler {
  readonly length: number;
  constructor(length: number) {
    this.length = checkLength(length);
  }
  at(position: number): number {
    checkPosition(position, this.length);
    return position;
  }
}

/** A shuffle keyed by `(seed, epoch)`: random access, the same for every rank and worker. */
export class ShuffleSampler implements Sampler {
  readonly length: number;
  private readonly perm: KeyedPermutation;
  constructor(length: number, seed: number | bigint, epoch = 0) {
    this.perm = new KeyedPermutation(length, seed, epoch);
    this.length = this.perm.length;
  }
  at(position: number): number {
    return this.perm.at(position);
  }
}

/** How a dataset that does not divide evenly over the ranks is shared. */
export type UnevenShards = "pad" | "drop";

/** Options of {@link DistributedSampler}. */
export interface DistributedSamplerOptions {
  rank: number;
  worldSize: number;
  shuffle?: boolean;
  seed?: number | bigint;
  epoch?: number;
  /**
   * `"pad"` (default, torch's `drop_last=False`): every rank gets `ceil(n / worldSize)` positions,
   * the last ones repeating the epoch's first. `"drop"`: `floor(n / worldSize)`, the epoch's tail
   * left out.
   */
  uneven?: UnevenShards;
}

/**
 * One rank's share of an epoch, as torch's DistributedSampler: rank r takes global positions
 * r, r + worldSize, r + 2 * worldSize, ... of the (shuffled) epoch. Every rank computes its own
 * share without talking to the others; together they are the whole epoch.
 */
export class DistributedSampler implements Sampler {
  readonly length: number;
  readonly rank: number;
  readonly worldSize: number;
  private readonly base: Sampler;

  constructor(length: number, options: DistributedSamplerOptions) {
    const n = checkLength(length);
    const o = options ?? ({} as DistributedSamplerOptions);
    this.worldSize = checkWorldSize(o.worldSize);
    this.rank = checkRank(o.rank, this.worldSize);
    const uneven = o.uneven ?? "pad";
    if (uneven !== "pad" && uneven !== "drop") throw new RangeError(`uneven must be "pad" or "drop", got ${describe(uneven)}`);
    this.base = o.shuffle ? new ShuffleSampler(n, checkSeed(o.seed), checkCount(o.epoch ?? 0, "epoch")) : new SequentialSampler(n);
    this.length = uneven === "drop" ? Math.floor(n / this.worldSize) : Math.ceil(n / this.worldSize);
  }

  at(position: number): number {
    checkPosition(position, this.length);
    const global = this.rank + position * this.worldSize;
    return this.base.at(global % this.base.length);
  }
}

export function checkWorldSize(w: unknown): number {
  if (typeof w !== "number" || !Number.isSafeInteger(w) || w < 1)
    throw new RangeError(`worldSize must be a positive integer, got ${describe(w)}`);
  return w;
}

export function checkRank(r: unknown, worldSize: number): number {
  if (typeof r !== "number" || !Number.isSafeInteger(r) || r < 0 || r >= worldSize) {
    throw new RangeError(`rank must be an integer in [0, ${worldSize}) (worldSize ${worldSize}), got ${describe(r)}`);
  }
  return r;
}

function checkPosition(p: unknown, length: number): void {
  if (typeof p !== "number" || !Number.isInteger(p) || p < 0 || p >= length) {
    throw new RangeError(`position must be an integer in [0, ${length}), got ${describe(p)}`);
  }
}
