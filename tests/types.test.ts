// The type checker as a test: tests/ and bench/ compile under the library's strict settings
// (so they cannot rot), and tests/types/api.ts proves the public types follow the pipeline:
// its `equal<A, B>(true)` lines fail to compile on a wrong type and its `@ts-expect-error`
// lines on misuse that stops being refused.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { OUTPUT_KINDS } from "../src/transforms/output.js";
import { registeredTypes } from "../src/index.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

test("tsc -p tsconfig.check.json: src, tests (with the type tests) and bench compile", () => {
  const r = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.check.json"], { cwd: ROOT, encoding: "utf8" });
  assert.is(r.status, 0, `type errors:\n${r.stdout}${r.stderr}`);
});

test("every registered transform has an output kind, so apply's type knows what it returns", () => {
  assert.equal(Object.keys(OUTPUT_KINDS).sort(), registeredTypes().sort());
});

test.run();
