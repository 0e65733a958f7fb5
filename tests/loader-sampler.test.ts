// The keyed permutation behind shuffling: a bijection for any size (odd ones too, up to 2^53),
// every permutation of a small set about equally likely over seeds (chi-square), different per
// epoch; and the distributed sampler's shards that together make the whole epoch.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ready } from "../src/index.js";
import { KeyedPermutation, DistributedSampler, SequentialSampler, ShuffleSampler, MAX_LENGTH } from "../src/data/index.js";

await ready();

/** Chi-square critical value at alpha = 0.001 (Wilson-Hilferty). */
function critical(df: number): number {
  const z = 3.0902;
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}

function chiSquare(counts: number[], expected: number): number {
  return counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
}

function permutationCounts(n: number, draws: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let s = 0; s < draws; s++) {
    // Vary both seed and epoch: both feed the key.
    const p = new KeyedPermutation(n, 1000 + (s >> 1), s & 1);
    const key = Array.from({ length: n }, (_, i) => p.at(i)).join("");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

test("all 24 permutations of 4 elements are about equally likely over seeds (chi-square)", () => {
  const draws = 24000;
  const counts = permutationCounts(4, draws);
  assert.is(counts.size, 24);
  const chi = chiSquare([...counts.values()], draws / 24);
  assert.ok(chi < critical(23), `chi-square ${chi.toFixed(1)} >= ${critical(23).toFixed(1)}`);
});

test("all 6 permutations of 3 elements (cycle walking) and all 120 of 5 are about equally likely", () => {
  const c3 = permutationCounts(3, 6000);
  assert.is(c3.size, 6);
  const chi3 = chiSquare([...c3.values()], 1000);
  assert.ok(chi3 < critical(5), `n=3: chi-square ${chi3.toFixed(1)}`);
  const c5 = permutationCounts(5, 12000);
  assert.is(c5.size, 120);
  const chi5 = chiSquare([...c5.values()], 100);
  assert.ok(chi5 < critical(119), `n=5: chi-square ${chi5.toFixed(1)} >= ${critical(119).toFixed(1)}`);
});

test("the chi-square test itself rejects a biased shuffle", () => {
  // A shuffle that never moves element 0 first: 6 of the 24 permutations never occur.
  const counts = new Array(24).fill(0).map((_, i) => (i < 6 ? 0 : 24000 / 18));
  assert.ok(chiSquare(counts, 1000) > critical(23));
});

test("a bijection on odd and awkward sizes, with positionOf as its inverse", () => {
  for (const n of [1, 2, 3, 5, 7, 9, 17, 31, 33, 63, 65, 127, 129, 999, 1001, 4097]) {
    const p = new KeyedPermutation(n, 42, 3);
    const seen = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const x = p.at(i);
      assert.ok(Number.isInteger(x) && x >= 0 && x < n, `n=${n}: at(${i}) = ${x}`);
      assert.is(seen[x], 0, `n=${n}: ${x} twice`);
      seen[x] = 1;
      assert.is(p.positionOf(x), i);
    }
  }
});

test("sizes up to 2^53: in range, invertible, distinct", () => {
  for (const n of [MAX_LENGTH, MAX_LENGTH - 1, 2 ** 40 + 3, 2 ** 32 + 1, 2 ** 31 - 1]) {
    const p = new KeyedPermutation(n, 7n, 0);
    const seen = new Set<number>();
    for (const pos of [0, 1, 2, n - 1, n - 2, Math.floor(n / 2), Math.floor(n / 3) + 5]) {
      const x = p.at(pos);
      assert.ok(Number.isSafeInteger(x) && x >= 0 && x < n, `n=${n}: at(${pos}) = ${x}`);
      assert.is(p.positionOf(x), pos, `n=${n}: positionOf(at(${pos}))`);
      seen.add(x);
    }
    assert.is(seen.size, 7);
  }
  assert.throws(() => new KeyedPermutation(MAX_LENGTH + 2, 0), /length must be an integer in \[0, 2\^53\]/);
  assert.throws(() => new KeyedPermutation(10, 0).at(10), /position must be an integer in \[0, 10\)/);
  assert.throws(() => new KeyedPermutation(10, -1), /seed must be a non-negative integer/);
});

test("the shuffle is a pure function of (seed, epoch): same key same order, other epochs and seeds differ", () => {
  const order = (seed: number, epoch: number) => Array.from({ length: 50 }, (_, i) => new ShuffleSampler(50, seed, epoch).at(i));
  assert.equal(order(1, 0), order(1, 0));
  assert.not.equal(order(1, 0), order(1, 1));
  assert.not.equal(order(1, 0), order(2, 0));
  // Large keys: 2^60 + 1 is not 1.
  assert.not.equal(
    Array.from({ length: 50 }, (_, i) => new ShuffleSampler(50, (1n << 60n) + 1n).at(i)),
    order(1, 0),
  );
});

test("distributed shards: pad gives ceil(n/W) each, drop floor(n/W); together they are the epoch", () => {
  for (const shuffle of [false, true]) {
    for (const n of [10, 11, 12, 1]) {
      const single = new DistributedSampler(n, { rank: 0, worldSize: 1, shuffle, seed: 9, epoch: 2 });
      const epoch = Array.from({ length: n }, (_, i) => single.at(i));
      for (const worldSize of [1, 2, 3]) {
        for (const uneven of ["pad", "drop"] as const) {
          const ranks = Array.from(
            { length: worldSize },
            (_, rank) => new DistributedSampler(n, { rank, worldSize, shuffle, seed: 9, epoch: 2, uneven }),
          );
          const per = uneven === "pad" ? Math.ceil(n / worldSize) : Math.floor(n / worldSize);
          for (const r of ranks) assert.is(r.length, per);
          // Interleave the ranks back: global position g is rank g % W, position floor(g / W).
          const merged: number[] = [];
          for (let g = 0; g < per * worldSize; g++) merged.push(ranks[g % worldSize]!.at(Math.floor(g / worldSize)));
          if (uneven === "drop") assert.equal(merged, epoch.slice(0, per * worldSize), `n=${n} W=${worldSize} drop`);
          else assert.equal(merged, [...epoch, ...epoch, ...epoch].slice(0, per * worldSize), `n=${n} W=${worldSize} pad`);
          if (uneven === "pad") assert.equal(new Set(merged).size, n);
        }
      }
    }
  }
});

test("samplers validate their arguments", () => {
  assert.throws(() => new DistributedSampler(10, { rank: 2, worldSize: 2 }), /rank must be an integer in \[0, 2\)/);
  assert.throws(() => new DistributedSampler(10, { rank: 0, worldSize: 0 }), /worldSize must be a positive integer/);
  assert.throws(() => new DistributedSampler(10, { rank: 0, worldSize: 1, uneven: "x" as "pad" }), /uneven must be "pad" or "drop"/);
  assert.throws(() => new DistributedSampler(10, { rank: 0, worldSize: 1, shuffle: true }), /seed must be/);
  assert.throws(() => new SequentialSampler(1.5), /length must be an integer/);
  assert.throws(() => new SequentialSampler(3).at(3), /position must be an integer in \[0, 3\)/);
});

test.run();
