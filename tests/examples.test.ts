// Every example runs: the Node script, the Deno script, the browser Web Worker page (in
// Chromium) and the Cloudflare Worker (a real workerd serving examples/cloudflare-worker/config.capnp).
// All four give the same samples, byte for byte, as the sources compute here.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ready, fromJSON } from "../src/index.js";
import { decode } from "../src/io/index.js";
import { serveStatic } from "../demo/static-server.mjs";
import { buildExample } from "../examples/browser-worker/build.mjs";
import { BIN, ROOT, freshBundles, launchChromium, run, scratch, startWorkerd } from "./conformance/platforms.js";

await ready();
await freshBundles();

const RECIPE = {
  type: "Compose",
  transforms: [
    { type: "RandomResizedCrop", size: 224 },
    { type: "RandomHorizontalFlip" },
    { type: "ColorJitter", brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 },
  ],
};
const sha = (d: Uint8Array) => createHash("sha256").update(d).digest("hex");
const chelsea = await decode(readFileSync(join(ROOT, "samples/chelsea.png")));
const expected = [0, 1, 2, 3].map((index) => {
  const { output, record } = fromJSON(RECIPE as never).applyWithRecord(chelsea, { seed: 42, epoch: 0, index });
  return { index, params: record.params, sha256: sha(output.data as Uint8Array) };
});
const lines = (out: string) =>
  out
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { index: number; params: unknown; sha256: string; runtime?: string });

test("examples/node.mjs: samples and PNG files", async () => {
  const out = scratch("example-node");
  try {
    const { stdout } = await run(process.execPath, [
      "--import",
      "tsx",
      "--import",
      "./tests/conformance/use-src.mjs",
      "examples/node.mjs",
      "samples/chelsea.png",
      out.dir,
    ]);
    assert.equal(lines(stdout), expected);
    for (const e of expected) {
      const png = await decode(readFileSync(join(out.dir, `sample-${e.index}.png`)));
      assert.is(sha(png.data), e.sha256, `sample-${e.index}.png holds the sample's pixels`);
    }
  } finally {
    out.remove();
  }
});

test("examples/deno.ts: the same samples in Deno", async () => {
  if (!existsSync(join(ROOT, "dist/io/index.js")))
    throw new Error("dist/ is missing (lockstep/io resolves to dist/io/index.js in Deno): run `npm run build`");
  const { stdout } = await run(BIN("deno"), ["run", "--allow-read", "examples/deno.ts", "samples/chelsea.png"]);
  const got = lines(stdout);
  assert.equal(
    got.map((l) => l.runtime),
    ["deno", "deno", "deno", "deno"],
  );
  assert.equal(
    got.map(({ index, params, sha256 }) => ({ index, params, sha256 })),
    expected,
  );
});

test("examples/browser-worker: the same samples from a Web Worker in Chromium", async () => {
  const site = scratch("example-browser");
  await buildExample(site.dir);
  const server = await serveStatic({ "/": site.dir });
  const browser = await launchChromium();
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(server.url);
    await page.waitForFunction(() => document.body.dataset.results || document.body.dataset.error, undefined, { timeout: 60_000 });
    assert.is(await page.evaluate(() => document.body.dataset.error), undefined);
    assert.equal(JSON.parse((await page.evaluate(() => document.body.dataset.results))!), expected);
  } finally {
    await browser.close();
    await server.close();
    site.remove();
  }
});

test("examples/cloudflare-worker: workerd augments an upload and returns PNG + params", async () => {
  const server = await startWorkerd(join(ROOT, "examples/cloudflare-worker/config.capnp"), "http", ROOT);
  try {
    const body = readFileSync(join(ROOT, "samples/chelsea.png"));
    const r = await fetch(`${server.url}?seed=42&epoch=0&index=2`, { method: "POST", body });
    assert.is(r.status, 200, await r.clone().text());
    assert.is(r.headers.get("content-type"), "image/png");
    const png = await decode(new Uint8Array(await r.arrayBuffer()));
    assert.is(sha(png.data), expected[2]!.sha256, "the PNG holds the sample's pixels");
    assert.is(r.headers.get("x-lockstep-sha256"), expected[2]!.sha256);
    assert.equal(JSON.parse(r.headers.get("x-lockstep-params")!), expected[2]!.params);

    const custom = encodeURIComponent(JSON.stringify({ type: "RandomCrop", size: 17 }));
    const c = await fetch(`${server.url}?seed=18446744073709551615&index=9&pipeline=${custom}`, { method: "POST", body });
    assert.is(c.status, 200);
    const want = fromJSON({ type: "RandomCrop", size: 17 }).apply(chelsea, { seed: 18446744073709551615n, index: 9 });
    assert.is(c.headers.get("x-lockstep-sha256"), sha(want.data as Uint8Array));

    const bad = await fetch(`${server.url}?seed=-1`, { method: "POST", body });
    assert.is(bad.status, 400);
    assert.match(await bad.text(), /seed must be a non-negative integer/);
    const junk = await fetch(server.url, { method: "POST", body: "not an image" });
    assert.is(junk.status, 400);
    assert.match(await junk.text(), /decode:/);
    assert.is((await fetch(server.url)).status, 405);
  } finally {
    await server.stop();
  }
  assert.is(server.child.exitCode !== null || server.child.signalCode !== null, true, "workerd stopped");
});

test.run();
