// The demo page in real Chromium: it loads, computes the grid in a Web Worker, the main-thread
// button recomputes it with every hash matching, and the hashes equal Node's for the same photo,
// pipeline, seed and epoch. Saves a screenshot to test-output/demo.png.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { ready, fromJSON } from "../src/index.js";
import { decode } from "../src/io/index.js";
import { buildDemo } from "../demo/build.mjs";
import { serveStatic } from "../demo/static-server.mjs";
import { DEFAULT_PIPELINE, DETECTION_PIPELINE, demoTargets, targetsText } from "../demo/grid.js";
import { ROOT, launchChromium, scratch } from "./conformance/platforms.js";

await ready();

async function nodeCells(photo: string, seed: number, epoch: number, count: number) {
  const image = await decode(readFileSync(join(ROOT, "samples", photo)));
  const t = fromJSON(DEFAULT_PIPELINE as never);
  return Array.from({ length: count }, (_, index) => {
    const { output, record } = t.applyWithRecord(image, { seed, epoch, index });
    const d = output.data;
    return {
      index,
      sha256: createHash("sha256")
        .update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength))
        .digest("hex"),
      params: JSON.stringify(record.params),
    };
  });
}

test("demo: Web Worker grid, main-thread recompute, Node hashes, screenshot", async () => {
  const site = scratch("demo");
  await buildDemo(site.dir, { minify: true });
  const server = await serveStatic({ "/": site.dir });
  const browser = await launchChromium();
  const errors: string[] = [];
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on("pageerror", (e) => errors.push(e.message));
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.goto(server.url);
    const settled = async (state: string) => {
      await page
        .waitForFunction((s) => ["error", s].includes(document.querySelector("#status")?.getAttribute("data-state") ?? ""), state, {
          timeout: 60_000,
        })
        .catch(async (e: Error) => {
          throw new Error(`${e.message}; status: ${await page.textContent("#status")}; page errors: ${errors.join("; ")}`);
        });
      const status = await page.textContent("#status");
      assert.is(await page.getAttribute("#status", "data-state"), state, `demo status: ${status} ${errors.join("; ")}`);
    };
    const shown = () =>
      page.$$eval("#grid figure", (fs) =>
        fs.map((f) => ({
          index: Number(f.getAttribute("data-index")),
          sha256: f.getAttribute("data-sha256"),
          params: f.getAttribute("data-params"),
        })),
      );

    // Default: the first photo, the training recipe, seed 0, epoch 0, 8 samples.
    await settled("ready");
    assert.equal(await shown(), await nodeCells("astronaut.png", 0, 0, 8), "Web Worker hashes vs Node");

    await page.click("#main");
    await settled("verified");
    assert.match((await page.textContent("#status")) ?? "", /all 8 of 8 hashes match/);
    const marks = await page.$$eval("#grid figure", (fs) =>
      fs.map((f) => [f.getAttribute("data-match"), f.getAttribute("data-main-sha256") === f.getAttribute("data-sha256")]),
    );
    assert.equal(
      marks,
      Array.from({ length: 8 }, () => ["true", true]),
    );

    mkdirSync(join(ROOT, "test-output"), { recursive: true });
    const shot = join(ROOT, "test-output/demo.png");
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(statSync(shot).size > 20_000, "screenshot written");

    // Another photo, seed and epoch.
    await page.fill("#seed", "12345678901234567");
    await page.fill("#epoch", "3");
    await page.fill("#count", "4");
    await page.$eval("#count", (e) => (e as HTMLInputElement).blur()); // commit it now, not when a button is clicked later
    await page.selectOption("#photo", "rocket.jpg");
    await page.waitForFunction(
      () => /rocket/.test(document.querySelector("#source")?.textContent ?? "") && document.querySelectorAll("#grid figure").length === 4,
      undefined,
      { timeout: 60_000 },
    );
    await settled("ready");
    const big = await shown();
    const image = await decode(readFileSync(join(ROOT, "samples/rocket.jpg")));
    const t = fromJSON(DEFAULT_PIPELINE as never);
    assert.is(big.length, 4);
    for (const c of big) {
      const { output } = t.applyWithRecord(image, { seed: 12345678901234567n, epoch: 3, index: c.index });
      assert.is(
        c.sha256,
        createHash("sha256")
          .update(new Uint8Array(output.data.buffer, output.data.byteOffset, output.data.byteLength))
          .digest("hex"),
        `rocket.jpg #${c.index}`,
      );
    }

    // The detection recipe: boxes, a mask and key points move with each sample, drawn over it;
    // image and targets hash the same in the Web Worker, on the main thread and in Node.
    await page.selectOption("#photo", "chelsea.png");
    await page.waitForFunction(() => /chelsea/.test(document.querySelector("#source")?.textContent ?? ""), undefined, { timeout: 60_000 });
    await settled("ready");
    await page.selectOption("#preset", "detection");
    await page.waitForFunction(() => document.querySelectorAll("#grid figure[data-targets-sha256]").length === 4, undefined, {
      timeout: 60_000,
    });
    await settled("ready");
    const det = await page.$$eval("#grid figure", (fs) =>
      fs.map((f) => ({
        index: Number(f.getAttribute("data-index")),
        sha256: f.getAttribute("data-sha256"),
        targets: f.getAttribute("data-targets-sha256"),
        boxes: JSON.parse(f.getAttribute("data-boxes") ?? "null"),
      })),
    );
    const chelsea = await decode(readFileSync(join(ROOT, "samples/chelsea.png")));
    const dt = fromJSON(DETECTION_PIPELINE as never);
    for (const c of det) {
      const { output } = dt.applyWithRecord(
        { image: chelsea, ...demoTargets(chelsea) },
        { seed: 12345678901234567n, epoch: 3, index: c.index },
      );
      const o = output as unknown as ReturnType<typeof demoTargets> & { image: { data: Float32Array } };
      const d = o.image.data;
      assert.is(
        c.sha256,
        createHash("sha256")
          .update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength))
          .digest("hex"),
        `detection #${c.index}: image`,
      );
      assert.is(c.targets, createHash("sha256").update(targetsText(o)).digest("hex"), `detection #${c.index}: targets`);
      assert.is(c.boxes.length, o.labels.length, "the boxes drawn are the sanitized ones");
    }
    await page.click("#main");
    await settled("verified");
    await page.screenshot({ path: join(ROOT, "test-output/demo-detection.png"), fullPage: true });
    assert.equal(errors, []);
  } finally {
    await browser.close();
    await server.close();
    site.remove();
  }
});

test.run();
