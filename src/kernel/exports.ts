// The kernel's surface as the host sees it: its exports' types and its constants, both generated
// at build from build/lockstep.wasm (src/kernel/bindings.ts, scripts/kernel-bindings.mjs), and
// the names the host gives to a few of those constants.
import { KERNEL_CONSTANTS as C } from "./bindings.js";

export { KERNEL_CONSTANTS, type KernelExports } from "./bindings.js";

/** Border modes of `extract` (assembly/geometry.ts). */
export const MODE = { constant: C.MODE_CONSTANT, edge: C.MODE_EDGE, reflect: C.MODE_REFLECT, symmetric: C.MODE_SYMMETRIC } as const;
/** Filters of `resample` (assembly/resample.ts). */
export const FILTER = { nearest: C.FILTER_NEAREST, bilinear: C.FILTER_BILINEAR, bicubic: C.FILTER_BICUBIC } as const;
/** Flags of `resample`: torch's uint8 resize and v2's scaled ToDtype are the "tensor" semantics. */
export const FLAG = {
  hflip: C.FLAG_HFLIP,
  vflip: C.FLAG_VFLIP,
  tensor: C.FLAG_TENSOR,
  torch: C.FLAG_TORCH,
  scaleMul: C.FLAG_SCALE_MUL,
} as const;
