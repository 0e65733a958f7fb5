// Determinism rule 2 (DESIGN.md): no engine-dependent Math on values that reach an output.
// Host code must call kmath (compiled into the wasm) instead.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const src = fileURLToPath(new URL("../src", import.meta.url));
const BANNED =
  /(?<![\w$.])Math\.(sin|cos|tan|asin|acos|atan|atan2|exp|expm1|log|log1p|log2|log10|pow|cbrt|hypot|sinh|cosh|tanh|random)\s*\(/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

test("src/ never calls engine-dependent Math functions or Math.random", () => {
  const hits: string[] = [];
  for (const f of files(src)) {
    readFileSync(f, "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (BANNED.test(line) && !line.trim().startsWith("//") && !line.trim().startsWith("*")) hits.push(`${f}:${i + 1}: ${line.trim()}`);
      });
  }
  assert.equal(hits, []);
});

test("the lint itself catches a banned call", () => {
  assert.ok(BANNED.test("const a = Math.exp(x);"));
  assert.not.ok(BANNED.test("const a = Math.sqrt(x) + Math.floor(y);"));
  assert.not.ok(BANNED.test("const a = kmath.exp(x);"));
});

test("the kernel is built without relaxed SIMD", () => {
  const cfg = readFileSync(new URL("../asconfig.json", import.meta.url), "utf8");
  assert.not.match(cfg, /relaxed/);
});

test.run();
