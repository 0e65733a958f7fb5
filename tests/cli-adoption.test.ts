// The command line as a newcomer meets it: usage and version, seeds over the API's whole range,
// a start epoch, class labels in the manifest, output that is whole or absent, and the file named
// in every error.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createHash } from "node:crypto";
import { ready, fromJSON, type Image, type Tensor } from "../src/index.js";
import { decode } from "../src/io/index.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const cli = join(ROOT, "src/cli/main.ts");
const samples = join(ROOT, "samples");
const dir = mkdtempSync(join(tmpdir(), "lockstep-cli-adoption-"));
const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

function lockstep(args: string[], cwd = ROOT) {
  // tsx by URL, so that the CLI runs from any folder.
  const r = spawnSync(process.execPath, ["--import", import.meta.resolve("tsx"), cli, ...args], {
    encoding: "utf8",
    cwd,
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const manifest = (out: string) =>
  readFileSync(join(out, "manifest.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const sha = (x: Image | Tensor) =>
  createHash("sha256")
    .update(new Uint8Array(x.data.buffer, x.data.byteOffset, x.data.byteLength))
    .digest("hex");
const PIPE = { type: "Compose", transforms: [{ type: "RandomResizedCrop", size: 24 }, { type: "RandomHorizontalFlip" }] };
const pipeFile = join(dir, "pipe.json");
writeFileSync(pipeFile, JSON.stringify(PIPE));

test("--help, -h, help and `<command> --help` print the usage and exit 0; it names every command and flag", () => {
  for (const args of [["--help"], ["-h"], ["help"], ["augment", "--help"], ["verify", "--help"]]) {
    const r = lockstep(args);
    assert.is(r.code, 0, `${args.join(" ")}: ${r.err}`);
    assert.match(r.out, /^usage:/, args.join(" "));
    for (const word of [
      "augment",
      "verify",
      "--pipeline",
      "--seed",
      "--epochs",
      "--start-epoch",
      "--out",
      "--workers",
      "--mode",
      "--version",
      "--help",
      "2^64",
    ])
      assert.ok(r.out.includes(word), `usage lacks ${word}`);
  }
});

test("a bare `lockstep` prints the usage and exits 2, writing nothing", () => {
  const cwd = join(dir, "bare");
  mkdirSync(cwd);
  const r = lockstep([], cwd);
  assert.is(r.code, 2);
  assert.match(r.err, /usage:/);
  assert.equal(readdirSync(cwd), [], "no ./out");
});

test("--version, -v and `version` print package.json's version", () => {
  for (const args of [["--version"], ["-v"], ["version"]]) {
    const r = lockstep(args);
    assert.is(r.code, 0, r.err);
    assert.is(r.out.trim(), version);
  }
});

test("usage errors exit 2 and point to --help: unknown command, unknown flag, a flag without its value", () => {
  const u = lockstep(["agument"]);
  assert.is(u.code, 2);
  assert.match(u.err, /unknown command "agument".*\n.*lockstep --help/);
  const f = lockstep(["augment", samples, "--sed", "3", "--out", join(dir, "never")]);
  assert.is(f.code, 2);
  assert.match(f.err, /--sed/);
  assert.match(f.err, /lockstep --help/);
  const v = lockstep(["augment", samples, "--seed"]);
  assert.is(v.code, 2);
  assert.match(v.err, /--seed/);
  assert.not.ok(existsSync(join(dir, "never")));
});

test("--seed up to 2^64 - 1: the API's bytes for the same seed; verify reads it back; beyond it a clear error", async () => {
  await ready();
  const chelsea = join(samples, "chelsea.png");
  const img = await decode(readFileSync(chelsea));
  const pipeline = fromJSON(JSON.stringify(PIPE));
  for (const seed of ["18446744073709551615", "9007199254740993", "7"]) {
    const out = join(dir, `seed-${seed}`);
    const r = lockstep(["augment", chelsea, "--pipeline", pipeFile, "--seed", seed, "--epochs", "1", "--out", out]);
    assert.is(r.code, 0, r.err);
    const [header, entry] = manifest(out);
    // Seeds below 2^53 stay JSON numbers (manifests as before); above, decimal strings.
    const json = BigInt(seed) < 2n ** 53n ? Number(seed) : seed;
    assert.is(header!.seed, json);
    assert.is(entry!.seed, json);
    assert.is(entry!.sha256, sha(pipeline.apply(img, { seed: BigInt(seed), epoch: 0, index: 0 }) as Image), `seed ${seed}`);
    const v = lockstep(["verify", join(out, "manifest.jsonl")]);
    assert.is(v.code, 0, v.out + v.err);
  }
  for (const [seed, re] of [
    ["18446744073709551616", /--seed must be at most 2\^64 - 1 = 18446744073709551615, got 18446744073709551616/],
    ["-1", /--seed must be a non-negative decimal integer/],
    ["1e3", /--seed must be a non-negative decimal integer/],
  ] as const) {
    const r = lockstep(["augment", chelsea, `--seed=${seed}`, "--out", join(dir, "refused")]);
    assert.is(r.code, 2, seed);
    assert.match(r.err, re);
  }
  assert.not.ok(existsSync(join(dir, "refused")));
});

test("--start-epoch K: epochs K.. with the bytes those epochs have in a run from 0", () => {
  const full = join(dir, "epochs-full");
  const tail = join(dir, "epochs-tail");
  assert.is(lockstep(["augment", samples, "--pipeline", pipeFile, "--seed", "5", "--epochs", "4", "--out", full]).code, 0);
  const r = lockstep(["augment", samples, "--pipeline", pipeFile, "--seed", "5", "--start-epoch", "2", "--epochs", "2", "--out", tail]);
  assert.is(r.code, 0, r.err);
  const a = manifest(full);
  const b = manifest(tail);
  assert.is(b[0]!.startEpoch, 2);
  const strip = (e: Record<string, unknown>) => JSON.stringify({ ...e });
  assert.equal(
    b.slice(1).map(strip),
    a
      .slice(1)
      .filter((e) => (e.epoch as number) >= 2)
      .map(strip),
  );
  assert.equal(
    readdirSync(tail)
      .filter((f) => f.startsWith("epoch-"))
      .sort(),
    ["epoch-2", "epoch-3"],
  );
  assert.is(lockstep(["verify", join(tail, "manifest.jsonl")]).code, 0);
  const bad = lockstep(["augment", samples, "--start-epoch=-1", "--out", join(dir, "refused")]);
  assert.is(bad.code, 2);
  assert.match(bad.err, /--start-epoch must be an integer >= 0/);
});

test("labels: an ImageFolder-style input (root/<class>/<image>) gives each entry its class index; the header lists the classes", () => {
  const root = join(dir, "folder");
  // Python's sorted(): "Zebra" < "cat" < "dog".
  for (const [c, f] of [
    ["dog", "chelsea.png"],
    ["cat", "coffee.png"],
    ["Zebra", "astronaut.png"],
  ] as const) {
    mkdirSync(join(root, c), { recursive: true });
    copyFileSync(join(samples, f), join(root, c, f));
  }
  const out = join(dir, "labelled");
  const r = lockstep(["augment", root, "--pipeline", pipeFile, "--epochs", "1", "--out", out]);
  assert.is(r.code, 0, r.err);
  const [header, ...entries] = manifest(out);
  assert.equal(header!.classes, ["Zebra", "cat", "dog"]);
  const byClass = Object.fromEntries(entries.map((e) => [String(e.input).split(/[\\/]/).at(-2), e.label]));
  assert.equal(byClass, { Zebra: 0, cat: 1, dog: 2 });
  assert.is(lockstep(["verify", join(out, "manifest.jsonl")]).code, 0);
  // A flat folder has no classes: no label fields, no classes in the header.
  const [h2, e2] = manifest(join(dir, "epochs-full"));
  assert.not.ok("classes" in h2!);
  assert.not.ok("label" in e2!);
});

test("a run that fails leaves no output folder and no scratch behind, and says so", () => {
  const inputs = join(dir, "half-bad");
  mkdirSync(inputs);
  copyFileSync(join(samples, "chelsea.png"), join(inputs, "a.png"));
  writeFileSync(join(inputs, "b.png"), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]));
  const out = join(dir, "failed-out");
  const before = readdirSync(dir).sort();
  const r = lockstep(["augment", inputs, "--pipeline", pipeFile, "--epochs", "2", "--out", out]);
  assert.is(r.code, 2);
  assert.match(r.err, /b\.png: /, "the file is named");
  assert.match(r.err, /nothing was written to .*failed-out/);
  assert.not.ok(existsSync(out), "no half-written output folder");
  assert.equal(readdirSync(dir).sort(), before, "no scratch folder left beside it");
});

test("errors name their file: a pipeline that is not JSON or not a pipeline, a manifest line", () => {
  const notJson = join(dir, "broken-pipe.json");
  writeFileSync(notJson, '{ "type": "Compose", ');
  const a = lockstep(["augment", samples, "--pipeline", notJson, "--out", join(dir, "refused")]);
  assert.is(a.code, 2);
  assert.match(a.err, /broken-pipe\.json/);
  const badPipe = join(dir, "bad-pipe.json");
  writeFileSync(badPipe, JSON.stringify({ type: "Compose", transforms: [{ type: "RandomCrop", size: 0 }] }));
  const b = lockstep(["augment", samples, "--pipeline", badPipe, "--out", join(dir, "refused")]);
  assert.is(b.code, 2);
  assert.match(b.err, /bad-pipe\.json: \$\.transforms\[0\]\.size must be an integer/);
  const m = join(dir, "broken-manifest.jsonl");
  writeFileSync(m, '{"kind":"header"\n');
  const v = lockstep(["verify", m]);
  assert.is(v.code, 2);
  assert.match(v.err, /broken-manifest\.jsonl:1/);
  const missing = lockstep(["verify", join(dir, "no-such.jsonl")]);
  assert.is(missing.code, 2);
  assert.match(missing.err, /no-such\.jsonl/);
  assert.not.ok(existsSync(join(dir, "refused")));
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
