// The same loader in Chromium: Web Workers instead of worker_threads, the kernel posted as a
// WebAssembly.Module, files fetched and decoded in the workers. Batch hashes equal Node's.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createServer, type Server } from "node:http";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { ready } from "../src/index.js";
import { runConfig } from "./helpers/loader-browser-page.js";

const CHROMIUM = process.env.LOCKSTEP_CHROMIUM ?? "/usr/bin/chromium";
const root = fileURLToPath(new URL("..", import.meta.url));
const samples = ["chelsea.png", "rocket.jpg"]; // a PNG and a JPEG
const site = mkdtempSync(join(tmpdir(), "lockstep-loader-site-"));
const profile = mkdtempSync(join(tmpdir(), "lockstep-loader-chromium-"));
const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".jpg": "image/jpeg",
};

await ready();

async function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname).slice(1) || "index.html";
    const file = join(dir, name);
    if (name.includes("..") || !existsSync(file)) return void res.writeHead(404).end("not found");
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${address.port}/` };
}

test("Chromium with Web Workers (0 and 2) gives Node's batch hashes, in memory and from fetched files", async () => {
  assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: apt-get install -y --no-install-recommends chromium`);
  const common = {
    bundle: true,
    format: "esm" as const,
    platform: "browser" as const,
    target: "es2022",
    external: ["node:*"],
    logLevel: "error" as const,
  };
  await esbuild.build({ ...common, entryPoints: [join(root, "tests/helpers/loader-browser-page.ts")], outfile: join(site, "page.js") });
  await esbuild.build({ ...common, entryPoints: [join(root, "src/data/worker.ts")], outfile: join(site, "worker.js") });
  copyFileSync(join(root, "build/lockstep.wasm"), join(site, "lockstep.wasm"));
  for (const s of samples) copyFileSync(join(root, "samples", s), join(site, s));
  writeFileSync(join(site, "index.html"), '<!doctype html><meta charset="utf-8"><script type="module" src="./page.js"></script>\n');

  // Node's answers: inline (equal for any worker count, tests/loader.test.ts).
  const want = {
    memory: await runConfig("memory", { workers: 0 }),
    files: await runConfig("files", { workers: 0, files: samples.map((s) => join(root, "samples", s)) }),
  };
  assert.is(want.memory.length, 3);
  assert.is(want.files.length, 2);

  const { server, url } = await serve(site);
  const { chromium } = await import("playwright-core");
  const context = await chromium.launchPersistentContext(profile, {
    headless: true,
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(url);
    await page
      .waitForFunction(() => typeof (globalThis as { runLoader?: unknown }).runLoader === "function", undefined, { timeout: 20_000 })
      .catch(() => {
        throw new Error(`the page did not load: ${errors.join("; ")}`);
      });
    const files = samples.map((s) => url + s);
    for (const workers of [0, 2]) {
      const got = await page.evaluate(
        ([w, f]) => Promise.all([(globalThis as any).runLoader("memory", w, f), (globalThis as any).runLoader("files", w, f)]),
        [workers, files] as const,
      );
      assert.equal(got[0], want.memory, `memory, ${workers} Web Workers`);
      assert.equal(got[1], want.files, `files, ${workers} Web Workers`);
      assert.is(await page.evaluate(() => (globalThis as any).liveWorkers()), 0, "every Web Worker terminated");
    }
    assert.equal(errors, []);
  } finally {
    await context.close();
    await new Promise((r) => server.close(r));
  }
});

test.after(() => {
  rmSync(site, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
});
test.run();
