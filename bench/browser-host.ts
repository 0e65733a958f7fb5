// The Chromium side of bench/browser.ts, bundled to host.js: in the page it sets up the
// workloads and starts itself again as a dedicated module Worker; both answer the driver's
// "run workload w for s seconds" (the page through globalThis.bench, the worker through
// postMessage relayed by the page). lockstep is the package's browser bundle, served at
// /lockstep/ and imported at run time, as an app would load it.
import { makeRunners, rate, type Inputs, type Runner, type Workload } from "./browser-workloads.js";

type Lib = typeof import("../src/index.js");
type Io = typeof import("../src/io/index.js");

/** A run request and its answer. */
export interface RunMsg {
  id: number;
  workload: Workload;
  seconds: number;
  start: number;
}
export interface RunAnswer {
  id: number;
  n: number;
  ms: number;
  perSecond: number;
  check: number;
  error?: string;
}

async function fetchBytes(path: string): Promise<Uint8Array> {
  const r = await fetch(new URL(path, location.origin));
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

async function setup(): Promise<Record<Workload, Runner>> {
  const libUrl = new URL("/lockstep/browser.js", location.origin).href;
  const ioUrl = new URL("/lockstep/io.js", location.origin).href;
  const lib = (await import(libUrl)) as Lib;
  const io = (await import(ioUrl)) as Io;
  const inputs: Inputs = {
    rgb: await fetchBytes("/img500.rgb"),
    jpeg: await fetchBytes("/img500.jpg"),
    wasm: await fetchBytes("/lockstep/lockstep.wasm"),
  };
  return makeRunners(lib, io, inputs);
}

function answer(runners: Record<Workload, Runner>, m: RunMsg): RunAnswer {
  try {
    const r = runners[m.workload];
    if (m.seconds === 0) {
      r.step(m.start);
      return { id: m.id, n: 1, ms: 0, perSecond: 0, check: r.check() };
    }
    const got = rate(r, m.seconds, m.start);
    return { id: m.id, ...got, check: r.check() };
  } catch (e) {
    return { id: m.id, n: 0, ms: 0, perSecond: 0, check: 0, error: String((e as Error)?.stack ?? e) };
  }
}

const isPage = typeof document === "object";
const runnersP = setup();

if (isPage) {
  const worker = new Worker(new URL(import.meta.url), { type: "module" });
  const waiting = new Map<number, (a: RunAnswer) => void>();
  let workerReady: (v: string) => void;
  const workerUp = new Promise<string>((r) => (workerReady = r));
  worker.onmessage = (e: MessageEvent) => {
    const d = e.data as RunAnswer | { ready: true; error?: string };
    if ("ready" in d) return workerReady(d.error ?? "");
    waiting.get(d.id)?.(d);
    waiting.delete(d.id);
  };
  worker.onerror = (e) => workerReady(`worker error: ${e.message}`);
  (globalThis as unknown as { bench: unknown }).bench = {
    /** Resolves "" when the page and the worker are set up, else the error. */
    async ready(): Promise<string> {
      try {
        await runnersP;
      } catch (e) {
        return `page: ${String((e as Error)?.stack ?? e)}`;
      }
      return workerUp;
    },
    async run(where: "page" | "worker", m: RunMsg): Promise<RunAnswer> {
      if (where === "page") return answer(await runnersP, m);
      return new Promise<RunAnswer>((resolve) => {
        waiting.set(m.id, resolve);
        worker.postMessage(m);
      });
    },
  };
} else {
  runnersP.then(
    () => postMessage({ ready: true }),
    (e: unknown) => postMessage({ ready: true, error: `worker: ${String((e as Error)?.stack ?? e)}` }),
  );
  onmessage = async (e: MessageEvent) => postMessage(answer(await runnersP, e.data as RunMsg));
}
