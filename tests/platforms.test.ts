// Same bytes everywhere: every platform computes the whole conformance vector file
// (tests/conformance/vectors.json) and must match every case. Prints the matrix. A platform
// that cannot start fails with the reason; nothing is skipped.
//
// WebGPU rows: the same file through applyBatch(..., { backend: "auto" }) on every adapter this
// machine reaches without a GPU: Node + Dawn (npm webgpu) on SwiftShader, Deno's navigator.gpu on
// Mesa llvmpipe, Chromium page and Web Worker (--enable-unsafe-webgpu, SwiftShader). Cases whose
// ops have no WGSL shader yet run on wasm under "auto": the row counts them and names the ops.
// A runtime without a usable adapter fails.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { serveStatic } from "../demo/static-server.mjs";
import { BUNDLE_DIR, ROOT, HEADER, VECTORS, bun, chromium, chromiumSite, deno, formatFallbacks, formatGpuWork, formatRow, freshBundles, launchChromium, nodeMain, nodeWorker, workerd, type Row } from "./conformance/platforms.js";

const kernelHash = () => createHash("sha256").update(readFileSync(join(ROOT, "build/lockstep.wasm"))).digest("hex").slice(0, 16);
const kernelAtStart = kernelHash();
const vectorFile = JSON.parse(readFileSync(VECTORS, "utf8")) as { cases: unknown[]; targetCases?: unknown[] };
const total = vectorFile.cases.length + (vectorFile.targetCases?.length ?? 0);
const rows: Row[] = [];
const print = (r: Row) => {
  rows.push(r);
  console.log(`\n${HEADER}\n${formatRow(r)}`);
  if (r.backend === "webgpu") console.log(`${formatGpuWork(r)}\n${formatFallbacks(r)}`);
};

function check(r: Row, runtime: string): void {
  print(r);
  assert.is(r.runtime, runtime, `${r.platform}: lockstep detected runtime ${r.runtime}`);
  assert.is(r.cases, total, `${r.platform}: computed ${r.cases} of ${total} cases`);
  const rebuilt = r.mismatches && kernelHash() !== kernelAtStart ? " (build/lockstep.wasm was rebuilt during this run: run the tests again)" : "";
  assert.is(r.mismatches, 0, `${r.platform}: ${r.mismatches} mismatches${rebuilt}; ${formatRow(r)}`);
  assert.is(r.matches, total);
}

/** A WebGPU row: every case matches, on the expected adapter, and only missing shaders send cases to wasm. */
function checkGpu(r: Row, runtime: string, adapter: RegExp): void {
  check(r, runtime);
  assert.is(r.backend, "webgpu");
  assert.match(r.adapter ?? "", adapter, `${r.platform}: the adapter is ${r.adapter}`);
  assert.ok((r.gpu ?? 0) > 0, `${r.platform}: no case ran on the GPU`);
  assert.is((r.gpu ?? 0) + (r.wasmFallback ?? 0) + (r.refused ?? 0), r.cases, `${r.platform}: every case is counted once`);
  const otherReasons = Object.keys(r.fallbacks ?? {}).filter((why) => !/^the ".+" op has no WebGPU shader yet$/.test(why));
  assert.equal(otherReasons, [], `${r.platform}: cases fell back to wasm for another reason than a missing shader`);
  // Which cases can run on the GPU is decided on the host, so every adapter has the same split.
  const first = rows.find((x) => x.backend === "webgpu")!;
  assert.equal([r.gpu, r.wasmFallback, r.refused, r.fallbacks], [first.gpu, first.wasmFallback, first.refused, first.fallbacks], `${r.platform}: the same GPU/wasm split as ${first.platform}`);
}

test.before(async () => {
  await freshBundles();
});

test("node main thread", async () => check(await nodeMain(), "node"));
test("node main thread, WebGPU: Dawn (npm webgpu) on SwiftShader", async () => checkGpu(await nodeMain("webgpu"), "node", /swiftshader/i));
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
test("chromium main thread, WebGPU: --enable-unsafe-webgpu on SwiftShader", async () => checkGpu(await chromiumRow("main", "webgpu"), "browser", /swiftshader/i));
test("chromium Web Worker, WebGPU: --enable-unsafe-webgpu on SwiftShader", async () => checkGpu(await chromiumRow("worker", "webgpu"), "worker", /swiftshader/i));

test("deno", async () => check(await deno(), "deno"));
test("deno, WebGPU: navigator.gpu on Mesa llvmpipe", async () => checkGpu(await deno("webgpu"), "deno", /llvmpipe/i));
test("bun", async () => check(await bun(), "bun"));
test("workerd", async () => check(await workerd(), "workerd"));

test.after(async () => {
  await browser?.close();
  const gpu = rows.filter((r) => r.backend === "webgpu");
  console.log(
    `\nconformance matrix (${total} cases each; kernel build/lockstep.wasm sha256 ${kernelAtStart}…):\n${HEADER}\n${rows.map(formatRow).join("\n")}` +
      (gpu.length
        ? `\n\nWebGPU rows: applyBatch(..., { backend: "auto" }), cases of one pipeline and (seed, epoch) batched together:\n${gpu.map(formatGpuWork).join("\n")}\n${new Set(gpu.map((r) => JSON.stringify(r.fallbacks))).size === 1 ? `in every WebGPU row, ${formatFallbacks(gpu[0]!)}` : gpu.map((r) => `${r.platform}: ${formatFallbacks(r)}`).join("\n")}`
        : ""),
  );
});

test.run();
