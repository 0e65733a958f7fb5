// Host side of the conformance runners: starts each platform, hands it the vector file, and
// collects its summary (one row of the matrix). A platform that cannot start throws an Error
// that says why and how to fix it: never a skip.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import * as esbuild from "esbuild";
import type { Summary, Vectors } from "./compute.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const VECTORS = join(ROOT, "tests/conformance/vectors.json");
export const BUNDLE_DIR = join(ROOT, "build");
export const BIN = (name: string) => join(ROOT, "node_modules/.bin", name);
export const CHROMIUM = process.env.LOCKSTEP_CHROMIUM ?? "/usr/bin/chromium";

/** Chromium flags for headless runs as root on a machine without a GPU (see PLATFORMS.md). */
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--enable-unsafe-webgpu"];

export interface Row extends Summary {
  /** Wall-clock milliseconds for the whole runner: start, load, compute, stop. */
  wallMs: number;
}

/** Fresh package bundles in build/, next to the kernel (written atomically by scripts/bundle.mjs). */
let bundled: Promise<unknown> | undefined;
export function freshBundles(): Promise<unknown> {
  bundled ??= import(join(ROOT, "scripts/bundle.mjs")).then((m: { bundle(): Promise<unknown> }) => m.bundle());
  return bundled;
}

/** A scratch folder under the system temp dir, removed by the returned function. */
export function scratch(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `lockstep-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Bundles a runner entry with "lockstep" left as an import of `lockstep` (a path or module name):
 * the runner then exercises the packaged bundle, not a private copy of the sources.
 */
export async function bundleRunner(entry: string, outfile: string, lockstep: string, platform: "browser" | "neutral" = "neutral", external: string[] = [], io?: string): Promise<void> {
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: "esm",
    target: "es2022",
    platform,
    logLevel: "silent",
    external: ["node:*", ...external],
    plugins: [
      {
        name: "lockstep-external",
        setup: (b) => {
          b.onResolve({ filter: /^lockstep$/ }, () => ({ path: lockstep, external: true }));
          // lockstep/io: the build the platform's users import (`io`), or bundled from the sources
          if (io) b.onResolve({ filter: /^lockstep\/io$/ }, () => ({ path: io, external: true }));
        },
      },
    ],
  });
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Throws "<what> cannot start: <path> is missing; <fix>" when `path` does not exist. */
export function need(path: string, what: string, fix: string): void {
  if (!existsSync(path)) throw new Error(`${what} cannot start: ${path} is missing; ${fix}`);
}

/** Runs a command to completion; resolves with its output, rejects with a message naming the command. */
export function run(cmd: string, args: string[], opts: { cwd?: string; timeoutMs?: number; input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? ROOT, stdio: ["pipe", "pipe", "pipe"], env: { ...(opts.env ?? process.env), NO_COLOR: "1" } });
    let stdout = "", stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 60_000);
    child.once("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`${cmd} could not start: ${e.message}`));
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${cmd} ${args.join(" ")} exited with ${signal ?? code}:\n${(stderr || stdout).slice(-3000)}`));
    });
    child.stdin.on("error", () => undefined); // EPIPE when the command exits without reading: its exit status says why
    child.stdin.end(opts.input ?? "");
  });
}

/** The summary a runner printed as its last line of output. */
export function lastJsonLine(out: string, who: string): Summary {
  const line = out.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as Summary;
  } catch {
    throw new Error(`${who} printed no summary; its output ended with:\n${out.slice(-2000)}`);
  }
}

/** What each WebGPU row needs, added to the error when its runtime finds no usable adapter. */
const GPU_NEEDS: Record<string, string> = {
  node: "Node's adapter is Dawn from the npm package `webgpu` (a devDependency: `npm ci`) on SwiftShader, VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json (apt-get install chromium), and a private XDG_RUNTIME_DIR (tests/helpers/gpu-env.ts sets both)",
  deno: "Deno's navigator.gpu needs a Vulkan driver: Mesa llvmpipe (apt-get install mesa-vulkan-drivers libvulkan1; .ci/run does)",
  chromium: "Chromium needs --enable-unsafe-webgpu (CHROMIUM_ARGS) and its bundled SwiftShader (/usr/lib/chromium/libvk_swiftshader.so, Debian's chromium package)",
};

async function gpuNeeds<T>(backend: string, who: keyof typeof GPU_NEEDS, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (backend !== "wasm" && /no usable WebGPU adapter/.test(String((e as Error)?.message))) throw new Error(`${(e as Error).message}\nWhat the ${who} WebGPU row needs: ${GPU_NEEDS[who]}`);
    throw e;
  }
}

/** Runs a runner and adds its wall-clock time to the summary. */
export async function timed(f: () => Promise<Summary>): Promise<Row> {
  const t0 = performance.now();
  const s = await f();
  return { ...s, wallMs: Math.round(performance.now() - t0) };
}

/**
 * Node main thread: the TypeScript sources through tsx, in this process. With backend
 * "webgpu", the adapter comes from the npm package `webgpu` (Dawn) on SwiftShader
 * (tests/helpers/gpu-env.ts points VK_ICD_FILENAMES at Chromium's ICD); the row opens its own
 * device (the time counts) and closes it at the end.
 */
export function nodeMain(backend = "wasm"): Promise<Row> {
  return timed(async () => {
    if (backend !== "wasm") await import("../helpers/gpu-env.js");
    const lockstep = await import("../../src/index.js");
    const { decode } = await import("../../src/io/index.js");
    const { runVectors } = await import("./compute.js");
    await lockstep.ready();
    const vectors = JSON.parse(readFileSync(VECTORS, "utf8")) as Vectors;
    if (backend === "wasm") return runVectors({ ...lockstep, decode } as never, vectors, { platform: "node main thread", backend });
    lockstep.releaseGpu();
    try {
      return await gpuNeeds(backend, "node", () => runVectors(lockstep as never, vectors, { platform: "node main thread", backend }));
    } finally {
      lockstep.releaseGpu();
    }
  });
}

/** Node worker_threads: the sources through tsx, in a worker. */
export function nodeWorker(backend = "wasm"): Promise<Row> {
  return timed(async () => {
    const entry = new URL("./runners/node-worker.ts", import.meta.url).href;
    const boot = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
    const worker = new Worker(boot, { eval: true, workerData: { vectors: VECTORS, backend } });
    try {
      return await new Promise<Summary>((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", (e: Error) => reject(new Error(`the worker_threads runner failed: ${e.message}`)));
        worker.once("exit", (code) => reject(new Error(`the worker_threads runner exited (${code}) without a summary`)));
      });
    } finally {
      await worker.terminate();
    }
  });
}

/**
 * Deno (`deno run --allow-read`) on the packaged server bundle. With backend "webgpu" it uses
 * Deno's own navigator.gpu, which finds Mesa llvmpipe through the system's Vulkan loader
 * (VK_ICD_FILENAMES, set for Node's Dawn, is left out) with a private XDG_RUNTIME_DIR.
 */
export function deno(backend = "wasm"): Promise<Row> {
  return gpuNeeds(backend, "deno", () => serverRuntime("deno", [BIN("deno"), "run", "--allow-read"], backend));
}

/** Bun on the packaged server bundle. */
export function bun(backend = "wasm"): Promise<Row> {
  return serverRuntime("bun", [BIN("bun")], backend);
}

async function serverRuntime(name: string, command: string[], backend: string): Promise<Row> {
  need(command[0]!, name, "`npm ci` installs it (devDependency)");
  await freshBundles();
  const tmp = scratch(name);
  try {
    const runner = join(tmp.dir, "runner.mjs");
    await bundleRunner(fileURLToPath(new URL("./runners/server.ts", import.meta.url)), runner, join(BUNDLE_DIR, "server.js"), "neutral", [], join(ROOT, "dist/io/index.js"));
    const env = { ...process.env };
    if (backend !== "wasm") {
      delete env.VK_ICD_FILENAMES;
      const xdg = join(tmp.dir, "xdg");
      mkdirSync(xdg, { mode: 0o700 });
      env.XDG_RUNTIME_DIR = xdg;
    }
    return await timed(async () => {
      const { stdout } = await run(command[0]!, [...command.slice(1), runner, VECTORS, backend], { cwd: tmp.dir, env, timeoutMs: 120_000 });
      return lastJsonLine(stdout, name);
    });
  } finally {
    tmp.remove();
  }
}

/** Starts `workerd serve config` on a free 127.0.0.1 port; resolves once it answers. */
export async function startWorkerd(config: string, socket = "http", cwd?: string): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  need(BIN("workerd"), "workerd", "`npm ci` installs it (devDependency)");
  let lastError = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(BIN("workerd"), ["serve", config, "--socket-addr", `${socket}=127.0.0.1:${port}`], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout!.on("data", (d) => (log += d));
    child.stderr!.on("data", (d) => (log += d));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(child.pid!, "SIGTERM");
        const timer = setTimeout(() => child.exitCode === null && process.kill(child.pid!, "SIGKILL"), 5000);
        await exited;
        clearTimeout(timer);
      }
    };
    const url = `http://127.0.0.1:${port}/`;
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && child.exitCode === null) {
      try {
        await fetch(url, { signal: AbortSignal.timeout(2000) });
        return { url, child, stop };
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    await stop();
    lastError = log.slice(-3000);
    if (!/address already in use|bind/i.test(lastError)) break;
  }
  throw new Error(`workerd could not start:\n${lastError}`);
}

/** workerd: a real `workerd serve` with the kernel as a wasm module binding, queried over HTTP. */
export async function workerd(backend = "wasm"): Promise<Row> {
  await freshBundles();
  const tmp = scratch("workerd");
  try {
    await bundleRunner(fileURLToPath(new URL("./runners/workerd.ts", import.meta.url)), join(tmp.dir, "runner.js"), "lockstep", "neutral", ["./lockstep.wasm"], "lockstep/io");
    copyFileSync(join(BUNDLE_DIR, "workerd.js"), join(tmp.dir, "lockstep.js"));
    copyFileSync(join(BUNDLE_DIR, "io.js"), join(tmp.dir, "io.js"));
    copyFileSync(join(BUNDLE_DIR, "lockstep.wasm"), join(tmp.dir, "lockstep.wasm"));
    writeFileSync(
      join(tmp.dir, "config.capnp"),
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .runner) ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);
const runner :Workerd.Worker = (
  modules = [
    (name = "runner.js", esModule = embed "runner.js"),
    (name = "lockstep", esModule = embed "lockstep.js"),
    (name = "lockstep/io", esModule = embed "io.js"),
    (name = "lockstep.wasm", wasm = embed "lockstep.wasm"),
  ],
  compatibilityDate = "2024-09-23",
);
`,
    );
    return await timed(async () => {
      const server = await startWorkerd(join(tmp.dir, "config.capnp"), "http", tmp.dir);
      try {
        const response = await fetch(`${server.url}?backend=${encodeURIComponent(backend)}`, { method: "POST", body: readFileSync(VECTORS), headers: { "content-type": "application/json" } });
        const text = await response.text();
        if (!response.ok) throw new Error(`workerd runner answered HTTP ${response.status}:\n${text.slice(0, 3000)}`);
        return JSON.parse(text) as Summary;
      } finally {
        await server.stop();
      }
    });
  } finally {
    tmp.remove();
  }
}

/** A headless Chromium (Debian's, through playwright-core) with a fresh profile. */
export async function launchChromium(): Promise<{ context: import("playwright-core").BrowserContext; close(): Promise<void> }> {
  need(CHROMIUM, "Chromium", "install it: apt-get install -y --no-install-recommends chromium (.ci/run does)");
  const { chromium } = await import("playwright-core");
  const profile = scratch("chromium");
  let context: import("playwright-core").BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile.dir, { headless: true, executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
  } catch (e) {
    profile.remove();
    throw new Error(`Chromium could not start (${CHROMIUM}): ${(e as Error).message.split("\n").slice(0, 8).join("\n")}`);
  }
  return {
    context,
    close: async () => {
      await context.close();
      profile.remove();
    },
  };
}

/** The served folder for the Chromium runners: page, runner bundle and vectors (the package bundle is mounted at /lockstep/). */
export async function chromiumSite(): Promise<{ dir: string; remove(): void }> {
  await freshBundles();
  const tmp = scratch("chromium-site");
  await bundleRunner(fileURLToPath(new URL("./runners/browser.ts", import.meta.url)), join(tmp.dir, "runner.js"), "/lockstep/browser.js", "browser", [], "/lockstep/io.js");
  copyFileSync(VECTORS, join(tmp.dir, "vectors.json"));
  writeFileSync(join(tmp.dir, "index.html"), `<!doctype html><meta charset="utf-8"><title>lockstep conformance</title><script type="module" src="./runner.js"></script><p>lockstep conformance runner</p>\n`);
  return tmp;
}

/** Runs the Chromium runner in `mode` on an open page of the served site. */
export function chromium(page: import("playwright-core").Page, siteUrl: string, mode: "main" | "worker", backend = "wasm"): Promise<Row> {
  return gpuNeeds(backend, "chromium", () => chromiumRunner(page, siteUrl, mode, backend));
}

async function chromiumRunner(page: import("playwright-core").Page, siteUrl: string, mode: "main" | "worker", backend: string): Promise<Row> {
  const errors: string[] = [];
  const onError = (e: Error) => errors.push(e.message);
  const onConsole = (m: import("playwright-core").ConsoleMessage) => m.type() === "error" && errors.push(m.text());
  page.on("pageerror", onError);
  page.on("console", onConsole);
  try {
    return await timed(async () => {
      await page.goto(`${siteUrl}?backend=${encodeURIComponent(backend)}`);
      try {
        await page.waitForFunction(() => typeof (globalThis as { conformance?: unknown }).conformance === "function", undefined, { timeout: 20_000 });
      } catch {
        throw new Error(`the Chromium runner page did not load: ${errors.join("; ") || "no error reported"}`);
      }
      try {
        return await page.evaluate((m) => (globalThis as unknown as { conformance(o: object): Promise<Summary> }).conformance({ mode: m }), mode);
      } catch (e) {
        throw new Error(`the Chromium ${mode} runner failed: ${(e as Error).message}${errors.length ? `\nconsole: ${errors.join("\n")}` : ""}`);
      }
    });
  } finally {
    page.off("pageerror", onError);
    page.off("console", onConsole);
  }
}

/**
 * One matrix row as text, ending with the engine that computed it (and the WebGPU adapter).
 * WebGPU rows add where the pixels were computed: "on gpu" cases ran
 * on the adapter, "on wasm" fell back under backend "auto" (ops without a WGSL shader), and
 * "refused" ended in the error the vectors expect (or another: then it is a mismatch).
 */
export function formatRow(r: Row): string {
  const first = r.first ? `  first mismatch: case ${r.first.n} ${r.first.name} pipeline=${JSON.stringify(r.first.pipeline)} expected=${JSON.stringify({ out: r.first.case.out, params: r.first.case.params, sha256: r.first.case.sha256, error: r.first.case.error })} got=${JSON.stringify(r.first.got)}` : "";
  const gpu = (x: number | undefined) => String(x ?? "-").padStart(7);
  const notRun = r.notPorted
    ? `  NOT RUN (not ported yet): ${r.notPorted} cases: ${r.notPortedTargetCases ?? 0} target cases and ${r.notPorted - (r.notPortedTargetCases ?? 0)} cases of ${(r.notPortedTypes ?? []).join(", ") || "no other types"}`
    : "";
  return `${r.platform.padEnd(22)} ${r.runtime.padEnd(8)} ${r.backend.padEnd(7)} ${String(r.cases).padStart(6)} ${String(r.matches).padStart(8)} ${String(r.mismatches).padStart(11)} ${gpu(r.gpu)} ${gpu(r.wasmFallback)} ${gpu(r.refused)} ${String(r.ms).padStart(8)} ${String(r.wallMs).padStart(8)}  ${[r.engine, r.adapter].filter(Boolean).join("; ")}${notRun}${first}`;
}

export const HEADER = `${"platform".padEnd(22)} ${"runtime".padEnd(8)} ${"backend".padEnd(7)} ${"cases".padStart(6)} ${"matches".padStart(8)} ${"mismatches".padStart(11)} ${"on gpu".padStart(7)} ${"on wasm".padStart(7)} ${"refused".padStart(7)} ${"calc ms".padStart(8)} ${"wall ms".padStart(8)}  engine; adapter`;

/** A WebGPU row's GPU work: cases on the GPU, applyBatch calls, the time to open the device. */
export function formatGpuWork(r: Row): string {
  return `${r.platform} (${r.adapter}): ${r.gpu} cases on the GPU in ${r.batches} applyBatch calls (device open + first batch ${r.setupMs} ms), ${r.wasmFallback} on wasm, ${r.refused} refused`;
}

/** A WebGPU row's fallbacks: the ops without a WGSL shader, with the number of cases each sent to wasm (most first). */
export function formatFallbacks(r: Row): string {
  const reasons = Object.entries(r.fallbacks ?? {}).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const ops = reasons.map(([why, n]) => `${/^the "(.+)" op has no WebGPU shader yet$/.exec(why)?.[1] ?? why} ${n}`);
  return `${r.wasmFallback} cases fell back to wasm under "auto" (op without a WGSL shader: cases): ${ops.join(", ") || "none"}`;
}
