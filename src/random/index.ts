/**
 * lockstep/random: the randomness under every draw. Philox 4x32-10 (Random123), the keys a
 * seed, an epoch, an index and a transform's slot fold into, and the streams drawn from them.
 * The root export holds what pipelines take (`Generator`, alias `RandomGenerator`, and `Stream`);
 * this entry adds the raw generator and the key derivation, for reproducing lockstep's draws
 * elsewhere.
 */
export { philox4x32 } from "./philox.js";
export { Generator, Generator as RandomGenerator, type GeneratorState } from "./generator.js";
export { Stream, type Rng } from "./stream.js";
export { seedKey, foldIn, sampleKey, type Key } from "./keys.js";
