// The main job: `lockstep augment` writes outputs and a manifest; two runs give identical
// manifests; `lockstep verify` confirms them and catches tampering.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lockstep, samples } from "./helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "lockstep-cli-"));

test("augment on the bundled samples twice gives identical manifests, and verify confirms", () => {
  const a = lockstep("augment", samples, "--seed", "3", "--epochs", "2", "--out", join(dir, "a"));
  assert.is(a.code, 0, a.err);
  const b = lockstep("augment", samples, "--seed", "3", "--epochs", "2", "--out", join(dir, "b"));
  assert.is(b.code, 0, b.err);
  const ma = readFileSync(join(dir, "a", "manifest.jsonl"), "utf8");
  assert.is(ma, readFileSync(join(dir, "b", "manifest.jsonl"), "utf8"));
  const lines = ma
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.is(lines.length, 1 + 4 * 2);
  assert.is(lines[0].kind, "header");
  for (const e of lines.slice(1)) assert.ok(existsSync(join(dir, "a", e.output)), e.output);
  const v = lockstep("verify", join(dir, "a", "manifest.jsonl"));
  assert.is(v.code, 0, v.out + v.err);
  assert.match(v.out, /8\/8 entries match/);
});

test("a different seed gives a different manifest", () => {
  lockstep("augment", samples, "--seed", "4", "--epochs", "1", "--out", join(dir, "c"));
  const c = readFileSync(join(dir, "c", "manifest.jsonl"), "utf8").split("\n")[1]!;
  const a = readFileSync(join(dir, "a", "manifest.jsonl"), "utf8").split("\n")[1]!;
  assert.is.not(JSON.parse(c).sha256, JSON.parse(a).sha256);
});

test("verify reports a tampered entry and exits 1", () => {
  const path = join(dir, "a", "manifest.jsonl");
  const lines = readFileSync(path, "utf8").trim().split("\n");
  const e = JSON.parse(lines[3]!);
  e.sha256 = "0".repeat(64);
  lines[3] = JSON.stringify(e);
  writeFileSync(join(dir, "a", "tampered.jsonl"), lines.join("\n"));
  const v = lockstep("verify", join(dir, "a", "tampered.jsonl"));
  assert.is(v.code, 1);
  assert.match(v.out, /MISMATCH line 4/);
  assert.match(v.out, /7\/8 entries match/);
});

test("a pipeline file ending in ToTensor writes .npy tensors", () => {
  const pipe = join(dir, "pipe.json");
  writeFileSync(
    pipe,
    JSON.stringify({
      type: "Compose",
      transforms: [
        { type: "Resize", size: 32 },
        { type: "CenterCrop", size: 32 },
        { type: "ToTensor" },
        { type: "Normalize", mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
      ],
    }),
  );
  const r = lockstep("augment", join(samples, "chelsea.png"), "--pipeline", pipe, "--epochs", "1", "--out", join(dir, "t"));
  assert.is(r.code, 0, r.err);
  const e = JSON.parse(readFileSync(join(dir, "t", "manifest.jsonl"), "utf8").split("\n")[1]!);
  assert.equal(e.shape, [3, 32, 32]);
  assert.is(readFileSync(join(dir, "t", e.output)).length, 128 + 3 * 32 * 32 * 4);
  assert.is(lockstep("verify", join(dir, "t", "manifest.jsonl")).code, 0);
});

test("the manifest records the semantics; a tensor-semantics pipeline verifies, and a header contradicting its pipeline is refused", () => {
  const pipe = join(dir, "tensor.json");
  writeFileSync(
    pipe,
    JSON.stringify({
      type: "Compose",
      semantics: "tensor",
      transforms: [
        { type: "RandomResizedCrop", size: 24 },
        { type: "ColorJitter", brightness: 0.4, saturation: 0.4, hue: 0.1 },
      ],
    }),
  );
  const r = lockstep("augment", join(samples, "coffee.png"), "--pipeline", pipe, "--epochs", "1", "--out", join(dir, "s"));
  assert.is(r.code, 0, r.err);
  const path = join(dir, "s", "manifest.jsonl");
  const lines = readFileSync(path, "utf8").trim().split("\n");
  const header = JSON.parse(lines[0]!);
  assert.is(header.semantics, "tensor");
  assert.is(header.pipeline.semantics, "tensor");
  assert.is(lockstep("verify", path).code, 0);
  assert.is(JSON.parse(readFileSync(join(dir, "a", "manifest.jsonl"), "utf8").split("\n")[0]!).semantics, "pil");
  writeFileSync(join(dir, "s", "bad.jsonl"), [JSON.stringify({ ...header, semantics: "pil" }), ...lines.slice(1)].join("\n"));
  const v = lockstep("verify", join(dir, "s", "bad.jsonl"));
  assert.is(v.code, 2); // an error, not a mismatch
  assert.match(v.err, /the header says semantics "pil", but its pipeline runs with "tensor"/);
});

test("bad pipelines, missing inputs and corrupt images fail with a clear message", () => {
  const pipe = join(dir, "bad.json");
  writeFileSync(pipe, JSON.stringify({ type: "Compose", transforms: [{ type: "RandomCrop", size: 0 }] }));
  const r = lockstep("augment", samples, "--pipeline", pipe, "--out", join(dir, "x"));
  assert.is(r.code, 2);
  assert.match(r.err, /lockstep: --pipeline .*bad\.json: \$\.transforms\[0\]\.size must be an integer/);
  const m = lockstep("augment", join(dir, "nope"), "--out", join(dir, "x"));
  assert.match(m.err, /no such file or folder/);
  writeFileSync(join(dir, "broken.png"), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
  const c = lockstep("augment", join(dir, "broken.png"), "--out", join(dir, "x"));
  assert.is(c.code, 2);
  assert.match(c.err, /broken\.png: decode:/);
  assert.match(lockstep("augment", samples, "--seed=-1").err, /--seed must be a non-negative decimal integer/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
