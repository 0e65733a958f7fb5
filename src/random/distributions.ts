// The distributions the transforms draw from, in float64 with the kernel's logarithms, powers
// and cosines (kmath): for the auto-augment policies, Gamma by torch's sample_gamma (Marsaglia
// and Tsang, normals by Box-Muller on 53-bit uniforms) and Dirichlet by torch._sample_dirichlet,
// its weights normalized, cast to float32 and kept in [FLT_MIN, 1 - 2^-24]; for MixUp and
// CutMix, Beta(alpha, alpha) as torch.distributions.Beta draws it (two gammas), on 32-bit
// uniforms. The two Gamma samplers draw their uniforms differently, so each keeps its own.
import { kmath } from "../kernel/math.js";
import type { Rng } from "./stream.js";

const fr = Math.fround;

/**
 * The draws the policies make, named after torch's: `randint(low, high)` is
 * torch.randint(low, high), `rand()` a float32 in [0, 1) as torch.rand, `dirichlet(alpha, k)`
 * torch._sample_dirichlet of k equal concentrations (float32 weights summing to about 1).
 * Transforms draw from their slot's stream; `drawParams` accepts any other source (tests
 * replay torchvision's own draws through it).
 */
export interface Draws {
  randint(low: number, high: number): number;
  rand(): number;
  dirichlet(alpha: number, k: number): number[];
}

const TWO_PI = 2 * Math.PI;
const THIRD = fr(1 / 3);
const C0331 = fr(0.0331);
const DBL_MIN = 2.2250738585072014e-308;
const FLT_MIN = 1.1754943508222875e-38;
const BELOW_ONE = fr(1 - 2 ** -24);

/** A standard normal variate (Box-Muller on two 53-bit uniforms). */
function standardNormal(rng: Rng): number {
  const u1 = rng.random();
  const u2 = rng.random();
  return Math.sqrt(-2 * kmath.log(1 - u1)) * kmath.cos(TWO_PI * u2);
}

/** A Gamma(alpha, 1) variate by torch's sample_gamma (Marsaglia and Tsang, with the boost for alpha < 1). */
export function sampleGamma(rng: Rng, alpha: number): number {
  let scale = 1;
  let a = alpha;
  if (a < 1) {
    scale *= kmath.pow(1 - rng.random(), 1 / a);
    a += 1;
  }
  const d = a - THIRD;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let y: number;
    do {
      x = standardNormal(rng);
      y = 1 + c * x;
    } while (y <= 0);
    const v = y * y * y;
    const u = 1 - rng.random();
    const xx = x * x;
    if (u < 1 - C0331 * xx * xx) return scale * d * v;
    if (kmath.log(u) < 0.5 * xx + d * (1 - v + kmath.log(v))) return scale * d * v;
  }
}

/** torch._sample_dirichlet of `k` concentrations `alpha`: float32 weights. */
export function sampleDirichlet(rng: Rng, alpha: number, k: number): number[] {
  const g: number[] = [];
  for (let i = 0; i < k; i++) g.push(Math.max(DBL_MIN, sampleGamma(rng, alpha)));
  let sum = 0;
  for (const v of g) sum += v;
  return g.map((v) => Math.min(BELOW_ONE, Math.max(FLT_MIN, fr(v / sum))));
}

/** The draws of a stream. */
export function streamDraws(rng: Rng): Draws {
  return {
    randint: (low, high) => rng.randint(low, high),
    rand: () => (rng.nextU32() >>> 8) / 16777216,
    dirichlet: (alpha, k) => sampleDirichlet(rng, alpha, k),
  };
}

// ---------------------------------------------------------------------------------------
// Beta(alpha, alpha) of MixUp and CutMix

const u01 = (s: Rng): number => (s.nextU32() + 0.5) / 4294967296; // (0, 1)

function normal(s: Rng): number {
  return Math.sqrt(-2 * kmath.log(u01(s))) * kmath.cos(2 * Math.PI * u01(s));
}

/** Marsaglia and Tsang's gamma sampler (the method torch uses), with the kernel's log and pow. */
function gamma(s: Rng, a: number): number {
  if (a < 1) return gamma(s, a + 1) * kmath.pow(u01(s), 1 / a);
  const d = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(s);
    let v = 1 + c * x;
    if (v <= 0) continue;
    v = v * v * v;
    const u = u01(s);
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (kmath.log(u) < 0.5 * x * x + d * (1 - v + kmath.log(v))) return d * v;
  }
}

/** A Beta(alpha, alpha) variate as torch.distributions.Beta draws it (two gammas), in float32 as torch samples. */
export function sampleBeta(s: Rng, alpha: number): number {
  const x = gamma(s, alpha),
    y = gamma(s, alpha);
  return Math.fround(x / (x + y));
}
