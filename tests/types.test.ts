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
import { readFileSync } from "node:fs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

test("tsc -p tsconfig.check.json: src, tests (with the type tests) and bench compile", () => {
  const r = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.check.json"], { cwd: ROOT, encoding: "utf8" });
  assert.is(r.status, 0, `type errors:\n${r.stdout}${r.stderr}`);
});

test("every registered transform has an output kind, so apply's type knows what it returns", () => {
  assert.equal(Object.keys(OUTPUT_KINDS).sort(), registeredTypes().sort());
});

/** The rule EffectOf applies at the type level, on a pipeline's JSON: "same", "tensor", "image" or "unknown". */
function kindOf(j: { type: string; transforms?: { type: string }[] }): string {
  const children = (j.transforms ?? []).map(kindOf);
  const fold = (ks: string[]) => ks.reduce((a, k) => (k === "same" ? a : k), "same");
  switch (j.type) {
    case "Compose":
      return fold(children);
    case "RandomApply":
    case "RandomOrder":
      return fold(children) === "same" ? "same" : "unknown";
    case "RandomChoice":
      return children.every((k) => k === children[0]) ? children[0]! : "unknown";
    default:
      return (OUTPUT_KINDS as Record<string, string>)[j.type] ?? "unknown";
  }
}

test("OUTPUT_KINDS agrees with what every conformance pipeline really outputs for an image", () => {
  // The committed vectors record each case's output kind ("image 40x40x3", "tensor 3x16x16"),
  // computed by the transforms themselves: the table must not claim otherwise.
  const v = JSON.parse(readFileSync(new URL("./conformance/vectors.json", import.meta.url), "utf8")) as {
    pipelines: Record<string, { name: string; json: { type: string } }>;
    cases: { pipeline: number; out?: string }[];
    targetCases: { pipeline: number; out?: string }[];
  };
  const seen = new Set<string>();
  let checked = 0;
  for (const c of [...v.cases, ...v.targetCases]) {
    if (c.out === undefined) continue; // a refused input
    const p = v.pipelines[String(c.pipeline)]!;
    const kind = kindOf(p.json);
    if (kind === "unknown") continue;
    const want = kind === "same" ? "image" : kind;
    assert.is(c.out.split(" ")[0], want, `${p.name}: typed as ${kind}, outputs ${c.out}`);
    checked++;
    JSON.stringify(p.json).replace(/"type":"(\w+)"/g, (_, t: string) => (seen.add(t), ""));
  }
  assert.ok(checked > 1000, `only ${checked} cases checked`);
  // Every kind-known transform took part in some checked case.
  const known = Object.entries(OUTPUT_KINDS)
    .filter(([, k]) => k !== "unknown")
    .map(([t]) => t);
  assert.equal(
    known.filter((t) => !seen.has(t)),
    [],
  );
});

test.run();
