// The WebGPU backend's bytes on the other adapters this machine can reach without a GPU:
// Deno's own WebGPU (navigator.gpu, Mesa llvmpipe) in a child process, and Node's Dawn on
// Mesa llvmpipe through OpenGL ES. Every case's hash must equal Node's wasm hash.
import "./helpers/gpu-env.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { ready } from "../src/index.js";
import { dawnAdapterFactory, setAdapterFactory } from "../src/gpu/index.js";
import { gpuCases, caseHashes, type CaseHashes } from "./conformance/gpu.js";

await ready();
const root = fileURLToPath(new URL("..", import.meta.url));
const cases = gpuCases(40, 21);
const ref = await caseHashes(cases, "wasm");

function withoutIcd(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const e = { ...env };
  delete e.VK_ICD_FILENAMES;
  return e;
}

function mismatches(got: CaseHashes): string[] {
  return cases
    .map((c, i) => (got.hashes[i] === ref.hashes[i] ? null : `case ${i}: ${JSON.stringify(c.pipeline)}`))
    .filter((x): x is string => x !== null);
}

test("Deno (navigator.gpu, Mesa llvmpipe): 40 batches, WebGPU and wasm hashes equal Node's wasm hashes", async () => {
  const deno = join(root, "node_modules/.bin/deno");
  assert.ok(existsSync(deno), "the deno package is a devDependency");
  const dir = mkdtempSync(join(tmpdir(), "lockstep-deno-gpu-"));
  try {
    chmodSync(dir, 0o700);
    await build({
      entryPoints: [join(root, "tests/helpers/gpu-deno-entry.ts")],
      bundle: true,
      format: "esm",
      platform: "neutral",
      external: ["node:*"],
      outfile: join(dir, "entry.mjs"),
      logLevel: "error",
    });
    writeFileSync(join(dir, "cases.json"), JSON.stringify(cases));
    const run = spawnSync(
      deno,
      ["run", "-A", "--no-config", join(dir, "entry.mjs"), join(root, "build/lockstep.wasm"), join(dir, "cases.json")],
      {
        cwd: dir,
        // Deno's own Vulkan search (Mesa's llvmpipe), not the SwiftShader ICD the Node tests use.
        env: { ...withoutIcd(process.env), XDG_RUNTIME_DIR: dir, NO_COLOR: "1" },
        encoding: "utf8",
        timeout: 120_000,
      },
    );
    assert.is(run.status, 0, `deno exited with ${run.status} ${run.signal ?? ""}: ${run.stderr}`);
    const line = run.stdout.trim().split("\n").pop()!;
    const out = JSON.parse(line) as { gpu: CaseHashes; wasm: CaseHashes };
    assert.is(out.gpu.backend, "webgpu");
    assert.match(out.gpu.adapter ?? "", /llvmpipe/i, "Deno runs on Mesa llvmpipe");
    console.log(`  deno adapter: ${out.gpu.adapter}`);
    assert.equal(mismatches(out.gpu), [], `Deno WebGPU (${out.gpu.adapter}) vs Node wasm`);
    assert.equal(mismatches(out.wasm), [], "Deno wasm vs Node wasm");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Node, Dawn on Mesa llvmpipe through OpenGL ES: 40 batches equal the wasm hashes", async () => {
  process.env.EGL_PLATFORM ??= "surfaceless";
  setAdapterFactory(dawnAdapterFactory({ dawn: ["backend=opengles"], request: { featureLevel: "compatibility" } }));
  try {
    const got = await caseHashes(cases, "webgpu");
    assert.is(got.backend, "webgpu");
    console.log(`  dawn gles adapter: ${got.adapter}`);
    assert.equal(mismatches(got), [], `Dawn GLES (${got.adapter}) vs wasm`);
  } finally {
    setAdapterFactory(null);
  }
});

test.run();
