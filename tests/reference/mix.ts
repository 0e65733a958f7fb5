/**
 * Scalar twin of AugMix's mixing (assembly/mix.ts), torchvision 0.28 AugMix.forward on
 * uint8 input: acc = f32(m0 * x), then acc = f32(acc + f32(w_i * chain_i)) per chain in
 * order, then min(255, trunc(acc)) as `.to(torch.uint8)`. binary32 arithmetic is
 * Math.fround of the float64 result: exact for * and + of two f32 values (float64 has more
 * than 2 * 24 + 2 bits, so the double rounding is harmless). Slow on purpose.
 */
const f = Math.fround;

/** The f32 accumulator after mixing `src` (weight m0) with each `chains[i]` (weight weights[i]). */
export function mixAcc(src: Uint8Array, m0: number, chains: readonly Uint8Array[], weights: readonly number[]): Float32Array {
  const acc = new Float32Array(src.length);
  const a = f(m0);
  for (let k = 0; k < src.length; k++) {
    let v = f(a * src[k]!);
    for (let i = 0; i < chains.length; i++) v = f(v + f(f(weights[i]!) * chains[i]![k]!));
    acc[k] = v;
  }
  return acc;
}

/** The mixed bytes: min(255, trunc(acc)). */
export function mix(src: Uint8Array, m0: number, chains: readonly Uint8Array[], weights: readonly number[]): Uint8Array {
  const acc = mixAcc(src, m0, chains, weights);
  const out = new Uint8Array(src.length);
  for (let k = 0; k < acc.length; k++) out[k] = Math.min(255, Math.trunc(acc[k]!));
  return out;
}
