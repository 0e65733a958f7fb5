/**
 * lockstep/extend: what custom transforms and pixel ops are made of. `defineOp` registers an op
 * (its meta, argument check and kernel), `Transform` / `Deterministic` are the classes to extend,
 * `Context` is a transform slot's randomness, and `kmath` the kernel's exactly specified math
 * (use it, never `Math.*`, for anything that reaches an output).
 */
export { defineOp, type Op, type OpSpec, type OpArgs } from "../ir/ops.js";
export { Transform, Deterministic, Context, type Json, type TransformJSON } from "../transforms/base.js";
export { kmath } from "../kernel/math.js";
