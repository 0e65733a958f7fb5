// The lookup tables of the image-independent colour ops, for the GPU's map shader
// (wgsl/map.wgsl.ts; src/gpu/ops/color.ts registers the ops). Each table is written by the same kernel export, called with the same
// arguments, as src/functional/color.ts's throughLut: the GPU applies the kernel's own bytes
// and never computes a colour value itself.
import { kernel } from "../kernel/instance.js";
import type { KernelExports } from "../kernel/exports.js";
import { checkBits, checkFactor, checkThreshold, MAX_FACTOR } from "../functional/color.js";
import { checkFinite } from "../functional/args.js";
import { checkKernelSemantics, type KernelSemantics } from "../functional/semantics.js";

/** Runs `fill(x, at)`, which writes one 256-byte table at `at`, and returns a copy of it. */
function table(fill: (x: KernelExports, at: number) => void): Uint8Array {
  const { exports, arena } = kernel();
  arena.reset();
  const at = arena.alloc(256);
  fill(exports, at);
  return arena.u8().slice(at, at + 256);
}

/** adjustBrightness's table: `colorLutBlend(r, 1 - r, 0)`, as src/functional/color.ts. */
export function brightnessLut(factor: number): Uint8Array {
  const r = checkFactor(factor, "factor");
  return table((x, lut) => x.colorLutBlend(r, 1 - r, 0, lut));
}

/** adjustGamma's table under `semantics` (the functional op; no registered pipeline op uses it yet). */
export function gammaLut(gamma: number, gain = 1, semantics: KernelSemantics = "pil"): Uint8Array {
  const g = checkFactor(gamma, "gamma");
  const k = checkFinite(gain, "gain");
  if (Math.abs(k) > MAX_FACTOR) throw new RangeError(`gain must be a finite number in [-${MAX_FACTOR}, ${MAX_FACTOR}], got ${k}`);
  const sem = checkKernelSemantics(semantics);
  return table((x, lut) =>
    sem === "pil" ? x.pilLutGamma(g, k, lut) : sem === "tensor" ? x.tvLutGamma(g, k, lut) : x.colorLutGamma(g, k, lut),
  );
}

export function invertLut(): Uint8Array {
  return table((x, lut) => x.colorLutInvert(lut));
}

export function posterizeLut(bits: number): Uint8Array {
  const b = checkBits(bits);
  return table((x, lut) => x.colorLutPosterize(b, lut));
}

export function solarizeLut(threshold: number): Uint8Array {
  const t = checkThreshold(threshold);
  return table((x, lut) => x.colorLutSolarize(t, lut));
}
