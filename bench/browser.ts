// Node against a Chromium page and a Chromium dedicated Web Worker on the same wasm (issue 16):
// the training recipe, the eval recipe, a 500×375 JPEG decode and a pure-kernel loop (resample
// in wasm memory, no JS↔wasm copies), interleaved in rounds in one run. Node runs the sources
// (as bench/table.ts does); Chromium runs the package's browser bundle, built fresh from the same
// sources into a scratch folder and served from 127.0.0.1. Every measurement is ~BENCH_SECONDS of
// whole steps timed inside its own host; each round measures every workload on the three hosts
// one after another (host order rotated per round), so a ratio compares neighbours in time on
// this shared machine. A ratio is the median of the per-round ratios. Outputs are compared
// across hosts (a digest of one step each) before anything is timed.
//
// Run: npm run bench:browser   (= npx tsx bench/browser.ts); an unfiltered run with stock
// Chromium writes bench/browser.md.
// Env: BENCH_SECONDS (per measurement, default 0.25), BENCH_ROUNDS (default 7), BENCH_WARM
// (seconds of warm-up per workload and host, default 1; the warm-up rates are printed too, they
// show tier-up), BENCH_ONLY (comma-separated workloads), BENCH_CHROMIUM_FLAGS (extra Chromium
// switches, for diagnostics only, e.g. "--js-flags=--no-liftoff"), LOCKSTEP_CHROMIUM (default
// /usr/bin/chromium).
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync, mkdirSync } from "node:fs";
import { loadavg, tmpdir, cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import * as lib from "../src/index.js";
import * as io from "../src/io/index.js";
import { serveStatic } from "../demo/static-server.mjs";
import { bundle } from "../scripts/bundle.mjs";
import { makeRunners, rate, WORKLOADS, W, H, type Inputs, type Workload } from "./browser-workloads.js";
import type { RunAnswer, RunMsg } from "./browser-host.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 0.25);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const WARM = Number(process.env.BENCH_WARM ?? 1);
const ONLY = (process.env.BENCH_ONLY ?? "").split(",").filter(Boolean);
const EXTRA = (process.env.BENCH_CHROMIUM_FLAGS ?? "").split(/\s+/).filter(Boolean);
const CHROMIUM = process.env.LOCKSTEP_CHROMIUM ?? "/usr/bin/chromium";
const ARGS = [
  "--no-sandbox",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  ...EXTRA,
];
const names = (Object.keys(WORKLOADS) as Workload[]).filter((w) => ONLY.length === 0 || ONLY.includes(w));
type Host = "node" | "page" | "worker";
const HOSTS: Host[] = ["node", "page", "worker"];

/**
 * CPU nanoseconds the process `pid` has run, all its threads (Linux /proc/<pid>/task/<tid>/schedstat).
 * On this shared machine wall time mostly measures the scheduler: steps per CPU-second measure
 * the code, the same way for Node (its own process) and Chromium (its renderer process, where
 * the page's and the worker's threads live).
 */
function cpuNs(pids: number[]): number {
  let ns = 0;
  for (const pid of pids) {
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, "utf8").split(" ")[0]);
      } catch {}
    }
  }
  return ns;
}

/** The renderer processes of the Chromium whose browser process was started with `profile`. */
function renderers(profile: string): number[] {
  const procs = readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        return { pid: Number(d), ppid, cmd: readFileSync(`/proc/${d}/cmdline`, "utf8").replace(/\0/g, " ") };
      } catch {
        return undefined;
      }
    })
    .filter((p) => p !== undefined);
  const browser = procs.find((p) => p.cmd.includes(profile) && !p.cmd.includes("--type="));
  if (!browser) return [];
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const under = (p: { ppid: number }): boolean => {
    for (let q = byPid.get(p.ppid), n = 0; q && n < 10; q = byPid.get(q.ppid), n++) if (q.pid === browser.pid) return true;
    return false;
  };
  return procs.filter((p) => p.cmd.includes("--type=renderer") && under(p)).map((p) => p.pid);
}

/** Minor page faults of the processes `pids` so far (field 10 of /proc/<pid>/stat). */
function minflt(pids: number[]): number {
  let n = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      n += Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[7]);
    } catch {}
  }
  return n;
}

/** Nice value of a process (field 19 of /proc/<pid>/stat). */
function niceOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
}

if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y --no-install-recommends chromium`);
const load0 = loadavg();

// ---------- inputs ----------
await lib.ready();
const photo = await io.decode(readFileSync(join(root, "samples/chelsea.png")), { mode: "RGB" });
const img = lib.F.resize(photo, [H, W]);
const inputs: Inputs = {
  rgb: img.data as Uint8Array,
  jpeg: await io.encodeJpeg(img, { quality: 90 }),
  wasm: new Uint8Array(readFileSync(join(root, "build/lockstep.wasm"))),
};

// ---------- the site: the package's bundles (fresh from src/) and the host page ----------
const site = mkdtempSync(join(tmpdir(), "lockstep-bench-browser-"));
const pkg = join(site, "lockstep");
mkdirSync(pkg);
await bundle({ outdir: pkg });
await esbuild.build({
  entryPoints: [join(root, "bench/browser-host.ts")],
  outfile: join(site, "host.js"),
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  logLevel: "error",
});
copyFileSync(join(root, "build/lockstep.wasm"), join(site, "kernel.wasm"));
writeFileSync(join(site, "img500.rgb"), inputs.rgb);
writeFileSync(join(site, "img500.jpg"), inputs.jpeg);
writeFileSync(
  join(site, "index.html"),
  '<!doctype html><meta charset="utf-8"><title>lockstep bench</title><script type="module" src="./host.js"></script>\n',
);
const server = await serveStatic({ "/lockstep/": pkg, "/": site });

const nodeRunners = await makeRunners(lib, io, inputs);
const { chromium } = await import("playwright-core");
const profile = mkdtempSync(join(tmpdir(), "lockstep-bench-chromium-"));
const context = await chromium.launchPersistentContext(profile, { headless: true, executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
let id = 0;
try {
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(server.url);
  await page
    .waitForFunction(() => typeof (globalThis as { bench?: unknown }).bench === "object", undefined, { timeout: 60_000 })
    .catch(() => {
      throw new Error(`the bench page did not load: ${errors.join("; ")}`);
    });
  const err = await page.evaluate(() => (globalThis as unknown as { bench: { ready(): Promise<string> } }).bench.ready());
  if (err) throw new Error(err);
  const cdp = await context.newCDPSession(page);
  const version = (await cdp.send("Browser.getVersion")) as { product: string; jsVersion: string };
  const pageInfo = await page.evaluate(() => ({ coi: globalThis.crossOriginIsolated, ua: navigator.userAgent }));

  const rpids = renderers(profile);
  if (rpids.length === 0) throw new Error("could not find Chromium's renderer process in /proc");
  const nice = { node: niceOf(process.pid) };

  /** One measurement: the host's own rate (steps per wall second) and steps per CPU second of its process. */
  const run = async (
    host: Host,
    workload: Workload,
    seconds: number,
    start: number,
  ): Promise<RunAnswer & { perCpuSecond: number; faults: number }> => {
    const m: RunMsg = { id: id++, workload, seconds, start };
    const pids = host === "node" ? [process.pid] : rpids;
    const f0 = minflt(pids);
    const c0 = cpuNs(pids);
    let a: RunAnswer;
    if (host === "node") {
      const r = nodeRunners[workload];
      if (seconds === 0) {
        r.step(start);
        a = { id: m.id, n: 1, ms: 0, perSecond: 0, check: r.check() };
      } else a = { id: m.id, ...rate(r, seconds, start), check: r.check() };
    } else {
      a = await page.evaluate(
        ([where, msg]) => (globalThis as unknown as { bench: { run(w: string, m: RunMsg): Promise<RunAnswer> } }).bench.run(where, msg),
        [host, m] as const,
      );
      if (a.error) throw new Error(`${host} ${workload}: ${a.error}`);
    }
    const cpu = (cpuNs(pids) - c0) / 1e9;
    return { ...a, perCpuSecond: cpu > 0 ? a.n / cpu : 0, faults: (minflt(pids) - f0) / a.n };
  };

  // Same output on every host (one step at a fixed index), before anything is timed.
  for (const w of names) {
    const got = await Promise.all(HOSTS.map((h) => run(h, w, 0, 5)));
    const [n, ...rest] = got.map((a) => a.check);
    if (rest.some((c) => c !== n))
      throw new Error(`${w}: the hosts disagree on the output (${got.map((a) => a.check.toString(16)).join(" ")})`);
  }

  // Warm-up (tier-up happens here; its rates are printed).
  const warm: Record<string, number> = {};
  for (const w of names) for (const h of HOSTS) warm[`${w}/${h}`] = (await run(h, w, WARM, 0)).perCpuSecond;
  // Which renderer does the work, and at what nice value (Chromium lowers some renderers' priority).
  const perPid0 = rpids.map((p) => cpuNs([p]));

  const rates: Record<string, number[]> = {};
  const ratios: Record<string, number[]> = {};
  const cpuRates: Record<string, number[]> = {};
  const cpuRatios: Record<string, number[]> = {};
  const faults: Record<string, number[]> = {};
  let start = 1000;
  for (let r = 0; r < ROUNDS; r++) {
    for (const w of names) {
      const order = HOSTS.map((_, i) => HOSTS[(i + r) % HOSTS.length]!);
      const got: Partial<Record<Host, number>> = {};
      const gotCpu: Partial<Record<Host, number>> = {};
      for (const h of order) {
        const a = await run(h, w, SECONDS, start);
        got[h] = a.perSecond;
        gotCpu[h] = a.perCpuSecond;
        (faults[`${w}/${h}`] ??= []).push(a.faults);
        (rates[`${w}/${h}`] ??= []).push(got[h]!);
        (cpuRates[`${w}/${h}`] ??= []).push(gotCpu[h]!);
      }
      start += 10_000;
      for (const h of ["page", "worker"] as const) {
        (ratios[`${w}/${h}`] ??= []).push(got[h]! / got.node!);
        (cpuRatios[`${w}/${h}`] ??= []).push(gotCpu[h]! / gotCpu.node!);
      }
    }
  }
  if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
  const perPid = rpids.map((p, i) => ({ pid: p, nice: niceOf(p), cpu: (cpuNs([p]) - perPid0[i]!) / 1e9 }));
  const busiest = perPid.reduce((a, b) => (b.cpu > a.cpu ? b : a));

  const med = (a: number[]) => {
    const s = [...a].sort((x, y) => x - y);
    const m = s.length >> 1;
    return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  };
  const f0 = (x: number) => Math.round(x).toLocaleString("en-US");
  const f2 = (x: number) => x.toFixed(2);
  const load1 = loadavg();
  const lines = [
    `Node ${process.version} (V8 ${process.versions.v8}) vs ${version.product} (V8 ${version.jsVersion}), headless, page and dedicated Worker; crossOriginIsolated ${pageInfo.coi}`,
    `${cpus().length} CPUs, load average ${load0.map((x) => x.toFixed(1)).join(" ")} at start, ${load1.map((x) => x.toFixed(1)).join(" ")} at end; nice: Node ${nice.node}, the renderer doing the work ${busiest.nice} (renderers ${perPid.map((p) => `${p.nice}: ${p.cpu.toFixed(1)} cpu-s`).join(", ")}); ${ROUNDS} rounds × ${SECONDS} s, ${WARM} s warm-up${EXTRA.length ? `; Chromium flags ${EXTRA.join(" ")}` : ""}`,
    "",
    "Per CPU second (steps ÷ CPU time of the host's process, /proc schedstat: the code's speed, independent of how the shared machine schedules it):",
    "",
    "| workload | Node /cpu-s | page /cpu-s | worker /cpu-s | page ÷ Node | worker ÷ Node | per-round page ÷ Node | per-round worker ÷ Node | page faults per step (Node, page, worker) |",
    "|---|---:|---:|---:|---:|---:|---|---|---|",
    ...names.map((w) => {
      const r = (h: Host) => med(cpuRates[`${w}/${h}`]!);
      const q = (h: "page" | "worker") => cpuRatios[`${w}/${h}`]!;
      return `| ${w} | ${f0(r("node"))} | ${f0(r("page"))} | ${f0(r("worker"))} | **${f2(med(q("page")))}×** | **${f2(med(q("worker")))}×** | ${q("page").map(f2).join(" ")} | ${q("worker").map(f2).join(" ")} | ${HOSTS.map((h) => med(faults[`${w}/${h}`]!).toFixed(1)).join(", ")} |`;
    }),
    "",
    "Per wall second (as each host's performance.now() sees it):",
    "",
    `| workload | Node /s | page /s | worker /s | page ÷ Node | worker ÷ Node | per-round page ÷ Node | first ${WARM} s, /cpu-s (Node, page, worker) |`,
    "|---|---:|---:|---:|---:|---:|---|---|",
    ...names.map((w) => {
      const r = (h: Host) => med(rates[`${w}/${h}`]!);
      const q = (h: "page" | "worker") => ratios[`${w}/${h}`]!;
      return `| ${w} | ${f0(r("node"))} | ${f0(r("page"))} | ${f0(r("worker"))} | **${f2(med(q("page")))}×** | **${f2(med(q("worker")))}×** | ${q("page").map(f2).join(" ")} | ${HOSTS.map((h) => f0(warm[`${w}/${h}`]!)).join(", ")} |`;
    }),
    "",
    ...names.map((w) => `- ${w}: ${WORKLOADS[w]}`),
  ];
  console.log(lines.join("\n"));
  // A full run with stock Chromium is the record; filtered or diagnostic runs only print.
  if (ONLY.length === 0 && EXTRA.length === 0)
    writeFileSync(
      join(root, "bench/browser.md"),
      `# Node vs Chromium on the same wasm (\`npm run bench:browser\`)\n\n${new Date().toISOString()}\n\n${lines.join("\n")}\n`,
    );
} finally {
  await context.close();
  await server.close();
  rmSync(site, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
}
