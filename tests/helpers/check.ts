// Shared test helpers: a seeded PRNG for property tests, and the bad-input assertion.
import { test } from "uvu";
import * as assert from "uvu/assert";

/** xorshift32, seeded: reproducible property cases (the test's own, independent of lockstep's RNG). */
export function rng(seed: number) {
  let s = seed >>> 0 || 1;
  const u32 = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  const int = (lo: number, hi: number) => lo + (u32() % (hi - lo + 1)); // inclusive; bias irrelevant here
  const pick = <T,>(a: readonly T[]): T => a[u32() % a.length]!;
  const chance = (p: number) => u32() / 4294967296 < p;
  const float = (lo: number, hi: number) => lo + (u32() / 4294967296) * (hi - lo);
  return { u32, int, pick, chance, float };
}

/** The generator {@link rng} returns. */
export type Rng = ReturnType<typeof rng>;

/** A uvu test running `body` n times on a generator seeded from the test's name. */
export function property(name: string, n: number, body: (r: Rng) => void): void {
  test(name, () => {
    let h = 0x5eed1234;
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x9e3779b1) >>> 0;
    const r = rng(h);
    for (let i = 0; i < n; i++) body(r);
  });
}

/** Asserts fn throws `type` with a message matching `re`, and that it is not a wasm trap. */
export function rejects(fn: () => unknown, type: new (...args: never[]) => Error, re: RegExp): void {
  try {
    fn();
  } catch (e) {
    assert.instance(e, type, `expected ${type.name}, got ${(e as Error).constructor.name}: ${(e as Error).message}`);
    assert.not.instance(e, WebAssembly.RuntimeError);
    assert.match((e as Error).message, re);
    return;
  }
  assert.unreachable(`expected ${type.name} matching ${re}`);
}

/** Two-sample Kolmogorov-Smirnov statistic. */
export function ks(a: number[], b: number[]): number {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0, j = 0, d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i]! <= v) i++;
    while (j < y.length && y[j]! <= v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

/** The two-sample KS critical value at alpha = 0.001 for samples of n and m. */
export const critical = (n: number, m: number): number => 1.949 * Math.sqrt((n + m) / (n * m));
