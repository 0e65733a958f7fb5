// Same bytes everywhere: every platform computes the whole conformance vector file
// (tests/conformance/vectors.json) and must match every case. Prints the matrix. A platform
// that cannot start fails with the reason; nothing is skipped.
//
// WebGPU rows: the same file through applyBatch(..., { backend: "auto" }) on every adapter this
// machine reaches without a GPU: Node + Dawn (npm webgpu) on SwiftShader, Deno's navigator.gpu on
// Mesa llvmpipe, Chromium page and Web Worker (--enable-unsafe-webgpu, SwiftShader). Cases whose
// ops have no WGSL shader yet run on wasm under "auto": the row counts them and names the ops.
// A runtime without a usable adapter fails.
//
// The "gpu-only" rows (Node + Dawn/SwiftShader, Chromium page and worker on SwiftShader,
// Deno on llvmpipe): the same batches through backend "webgpu", the
// issue's "done when": nothing falls back, no op refuses for want of a shader, every case
// must match. On a software adapter it runs 1 in SOFT_FLOAT_EVERY of the soft-float cases
// (tests/conformance/compute.ts; 25-50 s wall per row with the sample, ~3 minutes without).
//
// Other engines and CPUs: Firefox (Debian's firefox-esr: SpiderMonkey's wasm compilers and its
// own Math), page and module Web Worker; and arm64 (V8's arm64 code generator, wasm SIMD on
// NEON) under qemu-aarch64-static: this Node's version as the official arm64 binary, and
// Debian 12's Node 18, the lowest Node lockstep supports (package.json `engines`).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { serveStatic } from "../demo/static-server.mjs";
import {
  BUNDLE_DIR,
  ROOT,
  HEADER,
  VECTORS,
  bun,
  chromium,
  chromiumSite,
  deno,
  formatFallbacks,
  formatGpuWork,
  formatRow,
  freshBundles,
  launchChromium,
  nodeMain,
  nodeWorker,
  workerd,
  type Row,
} from "./conformance/platforms.js";
import { firefox, launchFirefox, type FirefoxSession } from "./conformance/firefox.js";
import { arm64Name, arm64Node, arm64Setup, cacheDir } from "./conformance/arm64.js";
import { rng } from "./helpers/check.js";
import { python } from "./conformance/python.js";
import "../src/gpu/ops/index.js";
import { gpuOpNames } from "../src/gpu/plan.js";

/**
 * Cases of the vector file that run on the GPU under "auto" on a software adapter (no
 * fallback): the colour family's table and reduction ops; its soft-float programs stay on
 * wasm there (SLOW). Under "webgpu" they run on the GPU too (tests/gpu-color.test.ts).
 */
const GPU_CASES_AT_LEAST = 2127;
/**
 * The "gpu-only" row: the conformance suite through backend "webgpu" (the issue's "done when"),
 * nothing falls back. Lambda (user JavaScript, never a shader) counts as on the GPU: its batch
 * runs there, split into segments around the host step. Every op has a shader: none may refuse.
 * The cases it computes on Dawn/SwiftShader (1 in SOFT_FLOAT_EVERY of the soft-float cases,
 * tests/conformance/compute.ts): only goes up.
 */
const GPU_ONLY_CASES_AT_LEAST = 2381;
/** A missing shader: the op, and the case it lacks when the GPU covers the op in part. */
const NO_SHADER = /^the "(.+?)" op (.+ )?has no WebGPU shader yet$/;
/** "auto"'s reason for keeping a program much slower there (soft-float VM, JPEG's DCT blocks) on wasm on a software adapter. */
const SLOW =
  /^(the ".+" op|a tensor copy) runs as (a soft-float register-machine program|integer 8x8-block DCT programs), much slower than wasm on a software adapter \(backend "webgpu" runs it on the GPU anyway\)$/;
/** "auto"'s reason for keeping a batch with a Lambda (a host step between GPU segments) on wasm. */
const HOST = /^the "lambda" op runs on the host between GPU segments \(backend "webgpu" runs the batch that way\)$/;
const kernelHash = () =>
  createHash("sha256")
    .update(readFileSync(join(ROOT, "build/lockstep.wasm")))
    .digest("hex")
    .slice(0, 16);
const kernelAtStart = kernelHash();
const vectorFile = JSON.parse(readFileSync(VECTORS, "utf8")) as { cases: unknown[]; targetCases?: unknown[]; decodes?: unknown[] };
// wasm rows run the transform cases (on images and on samples with targets) and the decode
// cases; WebGPU rows the transform cases
const transformCases = vectorFile.cases.length + (vectorFile.targetCases?.length ?? 0);
const total = transformCases + (vectorFile.decodes?.length ?? 0);
const expected = (r: Row) => (r.backend === "webgpu" ? transformCases : total);
const rows: Row[] = [];
const print = (r: Row) => {
  rows.push(r);
  console.log(`\n${HEADER}\n${formatRow(r)}`);
  if (r.backend === "webgpu") console.log(`${formatGpuWork(r)}\n${formatFallbacks(r)}`);
};

function check(r: Row, runtime: string): void {
  print(r);
  assert.is(r.runtime, runtime, `${r.platform}: lockstep detected runtime ${r.runtime}`);
  assert.is(r.cases, expected(r), `${r.platform}: computed ${r.cases} of ${expected(r)} cases`);
  const rebuilt =
    r.mismatches && kernelHash() !== kernelAtStart ? " (build/lockstep.wasm was rebuilt during this run: run the tests again)" : "";
  assert.is(r.mismatches, 0, `${r.platform}: ${r.mismatches} mismatches${rebuilt}; ${formatRow(r)}`);
  assert.is(r.matches, expected(r));
}

/** A WebGPU row: every case matches, on the expected adapter, and only missing shaders send cases to wasm. */
function checkGpu(r: Row, runtime: string, adapter: RegExp): void {
  check(r, runtime);
  assert.is(r.backend, "webgpu");
  assert.match(r.adapter ?? "", adapter, `${r.platform}: the adapter is ${r.adapter}`);
  assert.ok((r.gpu ?? 0) > 0, `${r.platform}: no case ran on the GPU`);
  assert.is((r.gpu ?? 0) + (r.wasmFallback ?? 0) + (r.refused ?? 0), r.cases, `${r.platform}: every case is counted once`);
  // Every adapter here is a software one (SwiftShader, llvmpipe): "auto" also keeps the ops
  // whose GPU form is a soft-float program on wasm there (much faster), and says so.
  // A Lambda's batch stays on wasm under "auto" (HOST; "webgpu" runs it in GPU segments).
  const otherReasons = Object.keys(r.fallbacks ?? {}).filter((why) => !NO_SHADER.test(why) && !SLOW.test(why) && !HOST.test(why));
  assert.equal(
    otherReasons,
    [],
    `${r.platform}: cases fell back to wasm for another reason than a missing shader, a software adapter or a Lambda`,
  );
  // An op with a registered GPU lowering never lacks a shader (a runtime whose bundle lost the
  // registrations would send them all to wasm), and coverage never drops below what this
  // branch measured on Dawn/SwiftShader (see GPU_CASES_AT_LEAST).
  const covered = new Set(gpuOpNames());
  // (an op the GPU covers in part, as toDtype, names the part it lacks).
  const coveredFallbacks = Object.keys(r.fallbacks ?? {})
    .map((why) => NO_SHADER.exec(why))
    .filter((m) => m !== null && m[2] === undefined && covered.has(m[1]!))
    .map((m) => m![1]);
  assert.equal(coveredFallbacks, [], `${r.platform}: ops with a WebGPU shader fell back to wasm`);
  assert.ok((r.gpu ?? 0) >= GPU_CASES_AT_LEAST, `${r.platform}: ${r.gpu} cases on the GPU, fewer than ${GPU_CASES_AT_LEAST}`);
  // Which cases can run on the GPU is decided on the host, so every adapter has the same split.
  const first = rows.find((x) => x.backend === "webgpu")!;
  assert.equal(
    [r.gpu, r.wasmFallback, r.refused, r.fallbacks],
    [first.gpu, first.wasmFallback, first.refused, first.fallbacks],
    `${r.platform}: the same GPU/wasm split as ${first.platform}`,
  );
}

/**
 * The "gpu-only" row: every case through backend "webgpu" matches, is one of the vectors'
 * refused inputs, or (software adapter) is a soft-float case
 * outside the 1-in-SOFT_FLOAT_EVERY sample, of which every soft-float op still runs some.
 */
function checkGpuOnly(r: Row, runtime: string, adapter: RegExp): void {
  rows.push(r);
  console.log(`\n${HEADER}\n${formatRow(r)}\n${formatGpuOnly(r)}`);
  assert.is(r.runtime, runtime);
  assert.match(r.adapter ?? "", adapter, `${r.platform}: the adapter is ${r.adapter}`);
  assert.is(r.cases, transformCases, `${r.platform}: computed ${r.cases} of ${transformCases} cases`);
  assert.is(r.mismatches, 0, `${r.platform}: ${r.mismatches} mismatches; ${formatRow(r)}`);
  assert.is(r.wasmFallback, 0, `${r.platform}: backend "webgpu" computed cases on wasm`);
  assert.is(r.matches + (r.noShader ?? 0) + (r.sampledOut ?? 0), r.cases, `${r.platform}: every case is counted once`);
  assert.is((r.gpu ?? 0) + (r.refused ?? 0), r.matches, `${r.platform}: every match ran on the GPU or is a refused input`);
  const refusedOps = Object.keys(r.fallbacks ?? {}).map((why) => NO_SHADER.exec(why)?.[1] ?? why);
  assert.equal(refusedOps, [], `${r.platform}: backend "webgpu" refused ops (every op must run on the GPU)`);
  assert.ok((r.gpu ?? 0) >= GPU_ONLY_CASES_AT_LEAST, `${r.platform}: ${r.gpu} cases on the GPU, fewer than ${GPU_ONLY_CASES_AT_LEAST}`);
  // The sample is a sample: each soft-float op it thins out still ran on the GPU in some case
  // (the fallback of "auto" names the op; its sampled-in cases are part of r.gpu).
  for (const op of Object.keys(r.sampledOutBy ?? {}))
    assert.ok((r.sampledInBy?.[op] ?? 0) > 0, `${r.platform}: ${op} was sampled out entirely (none of its cases ran on the GPU)`);
}

/** The "gpu-only" row's refusals and sample, for the log. */
function formatGpuOnly(r: Row): string {
  const list = (m: Record<string, number> | undefined) =>
    Object.entries(m ?? {})
      .sort((a, b) => b[1] - a[1])
      .map(([why, n]) => `${NO_SHADER.exec(why)?.[1] ?? why} ${n}`)
      .join(", ") || "none";
  return `${r.platform} backend "webgpu" (${r.adapter}): ${r.gpu} cases on the GPU in ${r.batches} applyBatch calls, ${r.refused} refused inputs, ${r.noShader} refused for an op without a shader (${list(r.fallbacks)}), ${r.sampledOut} soft-float cases sampled out (${list(r.sampledOutBy)}; run: ${list(r.sampledInBy)})`;
}

test.before(async () => {
  await freshBundles();
});

test("node main thread", async () => check(await nodeMain(), "node"));
test("node main thread, WebGPU: Dawn (npm webgpu) on SwiftShader", async () => checkGpu(await nodeMain("webgpu"), "node", /swiftshader/i));
test('node main thread, backend "webgpu" only: Dawn (npm webgpu) on SwiftShader', async () =>
  checkGpuOnly(await nodeMain("gpu-only"), "node", /swiftshader/i));
test("node worker_threads", async () => check(await nodeWorker(), "node"));

// One Chromium for its four rows; its start counts against the first.
let browser: { page: import("playwright-core").Page; url: string; launchMs: number; close(): Promise<void> } | undefined;
async function chromiumRow(mode: "main" | "worker", backend: string): Promise<Row> {
  if (!browser) {
    const t0 = performance.now();
    const site = await chromiumSite();
    const server = await serveStatic({ "/lockstep/": BUNDLE_DIR, "/": site.dir });
    let b;
    try {
      b = await launchChromium();
    } catch (e) {
      await server.close();
      site.remove();
      throw e;
    }
    const page = b.context.pages()[0] ?? (await b.context.newPage());
    browser = {
      page,
      url: server.url,
      launchMs: Math.round(performance.now() - t0),
      close: async () => {
        await b.close();
        await server.close();
        site.remove();
      },
    };
  }
  const r = await chromium(browser.page, browser.url, mode, backend);
  r.wallMs += browser.launchMs;
  browser.launchMs = 0;
  return r;
}

test("chromium main thread", async () => check(await chromiumRow("main", "wasm"), "browser"));
test("chromium Web Worker", async () => check(await chromiumRow("worker", "wasm"), "worker"));
test("chromium main thread, WebGPU: --enable-unsafe-webgpu on SwiftShader", async () =>
  checkGpu(await chromiumRow("main", "webgpu"), "browser", /swiftshader/i));
test("chromium Web Worker, WebGPU: --enable-unsafe-webgpu on SwiftShader", async () =>
  checkGpu(await chromiumRow("worker", "webgpu"), "worker", /swiftshader/i));
test('chromium main thread, backend "webgpu" only: --enable-unsafe-webgpu on SwiftShader', async () =>
  checkGpuOnly(await chromiumRow("main", "gpu-only"), "browser", /swiftshader/i));
test('chromium Web Worker, backend "webgpu" only: --enable-unsafe-webgpu on SwiftShader', async () =>
  checkGpuOnly(await chromiumRow("worker", "gpu-only"), "worker", /swiftshader/i));

test("deno", async () => check(await deno(), "deno"));
test("deno, WebGPU: navigator.gpu on Mesa llvmpipe", async () => checkGpu(await deno("webgpu"), "deno", /llvmpipe/i));
test('deno, backend "webgpu" only: navigator.gpu on Mesa llvmpipe', async () => checkGpuOnly(await deno("gpu-only"), "deno", /llvmpipe/i));
test("bun", async () => check(await bun(), "bun"));
test("workerd", async () => check(await workerd(), "workerd"));
test("python (wasmtime)", async () => {
  // The Python host runs every case, the target cases included: nothing may be counted as not run.
  const r = await python();
  print(r);
  assert.is(r.runtime, "python");
  assert.equal(r.notPortedTypes ?? [], [], `python: types not ported: ${r.notPortedTypes}`);
  assert.is(r.notPorted ?? 0, 0, `python: ${r.notPorted} cases not run`);
  assert.is(r.cases, total, `python: ${r.cases} computed of ${total}`);
  assert.ok((vectorFile.targetCases?.length ?? 0) > 100, "the vector file has its target cases");
  assert.is(r.mismatches, 0, `python: ${r.mismatches} mismatches; ${formatRow(r)}`);
  assert.is(r.matches, r.cases);
});

// ---- Firefox (SpiderMonkey): Debian's firefox-esr, page and module Web Worker, driven over HTTP
// (tests/conformance/firefox.ts). One Firefox for its rows; its start counts against the first.
let firefoxSession: Promise<FirefoxSession> | undefined;
let firefoxLaunchCounted = false;
async function firefoxRow(mode: "main" | "worker"): Promise<Row> {
  const session = await (firefoxSession ??= launchFirefox());
  const r = await firefox(session, mode);
  if (!firefoxLaunchCounted) r.wallMs += session.launchMs;
  firefoxLaunchCounted = true;
  return r;
}
const spiderMonkey = (r: Row) => assert.match(r.engine ?? "", /^Firefox .*, SpiderMonkey$/, `${r.platform}: computed by ${r.engine}`);

test("firefox main thread", async () => {
  const r = await firefoxRow("main");
  check(r, "browser");
  spiderMonkey(r);
});
test("firefox Web Worker", async () => {
  const r = await firefoxRow("worker");
  check(r, "worker");
  spiderMonkey(r);
});

// SpiderMonkey is an independent wasm engine, and its own JavaScript Math is a third
// implementation: its Math.sin rounds some results differently from Node 20's V8 (an fdlibm
// port) and from the newer V8 of Chromium and Deno (a glibc-derived port). So a host-side
// transcendental that reaches an output (the determinism rules forbid it) can fail the Firefox
// rows. This proves the page really computes with SpiderMonkey's Math and gets the arguments
// intact. (Math.pow is printed too: SpiderMonkey's equals newer V8's, not Node 20's.)
test("firefox: SpiderMonkey's Math.sin differs from this Node's V8 on some arguments (the rows can catch a host-side transcendental)", async () => {
  const session = await (firefoxSession ??= launchFirefox());
  const r = rng(18);
  const sinArgs = Array.from({ length: 4000 }, () => [r.float(-100, 100)]);
  const powArgs = Array.from({ length: 4000 }, () => [r.float(0, 10), r.float(-10, 10)]);
  const sin = await session.command<number[]>({ kind: "math", fn: "sin", args: sinArgs });
  const pow = await session.command<number[]>({ kind: "math", fn: "pow", args: powArgs });
  const differ = (got: number[], args: number[][], f: (...a: number[]) => number) => {
    assert.is(got.length, args.length);
    let n = 0;
    got.forEach((y, i) => {
      const v8 = f(...args[i]!);
      if (y === v8) return;
      n++;
      // the same function, rounded differently: a few ulps apart at most
      assert.ok(Math.abs(y - v8) <= 4 * Number.EPSILON * Math.abs(v8), `Math.${f.name}(${args[i]}) = ${y} in Firefox, ${v8} in Node`);
    });
    return n;
  };
  const nSin = differ(sin, sinArgs, Math.sin);
  const nPow = differ(pow, powArgs, Math.pow);
  console.log(
    `\n${session.version} against Node ${process.version} (V8 ${process.versions.v8}): Math.sin differs on ${nSin} of ${sinArgs.length} arguments, Math.pow on ${nPow} of ${powArgs.length}`,
  );
  assert.ok(nSin > 0, "Math.sin gave this V8's result on every argument: the page is not computing with SpiderMonkey's Math");
});

// ---- arm64: Node under qemu-aarch64-static (tests/conformance/arm64.ts): this Node's version as
// the official arm64 binary (only the CPU changes), and Debian 12's Node 18 (the lowest Node
// lockstep supports). The arm64 root and binary are built on first use and cached.
for (const which of ["host", "debian"] as const) {
  test(`${arm64Name(which)} under qemu-aarch64-static`, async () => {
    const setup = await arm64Setup(which);
    if (setup.builtMs)
      console.log(
        `\n${arm64Name(which)}: built the arm64 root / Node binary in ${(setup.builtMs / 1000).toFixed(1)} s, cached in ${cacheDir()}`,
      );
    const r = await arm64Node(setup, which);
    check(r, "node");
    assert.match(
      r.engine ?? "",
      which === "host" ? new RegExp(`^Node ${process.version.replace(/\./g, "\\.")} arm64, `) : /^Node v18\.\d+\.\d+ arm64, /,
      `${r.platform}: computed by ${r.engine}`,
    );
  });
}

test.after(async () => {
  await browser?.close();
  await firefoxSession?.then(
    (f) => f.close(),
    () => undefined,
  );
  const gpu = rows.filter((r) => r.backend === "webgpu");
  console.log(
    `\nconformance matrix (${total} cases each: ${vectorFile.cases.length} image cases, ${transformCases - vectorFile.cases.length} target cases and ${total - transformCases} decodes; WebGPU rows run the image and target cases; kernel build/lockstep.wasm sha256 ${kernelAtStart}…):\n${HEADER}\n${rows.map(formatRow).join("\n")}` +
      (gpu.length
        ? `\n\nWebGPU rows: applyBatch(..., { backend: "auto" }), cases of one pipeline and (seed, epoch) batched together:\n${gpu.map(formatGpuWork).join("\n")}\n${new Set(gpu.map((r) => JSON.stringify(r.fallbacks))).size === 1 ? `in every WebGPU row, ${formatFallbacks(gpu[0]!)}` : gpu.map((r) => `${r.platform}: ${formatFallbacks(r)}`).join("\n")}`
        : ""),
  );
});

test.run();
