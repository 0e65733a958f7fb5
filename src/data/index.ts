/** The deterministic data loader: datasets, samplers and the Loader. */
export * from "./public.js";
// The permutation behind the samplers is machinery: only here, not in `lockstep`.
export { KeyedPermutation, MAX_LENGTH } from "./permutation.js";
