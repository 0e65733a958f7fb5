// `npm run fuzz`: the fuzz suite's long run (>= 100,000 inputs by default). Every target runs
// `FUZZ_RUNS` cases (scaled per target by its cost) from `FUZZ_SEED` (default: a fresh seed,
// printed, so a failure can be replayed; FUZZ_ONLY=<regex> runs the targets whose names match). Exits 1 with fast-check's shrunk counterexample on the
// first wrong escape; otherwise prints the count of inputs and "0 wrong escapes".
import { ready } from "../../src/index.js";
import { healthCases, unhealthy } from "../helpers/health.js";
import { fuzz } from "./property.js";
import { applyOptions, constructors, decodeBytes, functional, json, loaderOptions, pipelines, replay, type Target } from "./targets.js";
import { rmSync } from "node:fs";
import { cli, scratch } from "./cli.js";
import { decodeOptions, jpegQuality, samples, semanticsOption, targetHelpers } from "./surface.js";

await ready();
const scale = Number(process.env.FUZZ_RUNS ?? 2000);
const seed = Number(process.env.FUZZ_SEED ?? (Date.now() % 2 ** 31));
const only = process.env.FUZZ_ONLY ? new RegExp(process.env.FUZZ_ONLY) : null;
const full: [Target, number][] = [
  ...functional.map((t): [Target, number] => [t, scale]),
  [pipelines, scale * 5],
  [json, scale * 2],
  [constructors, scale * 5],
  [replay, scale * 3],
  [applyOptions, scale * 2],
  [decodeBytes, Math.ceil(scale / 2)],
  [loaderOptions, scale],
  [cli, Math.ceil(scale / 20)],
  [samples, scale * 3],
  [targetHelpers, scale * 2],
  [decodeOptions, scale],
  [jpegQuality, scale],
  [semanticsOption, scale * 2],
];
// FUZZ_ONLY=<regex>: only the targets whose names match (to replay one).
const plan = only ? full.filter(([t]) => only.test(t.name)) : full;
const total = plan.reduce((a, [, n]) => a + n, 0);
console.log(`fuzz: seed ${seed}, ${total} inputs over ${plan.length} targets`);
const health = healthCases(16);
const start = Date.now();
let done = 0;
for (const [t, runs] of plan) {
  const t0 = Date.now();
  try {
    done += await fuzz(t, runs, seed);
  } catch (e) {
    console.error(`\nWRONG ESCAPE in ${t.name} (replay with FUZZ_SEED=${seed}):\n${(e as Error).message}`);
    process.exit(1);
  }
  const sick = unhealthy(health);
  if (sick.length) {
    console.error(`after ${t.name} the kernel gives other bytes: ${sick.join("; ")}`);
    process.exit(1);
  }
  console.log(`  ${t.name}: ${runs} inputs in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
rmSync(scratch, { recursive: true, force: true });
console.log(`fuzz: ${done} inputs in ${((Date.now() - start) / 1000).toFixed(0)} s, 0 wrong escapes, kernel healthy (seed ${seed})`);
