// Same bytes everywhere: every platform computes the whole conformance vector file
// (tests/conformance/vectors.json) and must match every case. Prints the matrix. A platform
// that cannot start fails with the reason; nothing is skipped.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { serveStatic } from "../demo/static-server.mjs";
import { BUNDLE_DIR, ROOT, HEADER, VECTORS, bun, chromium, chromiumSite, deno, formatRow, freshBundles, launchChromium, nodeMain, nodeWorker, workerd, type Row } from "./conformance/platforms.js";

const kernelHash = () => createHash("sha256").update(readFileSync(join(ROOT, "build/lockstep.wasm"))).digest("hex").slice(0, 16);
const kernelAtStart = kernelHash();
const total = (JSON.parse(readFileSync(VECTORS, "utf8")) as { cases: unknown[] }).cases.length;
const rows: Row[] = [];
const print = (r: Row) => {
  rows.push(r);
  console.log(`\n${HEADER}\n${formatRow(r)}`);
};

function check(r: Row, runtime: string): void {
  print(r);
  assert.is(r.runtime, runtime, `${r.platform}: lockstep detected runtime ${r.runtime}`);
  assert.is(r.cases, total, `${r.platform}: computed ${r.cases} of ${total} cases`);
  const rebuilt = r.mismatches && kernelHash() !== kernelAtStart ? " (build/lockstep.wasm was rebuilt during this run: run the tests again)" : "";
  assert.is(r.mismatches, 0, `${r.platform}: ${r.mismatches} mismatches${rebuilt}; ${formatRow(r)}`);
  assert.is(r.matches, total);
}

test.before(async () => {
  await freshBundles();
});

test("node main thread", async () => check(await nodeMain(), "node"));
test("node worker_threads", async () => check(await nodeWorker(), "node"));

test("chromium main thread and Web Worker", async () => {
  const t0 = performance.now();
  const site = await chromiumSite();
  const server = await serveStatic({ "/lockstep/": BUNDLE_DIR, "/": site.dir });
  const browser = await launchChromium();
  const launchMs = Math.round(performance.now() - t0);
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    const main = await chromium(page, server.url, "main");
    main.wallMs += launchMs; // the browser's start counts against the first runner
    check(main, "browser");
    check(await chromium(page, server.url, "worker"), "worker");
  } finally {
    await browser.close();
    await server.close();
    site.remove();
  }
});

test("deno", async () => check(await deno(), "deno"));
test("bun", async () => check(await bun(), "bun"));
test("workerd", async () => check(await workerd(), "workerd"));

test.after(() => {
  console.log(`\nconformance matrix (${total} cases each; kernel build/lockstep.wasm sha256 ${kernelAtStart}…):\n${HEADER}\n${rows.map(formatRow).join("\n")}`);
});

test.run();
