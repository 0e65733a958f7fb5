// Loading the kernel: ready() is idempotent; init({ module }) takes a precompiled module;
// using an op before loading is a clear error.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ready, F } from "../src/index.js";
import { hashOf, synthetic } from "./helpers/recipes.js";

test("ready() is idempotent", async () => {
  await Promise.all([ready(), ready()]);
  await ready();
  assert.is(F.hflip(synthetic(3, 2)).width, 3);
});

test("before loading, ops say to await ready(); init({ module }) with a precompiled module gives the same bytes", async () => {
  await ready();
  const script = fileURLToPath(new URL("./helpers/init-module.ts", import.meta.url));
  const [before, hash] = execFileSync(process.execPath, ["--import", "tsx", script], { encoding: "utf8" }).trim().split("\n");
  assert.match(before!, /the kernel is not loaded yet; `await ready\(\)`/);
  assert.is(hash, hashOf(F.resize(synthetic(40, 30), [17, 23], { interpolation: "bicubic" })));
});

test.run();
