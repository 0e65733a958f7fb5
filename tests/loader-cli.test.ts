// `lockstep augment --workers N` computes through the loader; the manifest (params and output
// hashes of every sample) and the files are identical for any N.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Compose, RandomResizedCrop, RandomHorizontalFlip } from "../src/index.js";
import { augment } from "../src/cli/augment.js";
import { liveWorkers } from "../src/platform/workers.js";

const cli = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));
const samples = fileURLToPath(new URL("../samples/", import.meta.url));
const inputs = [join(samples, "chelsea.png"), join(samples, "rocket.jpg")]; // a PNG and a JPEG
const dir = mkdtempSync(join(tmpdir(), "lockstep-loader-cli-"));

test("augment with 0 and 2 workers writes identical manifests and files", async () => {
  const pipeline = new Compose([new RandomResizedCrop(48), new RandomHorizontalFlip()]);
  const manifests: string[] = [];
  for (const workers of [0, 2]) {
    const path = await augment({ inputs, pipeline, seed: 6, epochs: 2, out: join(dir, `w${workers}`), version: "test", workers });
    manifests.push(readFileSync(path, "utf8"));
  }
  assert.is(liveWorkers(), 0);
  assert.is(manifests[1], manifests[0]);
  const lines = manifests[0]!
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.is(lines.length, 1 + 2 * 2);
  assert.equal(
    lines.slice(1).map((e) => `${e.epoch}:${e.index}:${e.shape}`),
    ["0:0:48,48,3", "0:1:48,48,3", "1:0:48,48,3", "1:1:48,48,3"],
  );
  for (const e of lines.slice(1)) assert.equal(readFileSync(join(dir, "w2", e.output)), readFileSync(join(dir, "w0", e.output)), e.output);
  // The same params and hashes as the pipeline applied directly (what `lockstep verify` recomputes).
  assert.equal(lines[1].params, pipeline.sample({ width: 451, height: 300 }, { seed: 6, epoch: 0, index: 0 }));
});

test("the command line takes --workers; a corrupt image decoded in a worker names the file", () => {
  writeFileSync(join(dir, "broken.png"), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", cli, "augment", join(dir, "broken.png"), "--workers", "1", "--out", join(dir, "y")],
    { encoding: "utf8" },
  );
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, /broken\.png: decode:/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
