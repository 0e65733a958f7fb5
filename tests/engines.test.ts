// package.json `engines` names the lowest Node lockstep supports, and that Node runs the package.
// The suite's Node 18 is Debian 12's (V8 10.2), in the arm64 root of the conformance rows, under
// qemu-aarch64-static (tests/conformance/arm64.ts). There it runs the CLI on a PNG and a JPEG
// with a worker thread (parseArgs, lockstep/io, the worker pool, the transforms, the PNG encoder,
// the manifest's SHA-256), and this Node, on x86-64, verifies every byte of what it wrote. The
// transforms themselves are the "arm64 node 18 (Debian)" row of tests/platforms.test.ts.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Jimp } from "jimp";
import { decode, encodePng } from "../src/io/index.js";
import { arm64Setup, freshDist, QEMU } from "./conformance/arm64.js";
import { ROOT, run, scratch } from "./conformance/platforms.js";

const engines = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { engines: { node: string } }).engines.node;
const version = (v: string) => v.replace(/^v/, "").split(".").map(Number) as [number, number, number];

test("engines.node is a lower bound the suite runs: Debian 12's Node 18 satisfies it, and nothing older is claimed", async () => {
  const m = /^>=(\d+)\.(\d+)(?:\.(\d+))?$/.exec(engines);
  assert.ok(m, `engines.node is ${JSON.stringify(engines)}; expected ">=MAJOR.MINOR"`);
  const setup = await arm64Setup("debian");
  const { stdout } = await run(QEMU, ["-L", setup.root, setup.node, "--version"]);
  const [major, minor, patch] = version(stdout.trim());
  const floor = [Number(m![1]), Number(m![2]), Number(m![3] ?? 0)];
  assert.is(major, floor[0], `the suite's oldest Node is ${stdout.trim()}, engines says ${engines}`);
  assert.ok(minor > floor[1]! || (minor === floor[1] && patch >= floor[2]!), `Debian's Node ${stdout.trim()} does not satisfy ${engines}`);
});

test("Node 18 (Debian 12, arm64): `lockstep augment` on a PNG and a JPEG with a worker thread; this Node verifies every output byte", async () => {
  const setup = await arm64Setup("debian");
  await freshDist();
  const tmp = scratch("node18");
  try {
    // Small inputs: decoding and encoding run about 10x slower under emulation.
    const w = 40,
      h = 30;
    const data = new Uint8Array(w * h * 3).map((_, i) => (i * 37 + ((i / 3 / w) | 0) * 11) & 255);
    writeFileSync(join(tmp.dir, "a.png"), await encodePng({ width: w, height: h, channels: 3, data }));
    const jpeg = new Jimp({ width: w, height: h, color: 0x336699ff });
    jpeg.scan((x, y, i) => {
      jpeg.bitmap.data[i] = (x * 6) & 255;
      jpeg.bitmap.data[i + 1] = (y * 8) & 255;
    });
    writeFileSync(join(tmp.dir, "b.jpg"), await jpeg.getBuffer("image/jpeg", { quality: 90 }));
    writeFileSync(
      join(tmp.dir, "pipeline.json"),
      JSON.stringify({
        type: "Compose",
        transforms: [
          { type: "RandomResizedCrop", size: [24, 24] },
          { type: "RandomHorizontalFlip" },
          { type: "ColorJitter", brightness: 0.4, hue: 0.1 },
        ],
      }),
    );
    const out = join(tmp.dir, "out");
    const cli = join(ROOT, "dist/cli/main.js");
    const made = await run(
      QEMU,
      [
        "-L",
        setup.root,
        setup.node,
        cli,
        "augment",
        join(tmp.dir, "a.png"),
        join(tmp.dir, "b.jpg"),
        "--pipeline",
        join(tmp.dir, "pipeline.json"),
        "--epochs",
        "1",
        "--workers",
        "1",
        "--out",
        out,
      ],
      { timeoutMs: 5 * 60_000 },
    );
    assert.match(made.stdout, /wrote .*manifest\.jsonl \(seed 0, 1 epoch\)/);
    // `verify` recomputes each entry here (x86-64, this Node) and compares hashes and params...
    const checked = await run(process.execPath, [cli, "verify", join(out, "manifest.jsonl")]);
    assert.match(checked.stdout, /^2\/2 entries match$/m, checked.stdout);
    // ...and the PNGs Node 18 encoded decode here to the very bytes the manifest hashes.
    const entries = readFileSync(join(out, "manifest.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { kind: string; output?: string; sha256?: string })
      .filter((e) => e.kind === "sample");
    assert.is(entries.length, 2);
    for (const e of entries) {
      const img = await decode(readFileSync(join(out, e.output!)));
      assert.is(
        createHash("sha256").update(img.data).digest("hex"),
        e.sha256,
        `${e.output} does not hold the bytes its manifest line hashes`,
      );
    }
  } finally {
    tmp.remove();
  }
});

test.run();
