// A pool of workers computing batches. One task per worker at a time; a worker that crashes is
// reported and replaced, and its batch is retried on the new worker (up to `retries` times) or
// failed: a pending batch always settles, so iteration never hangs.
import { loadedModule } from "../kernel/instance.js";
import { loadKernelModule } from "../platform/index.js";
import {
  siblingModule,
  spawnWorker,
  workerEntryAdvice,
  type WebWorkerLike,
  type WorkerFactory,
  type WorkerHandle,
} from "../platform/workers.js";
import type { TransformJSON } from "../transforms/base.js";
import type { DatasetSpec } from "./dataset.js";
import type { BatchResult, BatchTask } from "./process.js";
import type { FromWorker, PostedItem, ToWorker } from "./protocol.js";

/** A worker that died: what it was doing and why. */
export interface WorkerCrash {
  /** The batch it was computing, if any. */
  batch: number | null;
  /** That batch's dataset indices. */
  indices: number[];
  /** The error, or the exit code. */
  message: string;
  /** Whether the batch goes to a new worker (false: it fails). */
  retried: boolean;
}

/** A worker crash that exhausted the retries of its batch. */
export class WorkerCrashError extends Error {
  constructor(readonly crash: WorkerCrash) {
    super(
      crash.batch === null
        ? `lockstep loader: workers keep failing to start: ${crash.message}`
        : `lockstep loader: a worker crashed while computing batch ${crash.batch} (dataset indices ${crash.indices.join(", ")}): ${crash.message}`,
    );
    this.name = "WorkerCrashError";
  }
}

export interface PoolConfig {
  size: number;
  pipeline: TransformJSON;
  dataset: DatasetSpec | null;
  module?: WebAssembly.Module;
  workerUrl?: string | URL;
  worker?: WorkerFactory;
  retries: number;
  onCrash?: (crash: WorkerCrash) => void;
}

interface Job {
  id: number;
  task: BatchTask;
  items: PostedItem[] | null;
  /** A released batch buffer for the worker that runs the job (posted once, then gone). */
  spare?: ArrayBuffer;
  attempts: number;
  resolve(r: BatchResult): void;
  reject(e: Error): void;
}

interface Slot {
  handle: WorkerHandle | null;
  ready: boolean;
  job: Job | null;
  error: string | null;
  stopping: boolean;
}

let defaultModule: Promise<WebAssembly.Module> | undefined;

/**
 * The Loader's own worker entry, beside this module: dist/data/worker.js, src/data/worker.ts, or
 * build/worker.js beside a packaged bundle. Throws a clear error where import.meta.url is empty
 * (lockstep bundled into CommonJS).
 */
function defaultEntry(): URL {
  try {
    return siblingModule(import.meta.url, "worker");
  } catch {
    throw new Error(
      "cannot locate lockstep's worker entry: import.meta.url is empty here (lockstep bundled as CommonJS?); bundle `lockstep/worker` as an ES module and pass { worker } or { workerUrl }",
    );
  }
}

/**
 * The entry as a module Web Worker, spelled `new Worker(new URL("./worker.js", import.meta…))`
 * so that bundlers (Vite, webpack, Parcel) see it and emit the entry into the app's build.
 */
function webWorker(): WebWorkerLike {
  return new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
}

/** The kernel module posted to workers (compiled once per thread). */
function kernelModule(): Promise<WebAssembly.Module> {
  defaultModule ??= loadKernelModule();
  defaultModule.catch(() => (defaultModule = undefined));
  return defaultModule;
}

export class Pool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 0;
  private closed = false;
  /** Consecutive failures of workers that never got ready. */
  private bootFailures = 0;
  private module?: WebAssembly.Module;
  private started?: Promise<void>;
  private closing?: Promise<void>;
  /** Workers being spawned: close() waits for them too. */
  private readonly booting = new Set<Promise<void>>();

  constructor(private readonly config: PoolConfig) {}

  /** Computes a batch on some worker, handing it `spare` (a released batch buffer) to write into. */
  run(task: BatchTask, items: PostedItem[] | null, spare?: ArrayBuffer): Promise<BatchResult> {
    if (this.closed) return Promise.reject(new Error("lockstep loader: the worker pool is closed"));
    return new Promise<BatchResult>((resolve, reject) => {
      const job: Job = { id: this.nextId++, task, items, spare, attempts: 0, resolve, reject };
      this.queue.push(job);
      void this.start().then(
        () => this.dispatch(),
        (e: Error) => this.failAll(e),
      );
    });
  }

  /** Terminates every worker; pending batches are rejected. Resolves when all have exited. */
  close(): Promise<void> {
    this.closed = true;
    this.failAll(new Error("lockstep loader: closed"));
    this.closing ??= (async () => {
      await this.started?.catch(() => {});
      while (this.booting.size > 0) await Promise.all(this.booting);
      await Promise.all(this.slots.map((s) => this.stop(s)));
    })();
    return this.closing;
  }

  private start(): Promise<void> {
    this.started ??= (async () => {
      // The main thread's kernel when it has one: init({ url | bytes }) then reaches the workers too.
      this.module = this.config.module ?? loadedModule() ?? (await kernelModule());
      if (this.closed) return;
      for (let i = 0; i < this.config.size; i++) {
        const slot: Slot = { handle: null, ready: false, job: null, error: null, stopping: false };
        this.slots.push(slot);
        this.boot(slot);
      }
    })();
    return this.started;
  }

  private boot(slot: Slot): void {
    const p = this.spawn(slot).finally(() => this.booting.delete(p));
    this.booting.add(p);
  }

  private async spawn(slot: Slot): Promise<void> {
    slot.ready = false;
    slot.error = null;
    slot.stopping = false;
    try {
      const own = !this.config.worker && this.config.workerUrl === undefined;
      const entry = this.config.worker ?? this.config.workerUrl ?? defaultEntry();
      const handle = await spawnWorker(
        entry,
        {
          message: (m) => this.onMessage(slot, m as FromWorker),
          error: (e) => {
            slot.error ??= e.message;
            void slot.handle?.terminate();
          },
          exit: (code) => this.onExit(slot, handle, code),
        },
        own ? webWorker : undefined,
      );
      slot.handle = handle;
      if (this.closed) return await this.stop(slot);
      const init: ToWorker = { type: "init", module: this.module!, pipeline: this.config.pipeline, dataset: this.config.dataset };
      handle.post(init);
    } catch (e) {
      this.failAll(new WorkerCrashError({ batch: null, indices: [], message: (e as Error).message, retried: false }));
    }
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    if (m.type === "ready") {
      slot.ready = true;
      this.bootFailures = 0;
      slot.handle?.ref(false);
      this.dispatch();
      return;
    }
    if (m.type === "init-error") {
      // A pipeline or dataset that cannot be built will not build on another worker either.
      this.failAll(new Error(`lockstep loader: a worker could not start: ${m.message}`));
      return;
    }
    const job = slot.job;
    if (!job || job.id !== m.id) return;
    slot.job = null;
    if (m.type === "result") job.resolve(m.result);
    else job.reject(new Error(`lockstep loader: batch ${job.task.batch} failed in a worker: ${m.message}`));
    this.dispatch();
  }

  private onExit(slot: Slot, handle: WorkerHandle, code: number): void {
    if (slot.handle !== handle) return;
    slot.handle = null;
    if (slot.stopping || this.closed) return;
    const job = slot.job;
    slot.job = null;
    let why = slot.error ?? `the worker exited with code ${code}`;
    // lockstep's own entry that never started: most likely a bundle without it.
    if (!slot.ready && !this.config.worker && this.config.workerUrl === undefined) why += `; ${workerEntryAdvice(defaultEntry())}`;
    if (!slot.ready) this.bootFailures++;
    const bootLoop = this.bootFailures > this.config.size + 1;
    if (job) {
      job.attempts++;
      const retried = job.attempts <= this.config.retries && !bootLoop;
      const crash: WorkerCrash = { batch: job.task.batch, indices: [...job.task.indices], message: why, retried };
      this.config.onCrash?.(crash);
      if (retried) this.queue.unshift(job);
      else job.reject(new WorkerCrashError(crash));
    } else {
      this.config.onCrash?.({ batch: null, indices: [], message: why, retried: false });
    }
    if (bootLoop) {
      this.failAll(new WorkerCrashError({ batch: null, indices: [], message: why, retried: false }));
      return;
    }
    this.boot(slot);
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) break;
      if (!slot.ready || slot.job || !slot.handle) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      const msg: ToWorker = { type: "task", id: job.id, task: job.task, items: job.items };
      if (job.spare) {
        // Transferred, not copied; a retry of this job goes without it.
        msg.spare = job.spare;
        job.spare = undefined;
        slot.handle.post(msg, [msg.spare]);
      } else slot.handle.post(msg);
    }
    // Busy (and starting) workers keep a Node process alive; idle ones do not.
    for (const slot of this.slots) if (slot.ready) slot.handle?.ref(slot.job !== null);
  }

  private failAll(e: Error): void {
    for (const job of this.queue.splice(0)) job.reject(e);
    for (const s of this.slots) {
      if (s.job) {
        s.job.reject(e);
        s.job = null;
      }
    }
    if (!this.closed && e instanceof WorkerCrashError) void this.close();
  }

  private async stop(slot: Slot): Promise<void> {
    slot.stopping = true;
    const h = slot.handle;
    if (h) await h.terminate();
  }
}
