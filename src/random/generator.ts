import { checkSeed, foldIn, seedKey, TAG, type Key } from "./keys.js";
import { Stream, type Rng } from "./stream.js";

/** A Generator's position, plain JSON: `new Generator(seed)` then `setState(state)` resumes it. */
export interface GeneratorState {
  seed: string;
  calls: number;
}

/**
 * Sequential randomness, like `torch.Generator`: it advances with each use and replays
 * from its seed. Each pipeline call takes the next key from it (`nextKey()`); direct draws
 * (`random()`, `randint()`, ...) come from a stream of their own.
 */
export class Generator implements Rng {
  private seed: bigint;
  private calls = 0;
  private stream: Stream;

  constructor(seed: number | bigint) {
    this.seed = BigInt(checkSeed(seed));
    this.stream = new Stream(foldIn(seedKey(this.seed), 0, TAG.generator));
  }

  /** Resets to the start of `seed`'s sequence. */
  manualSeed(seed: number | bigint): this {
    this.seed = BigInt(checkSeed(seed));
    this.calls = 0;
    this.stream = new Stream(foldIn(seedKey(this.seed), 0, TAG.generator));
    return this;
  }

  /** The seed this generator started from. */
  initialSeed(): bigint {
    return this.seed;
  }

  /** A fresh key for one pipeline call; the generator advances by one call. */
  nextKey(): Key {
    this.calls++;
    return foldIn(seedKey(this.seed), this.calls, TAG.generator);
  }

  /** Position, as JSON. Direct draws are not part of it: replay them from the seed. */
  getState(): GeneratorState {
    return { seed: this.seed.toString(), calls: this.calls };
  }

  /** Restores a position from {@link getState}. */
  setState(state: GeneratorState): this {
    this.manualSeed(BigInt(state.seed));
    if (!Number.isSafeInteger(state.calls) || state.calls < 0)
      throw new RangeError(`state.calls must be a non-negative integer, got ${state.calls}`);
    this.calls = state.calls;
    return this;
  }

  nextU32(): number {
    return this.stream.nextU32();
  }
  random(): number {
    return this.stream.random();
  }
  uniform(low: number, high: number): number {
    return this.stream.uniform(low, high);
  }
  randint(low: number, high: number): number {
    return this.stream.randint(low, high);
  }
}
