// Regression tests for the command line's defects (issue 13): verify reads the output files,
// confines every manifest path to the manifest's folder (no absolute paths, no `..`, regular
// files only); augment refuses a non-empty --out without --overwrite and never reads its own
// outputs back as inputs.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Compose, RandomResizedCrop, RandomHorizontalFlip, ready } from "../src/index.js";
import { augment, verify } from "../src/cli/augment.js";

await ready();
const samples = fileURLToPath(new URL("../samples/", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "lockstep-cli-robust-"));
const inputs = [join(samples, "chelsea.png"), join(samples, "rocket.jpg")];
const pipeline = () => new Compose([new RandomResizedCrop(24), new RandomHorizontalFlip()]);
const run = (out: string, more: Partial<Parameters<typeof augment>[0]> = {}) =>
  augment({ inputs, pipeline: pipeline(), seed: 2, epochs: 2, out, version: "test", ...more });
const entries = (manifest: string) =>
  readFileSync(manifest, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** A copy of `manifest` with entry `i` (1-based line after the header) changed by `edit`. */
function tamper(manifest: string, i: number, edit: (e: Record<string, unknown>) => void): string {
  const lines = entries(manifest);
  edit(lines[i]!);
  const path = join(manifest, "..", `tampered-${i}-${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(path, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  return path;
}

test("defect 6: verify reads the output files: a replaced or deleted output is a mismatch", async () => {
  const manifest = await run(join(dir, "a"));
  assert.equal((await verify(manifest)).mismatches, []);
  const [, first, second, third] = entries(manifest) as { output: string }[];
  // Replace one output with another (valid) output, delete a second.
  cpSync(join(dir, "a", second!.output), join(dir, "a", first!.output));
  unlinkSync(join(dir, "a", third!.output));
  const r = await verify(manifest);
  assert.is(r.total, 4);
  assert.is(r.matched, 2);
  assert.match(r.mismatches[0]!.reason, /output file .* holds other values/);
  assert.match(r.mismatches[1]!.reason, /output: .* does not exist/);
});

test("defect 6: manifest paths are confined to its folder: no `..`, no absolute paths, no devices or symlinks", async () => {
  const manifest = await run(join(dir, "b"));
  symlinkSync("/etc/hostname", join(dir, "b", "link.png"));
  const hostile: [string, RegExp][] = [
    ["../../../../../../../../etc/passwd", /input: path .* leaves the manifest's folder/],
    ["inputs/../../../etc/passwd", /input: path .* leaves the manifest's folder/],
    ["/etc/passwd", /input: path .* is absolute/],
    ["/dev/zero", /input: path .* is absolute/],
    ["link.png", /input: link\.png is not a regular file/],
    ["inputs", /input: inputs is not a regular file/],
  ];
  for (const [input, why] of hostile) {
    const r = await verify(tamper(manifest, 1, (e) => (e.input = input)));
    assert.is(r.matched, 3, input);
    assert.match(r.mismatches[0]!.reason, why);
    assert.not.match(r.mismatches[0]!.reason, /root:/, "nothing of the file is shown");
  }
  const r = await verify(tamper(manifest, 2, (e) => (e.output = "../a/manifest.jsonl")));
  assert.match(r.mismatches[0]!.reason, /output: path .* leaves the manifest's folder/);
});

test("augment refuses a non-empty --out unless overwrite, and never reads its own outputs", async () => {
  const folder = join(dir, "photos");
  cpSync(samples, folder, { recursive: true });
  const count = entries(await run(join(dir, "fresh"), { inputs: [folder] })).length;
  // Writing into the input folder itself: the outputs (and the copied inputs) are not inputs.
  const first = await run(folder, { inputs: [folder], overwrite: true });
  assert.is(entries(first).length, count);
  let refused: Error | null = null;
  try {
    await run(folder, { inputs: [folder] });
  } catch (e) {
    refused = e as Error;
  }
  assert.match(String(refused?.message), /output folder .* is not empty; pass --overwrite/);
  const again = await run(folder, { inputs: [folder], overwrite: true });
  assert.is(readFileSync(again, "utf8"), readFileSync(first, "utf8"), "a second run reads the same inputs, not the first run's outputs");
  assert.equal((await verify(again)).mismatches, []);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
