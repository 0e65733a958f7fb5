// The worker adapter: worker_threads in Node, Web Workers in browsers (and Deno, Bun). Runtime
// detection stays here; the data loader only sees spawnWorker() and workerPort().
import { runtime } from "./index.js";

/** Set in the packaged bundles by scripts/bundle.mjs (see ./index.ts). */
declare const __LOCKSTEP_BUNDLE__: "browser" | "server" | "workerd";

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

/** A Node `worker_threads` Worker, as lockstep uses it. */
export interface NodeWorkerLike {
  postMessage(m: unknown, t?: readonly unknown[]): void;
  terminate(): Promise<number>;
  ref(): void;
  unref(): void;
  on(event: string, f: (x: never) => void): void;
}

/** A Web Worker (browsers, Deno, Bun), as lockstep uses it. */
export interface WebWorkerLike {
  postMessage(m: unknown, t?: Transferable[]): void;
  terminate(): void;
  addEventListener(event: string, f: (e: { data?: unknown; message?: string; error?: unknown; preventDefault?(): void }) => void): void;
}

/**
 * Makes a worker that runs lockstep's worker entry (the package export `lockstep/worker`): a module
 * Web Worker, e.g. `() => new Worker(new URL("./lockstep-worker.js", import.meta.url), { type: "module" })`,
 * or a Node `worker_threads` Worker. For bundlers that do not emit the entry by themselves.
 */
export type WorkerFactory = () => WebWorkerLike | NodeWorkerLike;

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
 * Starts a worker running `entry`: a URL, or a factory that makes the worker (then used on every
 * runtime). For a URL: on Node a worker_threads Worker (a `.ts` entry is booted through tsx: worker
 * threads do not inherit the parent's loader for their entry file); elsewhere `web()` when given
 * (a `new Worker(new URL(…))` written where bundlers can see it), else a module Web Worker.
 */
export async function spawnWorker(
  entry: URL | string | WorkerFactory,
  events: WorkerEvents,
  web?: () => WebWorkerLike,
): Promise<WorkerHandle> {
  if (typeof entry === "function") {
    const made: unknown = entry();
    if (isWebWorker(made)) return webHandle(made, events, "the worker made by the `worker` option");
    if (isNodeWorker(made)) return nodeHandle(made, events);
    throw new TypeError(
      `the \`worker\` option must return a Web Worker or a worker_threads Worker, got ${made === null ? "null" : typeof made}`,
    );
  }
  const url = new URL(String(entry), (globalThis as { location?: { href: string } }).location?.href);
  if (isNode()) {
    const { Worker } = (await import("node:worker_threads")) as unknown as { Worker: new (s: string | URL, o?: object) => NodeWorkerLike };
    // A .ts entry only runs from the sources (tests); the test is written out so that esbuild drops
    // the tsx boot from the packaged bundles (webpack would try to resolve "tsx/esm/api").
    const w =
      typeof __LOCKSTEP_BUNDLE__ === "undefined" && /\.ts$/.test(url.pathname)
        ? new Worker(
            `import(${JSON.stringify(tsxApi())}).then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })`,
            { eval: true, execArgv: withoutTsx() },
          )
        : new Worker(url);
    return nodeHandle(w, events);
  }
  if (web) return webHandle(web(), events, `worker ${url.href}`);
  const Ctor = (globalThis as { Worker?: new (u: URL, o?: object) => WebWorkerLike }).Worker;
  if (typeof Ctor !== "function") throw new Error("lockstep: this runtime has no Worker; use workers: 0");
  return webHandle(new Ctor(url, { type: "module" }), events, `worker ${url.href}`);
}

/** Whether `w` is an object with these methods (what a worker handle is recognised by). */
function hasMethods(w: unknown, a: string, b: string): boolean {
  if (typeof w !== "object" || w === null) return false;
  const o = w as Record<string, unknown>;
  return typeof o[a] === "function" && typeof o[b] === "function";
}

function isWebWorker(w: unknown): w is WebWorkerLike {
  return hasMethods(w, "addEventListener", "postMessage");
}

function isNodeWorker(w: unknown): w is NodeWorkerLike {
  return hasMethods(w, "on", "postMessage");
}

function nodeHandle(w: NodeWorkerLike, events: WorkerEvents): WorkerHandle {
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

/** `what` names the worker in the error raised when it fails to load (Web Workers report no reason). */
function webHandle(w: WebWorkerLike, events: WorkerEvents, what: string): WorkerHandle {
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
    events.error(new Error(e.message || `${what} failed to load or threw`));
  });
  w.addEventListener("messageerror", () => events.error(new Error("a message from the worker could not be deserialized")));
  return {
    post: (m, t) => w.postMessage(m, t ?? []),
    terminate: async () => exit(1),
    ref: () => {},
  };
}

/**
 * What to copy or pass when lockstep's own worker entry, expected at `url`, did not start: for
 * pages and Web Workers, the bundled entry beside the app's bundle; for Node, a bundle of it.
 */
export function workerEntryAdvice(url: URL | string): string {
  if (isNode())
    return (
      `lockstep's worker entry was expected at ${String(url)}: when you bundle lockstep for Node, bundle its worker entry too ` +
      "(esbuild: add the entry point `worker=lockstep/worker` with --format=esm, so it lands next to your bundle as worker.js), " +
      "or pass the Loader `worker: () => new Worker(url)` (worker_threads) or `workerUrl`"
    );
  return (
    `lockstep's worker entry was expected at ${String(url)}: if your bundler did not emit it (esbuild does not follow ` +
    "`new Worker(new URL(…))`; Vite, webpack and Parcel do), copy node_modules/lockstep/build/worker.js " +
    'so that it is served there, or pass the Loader `worker: () => new Worker(url, { type: "module" })` or `workerUrl`'
  );
}

/**
 * A Node built-in through process.getBuiltinModule (Node 20.16+), or undefined. Used on the worker
 * side, so that the packaged worker entry (build/worker.js, where `import("node:…")` is a stub
 * for browser bundlers) also runs as a worker_threads worker in bundles made for Node.
 */
function builtin(name: string): unknown {
  return (globalThis as { process?: { getBuiltinModule?(id: string): unknown } }).process?.getBuiltinModule?.(name);
}

/** Inside a worker: the channel to the thread that started it. */
export async function workerPort(): Promise<WorkerPort> {
  if (isNode()) {
    const { parentPort } = (builtin("node:worker_threads") ?? (await import("node:worker_threads"))) as unknown as {
      parentPort: { postMessage(m: unknown, t?: readonly unknown[]): void; on(e: string, f: (d: unknown) => void): void } | null;
    };
    if (!parentPort) throw new Error("lockstep: workerPort() called outside a worker thread");
    return { post: (m, t) => parentPort.postMessage(m, t as unknown as readonly unknown[]), onMessage: (f) => parentPort.on("message", f) };
  }
  const self = globalThis as unknown as {
    postMessage(m: unknown, t?: Transferable[]): void;
    addEventListener(e: string, f: (e: { data: unknown }) => void): void;
  };
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
    const { readFile } = (builtin("node:fs/promises") ?? (await import("node:fs/promises"))) as typeof import("node:fs/promises");
    const path = isUrl ? ((builtin("node:url") ?? (await import("node:url"))) as typeof import("node:url")).fileURLToPath(source) : source;
    const b = await readFile(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }
  const where = new URL(source, (globalThis as { location?: { href: string } }).location?.href);
  const r = await fetch(where);
  if (!r.ok) throw new Error(`could not fetch ${where.href}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}
