// The Loader: batches that are a pure function of (seed, epoch, batch number), whatever the
// number of workers, the prefetch depth or the scheduling.
import { describe, type Image, type Tensor } from "../image.js";
import { init, ready } from "../kernel/instance.js";
import { checkCount, checkSeed } from "../random/keys.js";
import { Transform, type Json, type TransformJSON } from "../transforms/base.js";
import { Compose } from "../transforms/container.js";
import type { OutputOf } from "../transforms/output.js";
import { checkDataset, FileDataset, toItem, type Dataset, type Label } from "./dataset.js";
import { Pool, type WorkerCrash } from "./pool.js";
import {
  decodersOf,
  processBatch,
  type BatchResult,
  type BatchTask,
  type Decoder,
  type Decoders,
  type OnError,
  type SampleFailure,
} from "./process.js";
import { siblingModule, type WorkerFactory } from "../platform/workers.js";
import type { PostedItem } from "./protocol.js";
import { DistributedSampler, type Sampler, type UnevenShards } from "./sampler.js";
import { mixBatch, type BatchTransform } from "../transforms/mix.js";
import { reclaim } from "../platform/memory.js";
import { Spares } from "./recycle.js";

/**
 * One batch. `samples` are views into `data` (no copies). `S` is what the pipeline outputs:
 * `Batch<Tensor>` (f32 `data`) for pipelines ending in ToTensor/Normalize, `Batch<Image>` (u8)
 * for image pipelines, both when the pipeline's kind cannot be known from its type.
 */
export interface Batch<S extends Image | Tensor = Image | Tensor> {
  epoch: number;
  /** The batch number within the epoch (of this rank). */
  batch: number;
  /** Dataset indices of the samples, in order. */
  indices: number[];
  labels: Label[];
  /** File names or URLs, where the dataset has them. */
  sources: (string | null)[];
  /**
   * Every sample's values one after the other: f32 (NCHW when `shape` is set) for pipelines
   * ending in a tensor, u8 (NHWC) for pipelines ending in an image.
   */
  data: S extends Tensor ? Float32Array : Uint8Array;
  /** [N, C, H, W] for tensors, [N, H, W, C] for images of one size, null when sizes differ. */
  shape: number[] | null;
  /** Per sample: a Tensor (CHW) or an Image (HWC), viewing `data`. */
  samples: S[];
  /** The params drawn for each sample (with `records: true`), as `pipeline.sample` returns them. */
  params: Json[] | null;
  /** Samples left out under `onError: "skip"`: the same ones on every run. */
  skipped: SampleFailure[];
  /** With `batchTransform`: its params and the mixed [N, K] label weights (`data` holds the mixed images). */
  mix?: { type: string; params: Json; labels: Tensor };
  /**
   * Gives `data`'s memory back to the loader, which writes a later batch of the same size into it
   * (inline, or transferred back to a worker) instead of allocating: call it when the step is done
   * with the batch (after copying what you keep). From then on `data` and every sample's `data`
   * are detached (length 0): a released batch can never show another batch's values. Calling it
   * again, or on a batch whose buffer you transferred away, does nothing. Not calling it is fine:
   * the batch then keeps its memory until it is garbage. Also `using batch = …` (Symbol.dispose).
   */
  release(): void;
  /** The same as {@link Batch.release}, for `using`. */
  [Symbol.dispose](): void;
}

/** Where an epoch stands, as plain JSON: `new Loader(dataset, { ..., resumeFrom })` continues it. */
export interface LoaderState {
  format: "lockstep-loader/1";
  seed: string;
  epoch: number;
  /** The next batch to produce in `epoch`. */
  batch: number;
  length: number;
  batchSize: number;
  shuffle: boolean;
  dropLast: boolean;
  rank: number;
  worldSize: number;
  uneven: UnevenShards;
  pipeline: TransformJSON;
}

/** The batch a Loader over pipeline `P` yields (before `collate`): typed by what `P` outputs for an image. */
export type BatchOf<P> = Batch<OutputOf<P>>;

/** What a `Loader<T, P>` yields: `T` when given (the collated type), else {@link BatchOf} its pipeline. */
export type LoaderItem<T, P> = [T] extends [never] ? BatchOf<P> : T;

/** Options of {@link Loader}: `T` is what `collate` returns, `P` the pipeline's type. */
export interface LoaderOptions<T = never, P extends Transform = Transform> {
  /** The transforms applied to every sample (keyed by seed, epoch and dataset index). Default: none. */
  pipeline?: P;
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** Shuffle with a keyed permutation of (seed, epoch). Default false. */
  shuffle?: boolean;
  /** Needed when shuffling or when the pipeline draws anything. A number below 2^53 or a bigint below 2^64. */
  seed?: number | bigint;
  /** The first epoch (default 0); each completed pass advances it. */
  epoch?: number;
  /** Worker threads (Node) or Web Workers (browsers); 0 computes on the calling thread. Default 0. */
  workers?: number;
  /** Batches computed ahead of the one the loop holds, in total (default 2 per worker). Bounds memory. */
  prefetch?: number;
  /** Drop the last batch when smaller than batchSize. */
  dropLast?: boolean;
  /** Distributed training: this process's rank in [0, worldSize). */
  rank?: number;
  worldSize?: number;
  /** When the dataset does not divide over worldSize: "pad" (default, like torch) or "drop". */
  uneven?: UnevenShards;
  /** Turns each batch into what the loop receives (runs on the calling thread). */
  collate?(batch: BatchOf<P>): T | Promise<T>;
  /** Continue from {@link Loader.state} (an object or its JSON). */
  resumeFrom?: LoaderState | string;
  /** A sample that fails to read, decode or transform: "raise" (default) stops the loader; "skip" leaves it out. */
  onError?: OnError;
  /** How many times a batch whose worker crashed is retried on a new worker (default 1). */
  retries?: number;
  /** Include each sample's drawn params in the batch. */
  records?: boolean;
  /** Tensor samples must share a shape (default true); false concatenates them (shape: null). */
  stack?: boolean;
  /** The compiled kernel to post to workers (default: compiled from the runtime's default location). */
  module?: WebAssembly.Module;
  /**
   * Where lockstep's worker entry (the export `lockstep/worker`) is. Default: beside this module,
   * written so that Vite, webpack and Parcel emit it into the app's build; with esbuild, copy
   * node_modules/lockstep/build/worker.js beside the bundle (or pass this or `worker`).
   */
  workerUrl?: string | URL;
  /**
   * Makes each worker yourself, running `lockstep/worker`: e.g.
   * `() => new Worker(new URL("./lockstep-worker.js", import.meta.url), { type: "module" })`, or a
   * worker_threads Worker on Node. Takes precedence over `workerUrl`.
   */
  worker?: WorkerFactory;
  /**
   * Decodes encoded items on the calling thread when `workers` is 0 (workers always use
   * lockstep/io's). Default: lockstep/io's `decode`, loaded on first use from dist/ or src/; in a
   * bundle pass it: \`import { decode } from "lockstep/io"\`.
   */
  decode?: Decoder;
  /** Hears about every worker crash (the batch is retried or fails). */
  onWorkerCrash?: (crash: WorkerCrash) => void;
  /**
   * Milliseconds the loop waits for one batch (from when it asks for it) before it stops with a
   * {@link BatchTimeoutError} naming the batch's indices; the workers are then terminated. Default:
   * no limit (as torch's timeout=0). It cannot interrupt a synchronous `get()` on the calling
   * thread (`workers: 0`).
   */
  timeout?: number;
  /**
   * Keep the worker threads between epochs (default false, as torch's persistent_workers): by
   * default they are terminated when the loop ends, by finishing, `break` or an error. With
   * true, call `close()` (or use `await using`) when done.
   */
  persistentWorkers?: boolean;
  /**
   * Release each batch ({@link Batch.release}) when the loop asks for the next one (default
   * false). The next batches are written into its memory, inline or in the workers (the buffer is
   * transferred back to them), instead of fresh memory, the largest cost of an inline loader after
   * the decode. The rule: a batch's `data` (and its `samples`) is valid until the loop asks for
   * the next batch, then it is detached (length 0; never another batch's values); copy
   * (`batch.data.slice()`) what you keep. A batch you `break` with stays yours. Without this
   * option, call `batch.release()` yourself when done with a batch (same effect, your timing).
   */
  reuseBuffers?: boolean;
  /**
   * A batch transform (MixUp or CutMix) applied to each collated batch on the calling thread,
   * keyed by (seed, epoch, batch number): the same mix for any worker count. Labels must be
   * class indices; the batch's `mix` holds the params and the mixed label weights.
   */
  batchTransform?: BatchTransform;
}

/** A sample that failed to read, decode or transform; names its index and file. */
export class SampleError extends Error {
  readonly index: number;
  readonly source: string | null;
  readonly stage: SampleFailure["stage"];
  /** What went wrong, without the index and file. */
  readonly reason: string;
  constructor(
    failure: SampleFailure,
    readonly epoch: number,
    readonly batch: number,
  ) {
    super(
      `lockstep loader: sample ${failure.index}${failure.source ? ` (${failure.source})` : ""} failed to ${failure.stage} in batch ${batch} of epoch ${epoch}: ${failure.message}`,
    );
    this.name = "SampleError";
    this.index = failure.index;
    this.source = failure.source;
    this.stage = failure.stage;
    this.reason = failure.message;
  }
}

/** A batch that did not arrive within the loader's `timeout`. */
export class BatchTimeoutError extends Error {
  constructor(
    readonly epoch: number,
    readonly batch: number,
    readonly indices: number[],
    readonly timeout: number,
  ) {
    super(
      `lockstep loader: batch ${batch} of epoch ${epoch} (dataset indices ${indices.join(", ")}) did not arrive within the timeout of ${timeout} ms; its workers were stopped`,
    );
    this.name = "BatchTimeoutError";
  }
}

// Declared here as lib.esnext.disposable and @types/node declare it, so that this package's
// typings compile for a consumer whose `lib` predates it (ES2022, no @types/node).
declare global {
  interface SymbolConstructor {
    readonly asyncDispose: unique symbol;
    readonly dispose: unique symbol;
  }
}

/** Symbol.asyncDispose where the runtime has it (Node 20+, recent browsers), else its registry twin. */
const asyncDispose: typeof Symbol.asyncDispose =
  ((Symbol as { asyncDispose?: symbol }).asyncDispose as typeof Symbol.asyncDispose) ??
  (Symbol.for("Symbol.asyncDispose") as typeof Symbol.asyncDispose);

/** Symbol.dispose where the runtime has it, else its registry twin. */
const dispose: typeof Symbol.dispose =
  ((Symbol as { dispose?: symbol }).dispose as typeof Symbol.dispose) ?? (Symbol.for("Symbol.dispose") as typeof Symbol.dispose);

function positiveInt(v: unknown, name: string, fallback: number, min = 1): number {
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min)
    throw new RangeError(`${name} must be an integer >= ${min}, got ${describe(v)}`);
  return v;
}

function bool(v: unknown, name: string): boolean {
  if (v === undefined) return false;
  if (typeof v !== "boolean") throw new TypeError(`${name} must be a boolean, got ${describe(v)}`);
  return v;
}

/**
 * Batches of a dataset through a pipeline: `for await (const batch of loader)` runs one epoch.
 * Every batch is a pure function of (seed, epoch, batch number): each sample is
 * `pipeline.apply(image, { seed, epoch, index })` with its dataset index, written into the
 * batch's buffer, so worker count, prefetch and scheduling cannot change a byte.
 */
export class Loader<T = never, P extends Transform = Transform> implements AsyncIterable<LoaderItem<T, P>> {
  readonly dataset: Dataset;
  readonly pipeline: Transform;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly seed: number | bigint;
  readonly workers: number;
  private prefetchDepth: number;
  readonly dropLast: boolean;
  readonly rank: number;
  readonly worldSize: number;
  readonly uneven: UnevenShards;
  private readonly options: LoaderOptions<T, P>;
  private readonly onError: OnError;
  private readonly retries: number;
  private readonly timeout: number;
  private readonly persistentWorkers: boolean;
  private readonly reuseBuffers: boolean;
  /** Buffers of released batches, for the next batches of their size (inline, or posted to a worker). */
  private readonly spares: Spares;
  /** lockstep/io's decoders (or the `decode` option's), once loaded: not a dynamic import per file. */
  private decoders?: Promise<Decoders>;
  /** Inline, file datasets: the next batch's reads, started while this batch computes. */
  private readAhead: { epoch: number; batch: number; reads: Map<number, Promise<unknown>> } | null = null;
  private currentEpoch: number;
  private position: number;
  private pool: Pool | null = null;
  private samplerCache?: { epoch: number; sampler: Sampler };
  private closed = false;
  private running = false;
  /** Every worker crash so far (also passed to `onWorkerCrash`). */
  readonly crashes: WorkerCrash[] = [];
  /** Every sample skipped so far, in the order the batches were produced. */
  readonly skipped: (SampleFailure & { epoch: number; batch: number })[] = [];

  /** The batch transform, as checked (read once from the options). */
  private readonly batchTransform: BatchTransform | undefined;

  constructor(dataset: Dataset, options: LoaderOptions<T, P> = {}) {
    this.dataset = checkDataset(dataset);
    const o = options ?? {};
    if (typeof o !== "object") throw new TypeError(`options must be an object, got ${describe(o)}`);
    this.options = o;
    if (o.pipeline !== undefined && !(o.pipeline instanceof Transform))
      throw new TypeError(`pipeline must be a lockstep Transform (e.g. a Compose), got ${describe(o.pipeline)}`);
    this.pipeline = o.pipeline ?? new Compose([]);
    this.batchSize = positiveInt(o.batchSize, "batchSize", 1);
    this.shuffle = bool(o.shuffle, "shuffle");
    this.dropLast = bool(o.dropLast, "dropLast");
    bool(o.records, "records");
    if (o.stack !== undefined) bool(o.stack, "stack");
    this.workers = positiveInt(o.workers, "workers", 0, 0);
    this.prefetchDepth = positiveInt(o.prefetch, "prefetch", Math.max(1, 2 * this.workers));
    // Enough for the batches in flight at the default prefetch; more released ones are left to the GC.
    this.spares = new Spares(Math.max(2, this.prefetchDepth + 1));
    this.retries = positiveInt(o.retries, "retries", 1, 0);
    if (o.timeout !== undefined && (typeof o.timeout !== "number" || !(o.timeout >= 0) || o.timeout > 2 ** 31 - 1)) {
      throw new RangeError(`timeout must be a number of milliseconds in [0, 2^31 - 1] (0: no limit), got ${describe(o.timeout)}`);
    }
    this.timeout = o.timeout ?? 0;
    this.persistentWorkers = bool(o.persistentWorkers, "persistentWorkers");
    this.reuseBuffers = bool(o.reuseBuffers, "reuseBuffers");
    this.worldSize = positiveInt(o.worldSize, "worldSize", 1);
    this.rank = o.rank === undefined ? 0 : positiveInt(o.rank, "rank", 0, 0);
    if (this.rank >= this.worldSize)
      throw new RangeError(`rank must be in [0, ${this.worldSize}) (worldSize ${this.worldSize}), got ${this.rank}`);
    this.uneven = o.uneven ?? "pad";
    if (this.uneven !== "pad" && this.uneven !== "drop")
      throw new RangeError(`uneven must be "pad" or "drop", got ${describe(this.uneven)}`);
    this.onError = o.onError ?? "raise";
    if (this.onError !== "raise" && this.onError !== "skip")
      throw new RangeError(`onError must be "raise" or "skip", got ${describe(this.onError)}`);
    if (o.worker !== undefined && typeof o.worker !== "function")
      throw new TypeError(`worker must be a function that returns a Worker running lockstep/worker, got ${describe(o.worker)}`);
    if (o.collate !== undefined && typeof o.collate !== "function")
      throw new TypeError(`collate must be a function, got ${describe(o.collate)}`);
    const batchTransform: unknown = o.batchTransform;
    if (
      batchTransform !== undefined &&
      (typeof batchTransform !== "object" || batchTransform === null || typeof (batchTransform as BatchTransform).replay !== "function")
    )
      throw new TypeError(`batchTransform must be a MixUp or CutMix, got ${describe(batchTransform)}`);
    this.batchTransform = batchTransform as BatchTransform | undefined;
    if (o.seed === undefined && (this.shuffle || this.pipeline.random)) {
      throw new TypeError(
        `the loader needs a seed: ${this.shuffle ? "shuffle is on" : `the pipeline (${this.pipeline.type}) draws random parameters`}; pass { seed } (any non-negative integer)`,
      );
    }
    this.seed = o.seed === undefined ? 0 : checkSeed(o.seed);
    this.currentEpoch = checkCount(o.epoch ?? 0, "epoch");
    this.position = 0;
    if (o.resumeFrom !== undefined) this.resume(o.resumeFrom);
  }

  /**
   * Batches computed ahead of the one the loop holds (workers only); at most prefetch + 1
   * batches exist at once. May be changed between (and during) epochs.
   */
  get prefetch(): number {
    return this.prefetchDepth;
  }
  set prefetch(n: number) {
    this.prefetchDepth = positiveInt(n, "prefetch", 1);
  }

  /** The epoch the next iteration runs (or the one running). */
  get epoch(): number {
    return this.currentEpoch;
  }

  /** Batches per epoch (of this rank). */
  get length(): number {
    const n = this.uneven === "drop" ? Math.floor(this.dataset.length / this.worldSize) : Math.ceil(this.dataset.length / this.worldSize);
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** Starts the next iteration at the beginning of `epoch`. */
  setEpoch(epoch: number): void {
    if (this.running) throw new Error("setEpoch: the loader is being iterated");
    this.currentEpoch = checkCount(epoch, "epoch");
    this.position = 0;
  }

  /** Where the loader stands: the next batch to produce. JSON; pass it as `resumeFrom`. */
  state(): LoaderState {
    return {
      format: "lockstep-loader/1",
      seed: String(this.seed),
      epoch: this.currentEpoch,
      batch: this.position,
      length: this.dataset.length,
      batchSize: this.batchSize,
      shuffle: this.shuffle,
      dropLast: this.dropLast,
      rank: this.rank,
      worldSize: this.worldSize,
      uneven: this.uneven,
      pipeline: this.pipeline.toJSON(),
    };
  }

  /** Terminates every worker. The loader cannot be iterated afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    await this.stopWorkers();
  }

  /** `await using loader = new Loader(...)`: closes it (and its workers) when the scope ends. */
  [asyncDispose](): Promise<void> {
    return this.close();
  }

  /** The dataset indices of batch `batch` of `epoch`. */
  indices(epoch: number, batch: number): number[] {
    const s = this.sampler(epoch);
    const start = batch * this.batchSize;
    const end = Math.min(start + this.batchSize, s.length);
    const out: number[] = [];
    for (let p = start; p < end; p++) out.push(s.at(p));
    return out;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<LoaderItem<T, P>, void, undefined> {
    if (this.closed) throw new Error("lockstep loader: closed; make a new Loader");
    if (this.running) throw new Error("lockstep loader: already being iterated; one loop at a time");
    this.running = true;
    await (this.options.module ? init({ module: this.options.module }) : ready()).catch((e: unknown) => {
      this.running = false;
      throw e;
    });
    const epoch = this.currentEpoch;
    const total = this.length;
    const inflight = new Map<number, Promise<BatchResult>>();
    let next = this.position;
    let scheduled = next;
    let finished = false;
    // Keeps `prefetch` batches computing ahead of the one being consumed (workers), or computes
    // each batch when asked for (inline: nothing to overlap with on one thread).
    const schedule = (ahead: number) => {
      while (scheduled < total && scheduled - next < ahead) {
        const p = this.compute(epoch, scheduled);
        p.catch(() => {}); // awaited in order below; later ones may be abandoned
        inflight.set(scheduled++, p);
      }
    };
    try {
      while (next < total) {
        schedule(this.workers === 0 ? 1 : this.prefetchDepth);
        const r = await this.waitFor(inflight.get(next)!, epoch, next);
        inflight.delete(next);
        if (r.failure) throw new SampleError(r.failure, epoch, next);
        for (const s of r.skipped) this.skipped.push({ ...s, epoch, batch: next });
        next++;
        if (next === total) {
          this.currentEpoch = epoch + 1;
          this.position = 0;
        } else {
          this.position = next;
        }
        if (this.workers > 0) schedule(this.prefetchDepth);
        // Every sample skipped: nothing to yield (the failures are in `skipped`).
        if (r.indices.length === 0) continue;
        const batch = this.toBatch(epoch, r);
        if (this.batchTransform) mixBatch(this.batchTransform, batch, this.seed);
        yield (this.options.collate ? await this.options.collate(batch as BatchOf<P>) : batch) as LoaderItem<T, P>;
        // The loop asked for the next batch: reuseBuffers releases this one for it.
        if (this.reuseBuffers) batch.release();
      }
      if (total === 0) this.currentEpoch = epoch + 1;
      finished = true;
    } finally {
      this.running = false;
      // Awaited here, in the generator's own finally: the loop's next statement runs only once
      // every worker has exited (break, an error, or the end of the epoch).
      if (!finished || !this.persistentWorkers) await this.stopWorkers();
    }
  }

  /** The batch's result, or a BatchTimeoutError after `timeout` ms (0: no limit). */
  private waitFor(p: Promise<BatchResult>, epoch: number, batch: number): Promise<BatchResult> {
    if (this.timeout === 0) return p;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new BatchTimeoutError(epoch, batch, this.indices(epoch, batch), this.timeout)), this.timeout);
    });
    return Promise.race([p, late]).finally(() => clearTimeout(timer));
  }

  private sampler(epoch: number): Sampler {
    if (this.samplerCache?.epoch === epoch) return this.samplerCache.sampler;
    const sampler = this.makeSampler(epoch);
    this.samplerCache = { epoch, sampler };
    return sampler;
  }

  private makeSampler(epoch: number): Sampler {
    return new DistributedSampler(this.dataset.length, {
      rank: this.rank,
      worldSize: this.worldSize,
      shuffle: this.shuffle,
      seed: this.seed,
      epoch,
      uneven: this.uneven,
    });
  }

  private task(epoch: number, batch: number): BatchTask {
    return {
      epoch,
      batch,
      seed: this.seed,
      indices: this.indices(epoch, batch),
      onError: this.onError,
      records: this.options.records === true,
      stack: this.options.stack !== false,
    };
  }

  private async compute(epoch: number, batch: number): Promise<BatchResult> {
    const task = this.task(epoch, batch);
    if (this.workers === 0) {
      const ahead = this.readAhead?.epoch === epoch && this.readAhead.batch === batch ? this.readAhead.reads : null;
      this.readAhead = null;
      // A file dataset's reads have no side effects: the next batch's start now, on the I/O
      // threads, while this one decodes and transforms (the bytes cannot change: reads are reads).
      if (this.dataset instanceof FileDataset && batch + 1 < this.length) {
        const reads = new Map<number, Promise<unknown>>();
        for (const i of this.indices(epoch, batch + 1)) {
          const p = Promise.resolve().then(() => this.dataset.get(i));
          p.catch(() => {}); // awaited (and its error reported) when that batch runs
          reads.set(i, p);
        }
        this.readAhead = { epoch, batch: batch + 1, reads };
      }
      return processBatch(
        task,
        this.pipeline,
        (i) => ahead?.get(i) ?? this.dataset.get(i),
        () => this.decoder(),
        this.spares.take,
      );
    }
    const pool = (this.pool ??= new Pool({
      size: this.workers,
      pipeline: this.pipeline.toJSON(),
      dataset: this.dataset.workerSpec ? this.dataset.workerSpec() : null,
      module: this.options.module,
      workerUrl: this.options.workerUrl,
      worker: this.options.worker,
      retries: this.retries,
      onCrash: (crash) => {
        this.crashes.push(crash);
        this.options.onWorkerCrash?.(crash);
      },
    }));
    let items: PostedItem[] | null = null;
    if (!this.dataset.workerSpec) {
      // Read here, post to the worker (a copy). A view of a larger buffer is cut out first:
      // posting it would clone the whole underlying buffer.
      const compact = (b: Uint8Array) => (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : b.slice());
      items = await Promise.all(
        task.indices.map(async (i): Promise<PostedItem> => {
          try {
            const item = toItem(await this.dataset.get(i), i);
            return {
              item: {
                ...item,
                image: item.image instanceof Uint8Array ? compact(item.image) : { ...item.image, data: compact(item.image.data) },
              },
            };
          } catch (e) {
            return { error: e instanceof Error ? e.message : String(e) };
          }
        }),
      );
    }
    return pool.run(task, items, this.spares.pop());
  }

  /** The decoders, loaded once (a failed load is tried again by the next batch). */
  private decoder(): Promise<Decoders> {
    if (!this.decoders) {
      const p = (this.decoders = this.loadDecoder());
      p.catch(() => {
        if (this.decoders === p) this.decoders = undefined;
      });
    }
    return this.decoders;
  }

  private loadDecoder(): Promise<Decoders> {
    if (this.options.decode) return Promise.resolve(decodersOf(this.options.decode));
    // Not a static import: lockstep's main entry must not pull the PNG/JPEG codecs into bundles.
    const url = siblingModule(import.meta.url, "../io/decode");
    return (import(/* @vite-ignore */ url.href) as Promise<{ decode: Decoder }>).then(
      (m) => decodersOf(m.decode),
      (e: unknown) => {
        throw new Error(
          `could not load lockstep/io's decoder from ${url.href} (${(e as Error).message}); pass { decode } (import { decode } from "lockstep/io")`,
        );
      },
    );
  }

  private toBatch(epoch: number, r: BatchResult): Batch {
    const data = r.kind === "tensor" ? new Float32Array(r.buffer) : new Uint8Array(r.buffer);
    const samples: (Tensor | Image)[] = [];
    let at = 0;
    for (const shape of r.shapes) {
      const n = shape.reduce((a, b) => a * b, 1);
      const view = data.subarray(at, at + n);
      at += n;
      if (r.kind === "tensor") samples.push({ shape: [...shape], data: view as Float32Array });
      else samples.push({ height: shape[0]!, width: shape[1]!, channels: shape[2] as 1 | 3 | 4, data: view as Uint8Array });
    }
    const same = r.shapes.length > 0 && r.shapes.every((s) => s.join() === r.shapes[0]!.join());
    const shape = same ? [r.shapes.length, ...r.shapes[0]!] : r.shapes.length === 0 ? [0] : null;
    let owned: ArrayBuffer | null = r.buffer;
    const release = () => {
      const b = owned;
      owned = null;
      if (b === null || this.closed) return;
      // Detached from the user's views as it moves (no copy): no view can read a later batch.
      const moved = reclaim(b);
      if (moved) this.spares.keep(moved);
    };
    const batch = {
      epoch,
      batch: r.batch,
      indices: r.indices,
      labels: r.labels,
      sources: r.sources,
      data,
      shape,
      samples,
      params: r.params,
      skipped: r.skipped,
    };
    // Not enumerable: a batch still spreads, compares and clones as its data.
    Object.defineProperty(batch, "release", { value: release, writable: true, configurable: true });
    Object.defineProperty(batch, dispose, { value: release, writable: true, configurable: true });
    return batch as Batch;
  }

  private resume(from: LoaderState | string): void {
    let s: LoaderState;
    try {
      s = typeof from === "string" ? (JSON.parse(from) as LoaderState) : from;
    } catch {
      throw new SyntaxError("resumeFrom: not valid JSON");
    }
    if (typeof s !== "object" || s === null || s.format !== "lockstep-loader/1")
      throw new TypeError(`resumeFrom must be a state from loader.state(), got ${describe(s)}`);
    const mine = this.state();
    for (const k of ["seed", "length", "batchSize", "shuffle", "dropLast", "rank", "worldSize", "uneven"] as const) {
      if (s[k] !== mine[k])
        throw new RangeError(
          `resumeFrom.${k} is ${describe(s[k])}, but this loader has ${JSON.stringify(mine[k])}: resuming would not give the same batches`,
        );
    }
    if (JSON.stringify(s.pipeline) !== JSON.stringify(mine.pipeline))
      throw new RangeError("resumeFrom.pipeline differs from this loader's pipeline: resuming would not give the same batches");
    this.currentEpoch = checkCount(s.epoch, "resumeFrom.epoch");
    const batch = checkCount(s.batch, "resumeFrom.batch");
    if (batch > this.length) throw new RangeError(`resumeFrom.batch must be at most ${this.length} (batches per epoch), got ${batch}`);
    this.position = batch;
  }

  private async stopWorkers(): Promise<void> {
    const p = this.pool;
    this.pool = null;
    if (p) await p.close();
  }
}
