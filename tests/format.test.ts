// Formatting: src/, tests/*.ts, scripts/ and bench/*.ts are as Biome prints them (biome.json:
// formatter only, 140 columns, double quotes, semicolons, trailing commas). A failure names
// the files; `npx biome format --write <file>` fixes one.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const BIOME = join(ROOT, "node_modules/.bin/biome");
const top = (dir: string) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => `${dir}/${f}`);
const PATHS = ["src", "scripts", ...top("tests"), ...top("bench")];

const biome = (args: string[], input?: string) => spawnSync(BIOME, args, { cwd: ROOT, input, encoding: "utf8" });

test("biome runs with the project's style (quotes, semicolons, indent, trailing commas)", () => {
  // A signature over 140 columns wraps one parameter a line with a trailing comma; a 139-column one stays.
  const long = `function f(${["a", "b", "c", "d", "e", "g", "h", "i", "j", "k", "l", "m"].map((p) => `${p}${p}${p}: number`).join(", ")}, nn: string) {}`;
  const short = `const t = [${"1, ".repeat(40)}2222];`;
  const r = biome(["format", "--stdin-file-path=probe.ts"], `const s = 'x'\n${long}\n${short}\nconst o = {a:1}\n`);
  assert.is(r.status, 0, r.stderr);
  assert.ok(long.length > 140 && short.length <= 140, `probe lengths ${long.length}, ${short.length}`);
  const params = ["a", "b", "c", "d", "e", "g", "h", "i", "j", "k", "l", "m"].map((p) => `  ${p}${p}${p}: number,\n`).join("");
  assert.is(r.stdout, `const s = "x";\nfunction f(\n${params}  nn: string,\n) {}\n${short}\nconst o = { a: 1 };\n`);
});

test("src/, tests/*.ts, scripts/ and bench/*.ts are formatted", () => {
  const r = biome(["format", "--max-diagnostics=none", ...PATHS]);
  const files = [...`${r.stdout}\n${r.stderr}`.matchAll(/^(\S+) format\b/gm)].map((m) => m[1]!);
  assert.equal(files, [], `not formatted (\`npx biome format --write <file>\` fixes one):\n  ${files.join("\n  ")}`);
  assert.is(r.status, 0, `biome format failed:\n${r.stdout}\n${r.stderr}`);
  assert.match(`${r.stdout}${r.stderr}`, /Checked \d+ files?/, "biome checked no files");
});

test.run();
