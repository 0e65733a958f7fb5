// A transform slot's randomness (Context) and the one place a call's { seed, epoch, index } or
// { generator } becomes contexts: `apply` (one sample) and `applyBatch` (n samples) resolve
// through the same rules, so the keyed draws of sample i are the same on every path.
import { describe } from "../image.js";
import { foldIn, sampleKey, checkSeed, checkCount, TAG, type Key } from "../random/keys.js";
import { Stream } from "../random/stream.js";
import type { Generator } from "../random/generator.js";
import { DEFAULT_SEMANTICS, type Semantics } from "../functional/semantics.js";

/**
 * The randomness of one transform slot: its key, a lazily made stream, and its children's
 * slots; plus the semantics the call runs with (the auto-augment policies draw from
 * torchvision v1's or v2's magnitude tables accordingly).
 */
export class Context {
  private stream?: Stream;
  constructor(
    readonly key: Key,
    readonly semantics: Semantics = DEFAULT_SEMANTICS,
  ) {}
  /** This slot's draws. */
  get rng(): Stream {
    return (this.stream ??= new Stream(this.key));
  }
  /** The slot of child `i`: a key folded from this one, stable whatever else the pipeline holds. */
  child(i: number): Context {
    return new Context(foldIn(this.key, i, TAG.slot), this.semantics);
  }
  /** This slot under another semantics (for a Compose that sets its own; it draws nothing itself). */
  withSemantics(semantics: Semantics): Context {
    return semantics === this.semantics ? this : new Context(this.key, semantics);
  }
}

/** What the resolver needs of a pipeline: its name (for errors), whether it draws, its semantics. */
export interface ContextOwner {
  readonly type: string;
  readonly random: boolean;
  readonly semantics: Semantics;
}

/** A call's randomness as the caller gave it (unchecked). */
export interface Seeding {
  seed?: unknown;
  epoch?: unknown;
  generator?: unknown;
}

/** How the call names its indices in errors: apply's `index`, applyBatch's `indices`. */
export interface IndexNaming {
  /** The option's name, e.g. "index" or "indices". */
  option: string;
  /** The name of index i, e.g. "index" or "indices[3]". */
  at(i: number): string;
  /** The hint every randomness error ends with. */
  how: string;
}

/**
 * The contexts of `n` samples: keyed by (seed, epoch, indices[i] or i), or the generator's next
 * n keys, or key [0, 0] for a pipeline that draws nothing. `indices` is undefined when the
 * caller gave none. Refuses a seed with a generator, indices or epoch without a seed (or with
 * a generator), and no randomness for a pipeline that draws.
 */
export function resolveContexts(
  owner: ContextOwner,
  s: Seeding,
  n: number,
  indices: readonly unknown[] | undefined,
  naming: IndexNaming,
): Context[] {
  const { how } = naming;
  if (s.seed !== undefined && s.generator !== undefined) throw new TypeError(`pass either seed or generator, not both; ${how}`);
  if (s.generator !== undefined) {
    const generator = s.generator as Generator;
    if (typeof (generator as Partial<Generator>).nextKey !== "function")
      throw new TypeError(`generator must be a lockstep Generator, got ${describe(generator)}`);
    if (indices !== undefined || s.epoch !== undefined)
      throw new TypeError(`${naming.option} and epoch go with a seed, not a generator; ${how}`);
    return Array.from({ length: n }, () => new Context(generator.nextKey(), owner.semantics));
  }
  if (indices !== undefined && (!Array.isArray(indices) || indices.length !== n)) {
    throw new RangeError(`${naming.option} must be an array with one index per image (${n}), got ${describe(indices)}`);
  }
  if (s.seed !== undefined) {
    const seed = checkSeed(s.seed);
    const epoch = checkCount(s.epoch ?? 0, "epoch");
    return Array.from(
      { length: n },
      (_, i) => new Context(sampleKey(seed, epoch, checkCount(indices ? indices[i] : i, naming.at(i))), owner.semantics),
    );
  }
  if (indices !== undefined || s.epoch !== undefined) throw new TypeError(`${naming.option} and epoch need a seed; ${how}`);
  if (owner.random) throw new TypeError(`${owner.type} draws random parameters and no randomness was given: ${how}`);
  return Array.from({ length: n }, () => new Context([0, 0], owner.semantics));
}
