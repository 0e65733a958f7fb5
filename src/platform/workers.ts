// The worker adapter: worker_threads in Node, Web Workers in browsers (and Deno, Bun). Runtime
// detection stays here; the data loader only sees spawnWorker() and workerPort().
import { runtime } from "./index.js";

/** What the owner of a worker hears from it. */
export interface WorkerEvents {
  message(data: unknown): void;
  /** An uncaught error in the worker, or a failure to start it. */
  error(error: Error): void;
  /** The worker is gone (Node reports the exit code; browsers never report an exit on their own). */
  exit(code: number): void;
}

/** A running worker. */
export interface WorkerHandle {
  post(message: unknown, transfer?: Transferable[]): void;
  /** Stops the worker; resolves once it has exited. */
  terminate(): Promise<void>;
  /** Node: whether this worker keeps the process alive (idle workers should not). No-op elsewhere. */
  ref(on: boolean): void;
}

/** The worker side of the channel. */
export interface WorkerPort {
  post(message: unknown, transfer?: Transferable[]): void;
  onMessage(handler: (data: unknown) => void): void;
}

interface NodeWorker {
  postMessage(m: unknown, t?: readonly unknown[]): void;
  terminate(): Promise<number>;
  ref(): void;
  unref(): void;
  on(event: string, f: (x: never) => void): void;
}

interface WebWorker {
  postMessage(m: unknown, t?: Transferable[]): void;
  terminate(): void;
  addEventListener(event: string, f: (e: { data?: unknown; message?: string; error?: unknown; preventDefault?(): void }) => void): void;
}

let live = 0;
/** How long terminate() waits for a worker's exit event before it stops holding the event loop. */
const EXIT_WAIT_MS = 10_000;

/** Workers started by {@link spawnWorker} that have not exited yet (in this thread). */
export function liveWorkers(): number {
  return live;
}

/** worker_threads on Node; Web Workers everywhere else (browsers, Deno, Bun). */
function isNode(): boolean {
  return runtime() === "node";
}

/**
 * The URL of module `stem` next to the module at `metaUrl` (pass `import.meta.url`): `stem.ts`
 * when running from TypeScript sources (tsx), `stem.js` otherwise (dist/, bundles).
 */
export function siblingModule(metaUrl: string, stem: string): URL {
  const ts = /\.ts(\?.*)?$/.test(new URL(metaUrl).pathname);
  return new URL(`./${stem}${ts ? ".ts" : ".js"}`, metaUrl);
}

/**
 * Starts a module worker running `entry`. In Node a `.ts` entry is booted through tsx (worker
 * threads do not inherit the parent's loader for their entry file); a `.js` entry runs directly.
 */
export async function spawnWorker(entry: URL | string, events: WorkerEvents): Promise<WorkerHandle> {
  const url = new URL(String(entry), (globalThis as { location?: { href: string } }).location?.href);
  if (isNode()) {
    const { Worker } = (await import("node:worker_threads")) as unknown as { Worker: new (s: string | URL, o?: object) => NodeWorker };
    const w = /\.ts$/.test(url.pathname)
      ? new Worker(`import(${JSON.stringify(tsxApi())}).then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })`, { eval: true, execArgv: withoutTsx() })
      : new Worker(url);
    live++;
    let exited = false;
    let done!: () => void;
    const gone = new Promise<void>((r) => (done = r));
    w.on("message", (d: never) => events.message(d));
    w.on("error", (e: never) => events.error(asError(e)));
    w.on("messageerror", (e: never) => events.error(asError(e)));
    w.on("exit", (code: never) => {
      exited = true;
      live--;
      done();
      events.exit(code);
    });
    return {
      post: (m, t) => w.postMessage(m, t as unknown as readonly unknown[]),
      terminate: async () => {
        if (exited) return;
        // A terminating worker does not keep Node's event loop alive (not even after ref()): a
        // program whose only work left is awaiting this exit would end silently with code 0
        // (e.g. after `break` in a `for await` over a Loader). A timer holds the loop until the
        // exit event arrives, and gives up after EXIT_WAIT_MS so a lost event cannot hang it.
        let hold: ReturnType<typeof setTimeout> | undefined;
        const limit = new Promise<void>((r) => (hold = setTimeout(r, EXIT_WAIT_MS)));
        try {
          await Promise.race([Promise.all([w.terminate(), gone]), limit]);
        } finally {
          clearTimeout(hold);
        }
      },
      ref: (on) => (on ? w.ref() : w.unref()),
    };
  }
  const Ctor = (globalThis as { Worker?: new (u: URL, o?: object) => WebWorker }).Worker;
  if (typeof Ctor !== "function") throw new Error("lockstep: this runtime has no Worker; use workers: 0");
  const w = new Ctor(url, { type: "module" });
  live++;
  let exited = false;
  const exit = (code: number) => {
    if (exited) return;
    exited = true;
    live--;
    w.terminate();
    events.exit(code);
  };
  w.addEventListener("message", (e) => events.message(e.data));
  w.addEventListener("error", (e) => {
    e.preventDefault?.();
    events.error(new Error(e.message || `worker ${url.href} failed to load or threw`));
  });
  w.addEventListener("messageerror", () => events.error(new Error("a message from the worker could not be deserialized")));
  return {
    post: (m, t) => w.postMessage(m, t ?? []),
    terminate: async () => exit(1),
    ref: () => {},
  };
}

/** Inside a worker: the channel to the thread that started it. */
export async function workerPort(): Promise<WorkerPort> {
  if (isNode()) {
    const { parentPort } = (await import("node:worker_threads")) as unknown as {
      parentPort: { postMessage(m: unknown, t?: readonly unknown[]): void; on(e: string, f: (d: unknown) => void): void } | null;
    };
    if (!parentPort) throw new Error("lockstep: workerPort() called outside a worker thread");
    return { post: (m, t) => parentPort.postMessage(m, t as unknown as readonly unknown[]), onMessage: (f) => parentPort.on("message", f) };
  }
  const self = globalThis as unknown as { postMessage(m: unknown, t?: Transferable[]): void; addEventListener(e: string, f: (e: { data: unknown }) => void): void };
  return { post: (m, t) => self.postMessage(m, t ?? []), onMessage: (f) => self.addEventListener("message", (e) => f(e.data)) };
}

/**
 * Ends this worker abruptly, as a crash would (tests use it). Node: the thread exits with `code`.
 * Web Workers cannot exit visibly (a closed worker sends no event), so an uncaught error is
 * raised instead, which the owner sees as a crash.
 */
export function exitWorker(code = 1): void {
  if (isNode()) (globalThis as unknown as { process: { exit(c: number): never } }).process.exit(code);
  else
    setTimeout(() => {
      throw new Error(`worker exited with code ${code}`);
    });
}

/** tsx's register API, resolved from here (eval'd worker code would resolve from the working directory). */
function tsxApi(): string {
  try {
    return (import.meta as unknown as { resolve(s: string): string }).resolve("tsx/esm/api");
  } catch {
    return "tsx/esm/api";
  }
}

/** The parent's execArgv without `--import tsx` (the boot registers tsx itself; twice costs a second hooks thread). */
function withoutTsx(): string[] {
  const argv = (globalThis as unknown as { process: { execArgv: string[] } }).process.execArgv;
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if ((argv[i] === "--import" || argv[i] === "--require" || argv[i] === "-r") && argv[i + 1] === "tsx") i++;
    else if (argv[i] !== "--import=tsx" && argv[i] !== "--require=tsx") out.push(argv[i]!);
  }
  return out;
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/**
 * The bytes of a file: a path (Node, Deno, Bun) or a URL (`file:` read from disk where there is
 * one, anything else fetched).
 */
export async function readSource(source: string): Promise<Uint8Array> {
  const isUrl = /^[a-z][a-z0-9+.-]*:/i.test(source) && !/^[a-z]:[\\/]/i.test(source);
  const rt = runtime();
  const hasFs = rt === "node" || rt === "deno" || rt === "bun";
  if (hasFs && (!isUrl || source.startsWith("file:"))) {
    const { readFile } = await import("node:fs/promises");
    const path = isUrl ? (await import("node:url")).fileURLToPath(source) : source;
    const b = await readFile(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }
  const where = new URL(source, (globalThis as { location?: { href: string } }).location?.href);
  const r = await fetch(where);
  if (!r.ok) throw new Error(`could not fetch ${where.href}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}
