// The package as users get it: `npm pack` of this checkout, installed into fresh apps with its
// production dependencies only (no devDependencies, nothing of src/), running the README's recipe
// (the training pipeline at seed 42, epoch 3, index 17, then the Loader over a PNG and a JPEG) from
// ES modules, CommonJS, strict TypeScript (`bundler` and `node16` resolution), an esbuild bundle for
// Node run from a folder without node_modules, an esbuild browser bundle and a Vite build in
// Chromium with the Loader at 2 Web Workers. Every setup must give the hashes this Node computes
// from the sources. The esbuild browser app also follows the README step by step: before its two
// files are copied, the errors must say which file to copy and where.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createHash } from "node:crypto";
import { copyFileSync, cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ready, Compose, RandomResizedCrop, RandomHorizontalFlip, ToTensor, Normalize, Loader, ArrayDataset } from "../src/index.js";
import { decode } from "../src/io/index.js";
import { serveStatic } from "../demo/static-server.mjs";
import { freshDist } from "./conformance/arm64.js";
import { BIN, ROOT, freshBundles, launchChromium, run, scratch } from "./conformance/platforms.js";
import { app, install, pack } from "./helpers/tarball.js";

interface Answer {
  sample: string;
  shape: number[];
  batches: string[];
}

const PHOTOS = ["chelsea.png", "rocket.jpg"]; // a PNG and a JPEG
// The apps' processes run as a user's would: without this suite's `--import tsx`.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "NODE_OPTIONS"));
const inApp = (cmd: string, args: string[], cwd: string, timeoutMs = 120_000) => run(cmd, args, { cwd, env, timeoutMs });
const photoPaths = PHOTOS.map((f) => join(ROOT, "samples", f));
const sha256 = (d: Uint8Array | Float32Array) => createHash("sha256").update(d).digest("hex");
const answer = (stdout: string, who: string): Answer => {
  const line = stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as Answer;
  } catch {
    throw new Error(`${who} printed no result:\n${stdout.slice(-2000)}`);
  }
};

/** Node's answer, from the sources in this process (workers 0: any count gives the same bytes). */
async function nodeAnswer(): Promise<Answer> {
  await ready();
  const files = photoPaths.map((p) => new Uint8Array(readFileSync(p)));
  const train = new Compose([
    new RandomResizedCrop(224),
    new RandomHorizontalFlip(),
    new ToTensor(),
    new Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
  ]);
  const x = train.apply(await decode(files[0]!), { seed: 42, epoch: 3, index: 17 });
  const loader = new Loader(new ArrayDataset(files), { pipeline: train, batchSize: files.length, seed: 42, epoch: 3, workers: 0, decode });
  const batches: string[] = [];
  for await (const b of loader) batches.push(sha256(b.data));
  return { sample: sha256(x.data), shape: "shape" in x ? x.shape : [], batches };
}

// What the tarball holds is what `npm ci` builds (CI) or the sources as they are now.
await freshDist();
await freshBundles();
((await import("../scripts/bundle.mjs")) as { finishDist(): boolean }).finishDist();

const tmp = scratch("tarball");
const packed = await pack(tmp.dir);
const apps = join(tmp.dir, "apps");
const pkg = await install(packed.file, apps);
const want = await nodeAnswer();
const seen: [string, Answer][] = [];

function check(setup: string, got: Answer): void {
  seen.push([setup, got]);
  assert.equal(got, want, `${setup} gives other bytes than Node`);
}

/** Builds started together (2 cores: their waits overlap); each test awaits its own. */
function early<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {}); // reported by the test that awaits it
  return p;
}

const tsApps = early(
  Promise.all(
    (["bundler", "node16"] as const).map(async (resolution) => {
      const dir = app(apps, `ts-${resolution}`, ["recipe.ts", "tsconfig.base.json", "node.mjs"]);
      const module = resolution === "bundler" ? "ESNext" : "node16";
      writeFileSync(
        join(dir, "tsconfig.json"),
        JSON.stringify({ extends: "./tsconfig.base.json", compilerOptions: { module, moduleResolution: resolution } }),
      );
      await inApp(BIN("tsc"), ["-p", "tsconfig.json"], dir, 180_000);
      return { resolution, dir };
    }),
  ),
);

const viteApp = early(
  (async () => {
    const dir = app(apps, "vite", ["recipe.mjs", "page.mjs"]);
    writeFileSync(
      join(dir, "index.html"),
      `<!doctype html><meta charset="utf-8"><title>lockstep in Vite</title><script type="module" src="./page.mjs"></script>\n`,
    );
    mkdirSync(join(dir, "public"));
    for (const p of photoPaths) copyFileSync(p, join(dir, "public", p.split("/").pop()!));
    await inApp(BIN("vite"), ["build", "--logLevel", "error"], dir, 180_000);
    return join(dir, "dist");
  })(),
);

test("tarball: LICENSE, the dist/ and build/ files the exports name, one kernel, no samples or source maps", () => {
  const files = packed.files.map((f) => f.path).sort();
  console.log(
    `\nnpm pack: ${packed.file.split("/").pop()} ${(packed.size / 1024).toFixed(0)} KiB packed, ${(packed.unpackedSize / 1024).toFixed(0)} KiB unpacked, ${files.length} files`,
  );
  for (const f of [
    "LICENSE",
    "README.md",
    "package.json",
    "dist/index.js",
    "dist/index.d.ts",
    "dist/index.cjs",
    "dist/io/index.cjs",
    "dist/platform/kernel.js",
    "dist/cli/main.js",
  ])
    assert.ok(files.includes(f), `${f} is not in the tarball`);
  assert.equal(
    files.filter((f) => f.startsWith("build/")),
    [
      "build/browser.js",
      "build/data.browser.js",
      "build/data.server.js",
      "build/data.workerd.js",
      "build/extend.browser.js",
      "build/extend.server.js",
      "build/extend.workerd.js",
      "build/gpu.browser.js",
      "build/gpu.server.js",
      "build/gpu.workerd.js",
      "build/io.js",
      "build/lockstep.wasm",
      "build/random.browser.js",
      "build/random.server.js",
      "build/random.workerd.js",
      "build/server.js",
      "build/worker.js",
      "build/workerd.js",
    ],
  );
  assert.equal(
    files.filter((f) => f.endsWith(".wasm")),
    ["build/lockstep.wasm"],
    "the kernel is shipped once",
  );
  const stray = files.filter((f) => /\.map$|^(samples|assembly|examples|src|tests|bench|demo|python|scripts)\//.test(f));
  assert.equal(stray, [], "source maps of unshipped sources, photos or repository folders");
  assert.match(readFileSync(join(pkg, "LICENSE"), "utf8"), /^MIT License\n\nCopyright/);
  const manifest = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")) as {
    license: string;
    exports: object;
    bin: Record<string, string>;
  };
  assert.is(manifest.license, "MIT");
  // Every file the exports map and bin name is in the tarball.
  const targets: string[] = [];
  const walk = (v: unknown): void => void (typeof v === "string" ? targets.push(v) : Object.values(v as object).forEach(walk));
  walk(manifest.exports);
  walk(manifest.bin);
  for (const t of targets) assert.ok(files.includes(t.replace(/^\.\//, "")), `package.json names ${t}, which is not in the tarball`);
});

test("tarball: the Node entry carries the kernel it was packed with", async () => {
  const { kernelBytes, kernelOrigin } = (await import(pathToFileURL(join(pkg, "dist/platform/kernel.js")).href)) as {
    kernelBytes(): Promise<Uint8Array>;
    kernelOrigin: string;
  };
  assert.is(kernelOrigin, "embedded");
  assert.equal(Buffer.from(await kernelBytes()), readFileSync(join(pkg, "build/lockstep.wasm")));
  assert.equal(readFileSync(join(pkg, "build/lockstep.wasm")), readFileSync(join(ROOT, "build/lockstep.wasm")));
});

test("ES modules: import, the Loader at 2 worker threads (its own, and made by a `worker` factory from lockstep/worker)", async () => {
  const dir = app(apps, "esm", ["recipe.mjs", "node.mjs"]);
  check(
    "Node ESM (workers 2)",
    answer((await inApp(process.execPath, ["node.mjs", "recipe.mjs", "2", ...photoPaths], dir)).stdout, "the ESM app"),
  );
  check(
    "Node ESM (workers 2, worker factory)",
    answer((await inApp(process.execPath, ["node.mjs", "recipe.mjs", "2", "--worker-factory", ...photoPaths], dir)).stdout, "the ESM app"),
  );
});

test("CommonJS: require('lockstep') and require('lockstep/io')", async () => {
  const dir = app(apps, "cjs", ["main.cjs"], { type: "commonjs" });
  check("Node CommonJS", answer((await inApp(process.execPath, ["main.cjs", ...photoPaths], dir)).stdout, "the CommonJS app"));
});

test("TypeScript strict (skipLibCheck off, no @types/node): moduleResolution bundler and node16", async () => {
  for (const { resolution, dir } of await tsApps) {
    const out = await inApp(process.execPath, ["node.mjs", "out/recipe.js", "0", ...photoPaths], dir);
    check(`TypeScript (${resolution})`, answer(out.stdout, `the TypeScript (${resolution}) app`));
  }
});

test("esbuild bundle for Node, run from a folder without node_modules: kernel inside, Loader workers from lockstep/worker beside it", async () => {
  const dir = app(apps, "esbuild-node", ["recipe.mjs", "serverless.mjs"]);
  // The README's command line.
  await inApp(
    BIN("esbuild"),
    ["serverless.mjs", "worker=lockstep/worker", "--bundle", "--platform=node", "--format=esm", "--outdir=out", "--log-level=error"],
    dir,
  );
  const deploy = join(tmp.dir, "deploy"); // nothing of lockstep or its dependencies is reachable from here
  cpSync(join(dir, "out"), deploy, { recursive: true });
  writeFileSync(join(deploy, "package.json"), JSON.stringify({ type: "module" }));
  assert.equal(readdirSync(deploy).sort(), ["package.json", "serverless.js", "worker.js"]);
  check(
    "esbuild --platform=node (workers 2)",
    answer((await inApp(process.execPath, ["serverless.js", "2", ...photoPaths], deploy)).stdout, "the Node bundle"),
  );
  // Without the worker entry beside it, the Loader says what to bundle.
  const alone = join(tmp.dir, "deploy-alone");
  mkdirSync(alone);
  for (const f of ["serverless.js", "package.json"]) copyFileSync(join(deploy, f), join(alone, f));
  const failed = await inApp(process.execPath, ["serverless.js", "2", ...photoPaths], alone).then(
    () => "",
    (e: Error) => e.message,
  );
  assert.match(failed, /workers keep failing to start: .*worker\.js.*add the entry point `worker=lockstep\/worker`/s);
});

let chromium: Awaited<ReturnType<typeof launchChromium>> | undefined;

/** Opens `page` of a folder served on 127.0.0.1 and returns what the app put in window.lockstepResult. */
async function inChromium(dir: string, page = "index.html"): Promise<Answer & { error?: string }> {
  chromium ??= await launchChromium();
  const server = await serveStatic({ "/": dir });
  const tab = await chromium.context.newPage();
  try {
    await tab.goto(`${server.url}${page}`);
    await tab.waitForFunction(() => (globalThis as { lockstepResult?: unknown }).lockstepResult, null, { timeout: 120_000 });
    return await tab.evaluate(() => (globalThis as unknown as { lockstepResult: Answer & { error?: string } }).lockstepResult);
  } finally {
    await tab.close();
    await server.close();
  }
}

test("esbuild browser bundle in Chromium, the README's steps: errors name what to copy, then 2 Web Workers give Node's bytes", async () => {
  const dir = app(apps, "esbuild-browser", ["recipe.mjs", "page.mjs"]);
  for (const p of photoPaths) copyFileSync(p, join(dir, p.split("/").pop()!));
  writeFileSync(
    join(dir, "index.html"),
    `<!doctype html><meta charset="utf-8"><title>lockstep with esbuild</title><script type="module" src="./out/app.js"></script>\n`,
  );
  await inApp(BIN("esbuild"), ["page.mjs", "--bundle", "--format=esm", "--outfile=out/app.js", "--log-level=error"], dir);
  // esbuild does not follow new URL(…, import.meta.url): the kernel is missing, and the error says where it belongs.
  const noKernel = await inChromium(dir);
  assert.match(
    noKernel.error ?? "",
    /could not fetch the kernel from http:\/\/127\.0\.0\.1:\d+\/out\/lockstep\.wasm: HTTP 404; the kernel is node_modules\/lockstep\/build\/lockstep\.wasm: .*copy that file so that it is served at http:\/\/127\.0\.0\.1:\d+\/out\/lockstep\.wasm/,
  );
  copyFileSync(join(pkg, "build/lockstep.wasm"), join(dir, "out/lockstep.wasm"));
  const noWorker = await inChromium(dir);
  assert.match(
    noWorker.error ?? "",
    /workers keep failing to start: .*copy node_modules\/lockstep\/build\/worker\.js so that it is served there/,
  );
  assert.match(noWorker.error ?? "", /expected at http:\/\/127\.0\.0\.1:\d+\/out\/worker\.js/);
  copyFileSync(join(pkg, "build/worker.js"), join(dir, "out/worker.js"));
  check("esbuild browser bundle, Chromium (2 Web Workers)", await inChromium(dir));
});

test("Vite build in Chromium: the kernel and the worker emitted by Vite itself, 2 Web Workers give Node's bytes", async () => {
  const dist = await viteApp;
  const assets = readdirSync(join(dist, "assets"));
  assert.ok(
    assets.some((f) => /^lockstep-[\w-]+\.wasm$/.test(f)),
    `Vite emitted no lockstep*.wasm: ${assets.join(", ")}`,
  );
  assert.ok(
    assets.some((f) => /^worker-[\w-]+\.js$/.test(f)),
    `Vite emitted no worker chunk: ${assets.join(", ")}`,
  );
  check("Vite build, Chromium (2 Web Workers)", await inChromium(dist));
});

test.after(async () => {
  await chromium?.close();
  tmp.remove();
  if (seen.length)
    console.log(
      `\nREADME recipe from the packed tarball (sample sha256 | batch sha256):\n${seen.map(([s, a]) => `  ${s.padEnd(48)} ${a.sample.slice(0, 16)}… | ${a.batches.map((b) => `${b.slice(0, 16)}…`).join(", ")}`).join("\n")}\n  ${"Node, from the sources".padEnd(48)} ${want.sample.slice(0, 16)}… | ${want.batches.map((b) => `${b.slice(0, 16)}…`).join(", ")}`,
    );
});

test.run();
