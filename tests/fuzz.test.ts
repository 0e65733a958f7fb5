// Property-based fuzzing of the public surface (fast-check, a fixed seed and a bounded count;
// `npm run fuzz` runs the long version): F.*, every registered constructor, mutated pipelines,
// hostile JSON, mutated replay records, apply options, decode, Loader options, the command
// line, and samples with hostile targets, the target helpers, decode's options, JPEG quality and
// the semantics option (tests/fuzz/surface.ts). See tests/fuzz/property.ts for what every call must satisfy.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ready, resetKernel } from "../src/index.js";
import { healthCases, unhealthy } from "./helpers/health.js";
import { fuzz } from "./fuzz/property.js";
import {
  applyOptions,
  constructors,
  decodeBytes,
  functional,
  json,
  loaderOptions,
  pipelines,
  replay,
  type Target,
} from "./fuzz/targets.js";
import { rmSync } from "node:fs";
import { cli, scratch } from "./fuzz/cli.js";
import { decodeOptions, jpegQuality, samples, semanticsOption, targetHelpers } from "./fuzz/surface.js";

await ready();
const SEED = 0x10c5; // fixed: the same cases on every run
const health = healthCases(12);

const plan: [Target, number][] = [
  ...functional.map((t): [Target, number] => [t, 60]),
  [pipelines, 250],
  [json, 150],
  [constructors, 250],
  [replay, 150],
  [applyOptions, 150],
  [decodeBytes, 40],
  [loaderOptions, 80],
  [cli, 20],
  [samples, 120],
  [targetHelpers, 100],
  [decodeOptions, 60],
  [jpegQuality, 60],
  [semanticsOption, 100],
];

// Other test files run first in this process (uvu runs every file's tests after importing them
// all): start from a fresh kernel, so the memory bound measures these calls, not theirs.
test.before(() => resetKernel());

for (const [t, runs] of plan) {
  test(`fuzz: ${t.name} (${runs} cases)`, async () => {
    const n = await fuzz(t, runs, SEED);
    assert.is(n, runs);
    assert.equal(unhealthy(health), [], "the kernel still gives the committed conformance bytes");
  });
}

test.after(() => rmSync(scratch, { recursive: true, force: true }));
test.run();
