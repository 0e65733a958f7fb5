import { metaOf, checkArea, checkSample, checkSide, checkTensor, describe, type Channels, type Meta } from "../image.js";
import type { Generator } from "../random/generator.js";
import { execute, type Sample } from "../ir/execute.js";
import { Context, resolveContexts } from "../ir/context.js";
import { runBatch, type BatchOptions, type BatchResult, type GpuBatchResult } from "../ir/batch.js";
import { checkOp, opMeta, type Op } from "../ir/ops.js";
import { configOf, declarationOf } from "./declare.js";
import { snapshot, type Json, type TransformJSON } from "./json.js";
import { hasTargets, mapTargets as mapEachTarget, splitSample, withoutMasks, type TargetState } from "../targets/sample.js";
import { mapTarget, type Geo } from "../targets/geometry.js";
import { checkSemantics, DEFAULT_SEMANTICS, type Semantics } from "../functional/semantics.js";
import type { OutputOf, SampleOutput } from "./output.js";
import { checkOptionKeys } from "../functional/args.js";
import { isKernelImage, kernelMeta, type KernelImage } from "../kernel/image.js";

export { Context };
export type { Json, TransformJSON };

/** Keyed randomness: the output is a pure function of (seed, epoch, index). */
export interface KeyedOptions {
  seed: number | bigint;
  index?: number;
  epoch?: number;
  /** Not with a seed: one source of randomness per call. */
  generator?: undefined;
}

/** Sequential randomness: each call advances the generator, like torch.Generator. */
export interface SequentialOptions {
  generator: Generator;
  /** Not with a generator: one source of randomness per call. */
  seed?: undefined;
}

/** Where a call's randomness comes from. */
export type RandomOptions = KeyedOptions | SequentialOptions;

/** No randomness: for pipelines that draw nothing. */
export interface NoRandomOptions {
  seed?: undefined;
  generator?: undefined;
  index?: undefined;
  epoch?: undefined;
}

/**
 * Where the result's pixels go, with no allocation per call: a buffer of yours (u8 for an image,
 * f32 for a tensor, of the output's length), or `"reuse"`: a buffer this transform object keeps
 * and writes every `"reuse"` call's result into. A `"reuse"` result's `data` IS that buffer, so
 * the next `"reuse"` call on the same transform object (any input) overwrites it: copy it
 * (`data.slice()`) to keep it. A call whose output has another length or kind gets a new buffer
 * (earlier results keep theirs); calls without `"reuse"` never touch it. Without `out`, every
 * call returns a fresh array (the torchvision behaviour). A {@link KernelImage} of the result's
 * size (an image result) is written in place and returned: no copy out of kernel memory.
 */
export interface OutOptions {
  out?: Uint8Array | Float32Array | "reuse" | KernelImage;
}

/** Options of `apply`: the randomness (none for a pipeline that draws nothing), and optionally a buffer to write the result into. */
export type ApplyOptions = (RandomOptions | NoRandomOptions) & OutOptions;

/**
 * What a transform takes: an Image or a Tensor, or a sample holding one image and its targets
 * (BoundingBoxes, Mask, KeyPoints) in plain objects and arrays, e.g. `{ image, boxes, labels }`
 * or `[image, { boxes, masks, labels }]`; other values (labels, ids) pass through untouched.
 */
export type SampleInput = Sample | readonly unknown[] | { readonly [key: string]: unknown };

/**
 * What `applyWithRecord` returns and `replay` takes: the input's meta, every drawn parameter
 * and the semantics the pixels were computed with (records without it replay as "pil").
 */
export interface TransformRecord {
  meta: Meta;
  params: Json;
  semantics?: Semantics;
}

/** What `applyWithRecord` returns: the output, and the record `replay` reproduces it from. */
export interface WithRecord<O> {
  output: O;
  record: TransformRecord;
}
/** Deepest nesting of a record: params nest up to two levels per container, plus a leaf's own. */
const RECORD_DEPTH = 4 * 64 + 16;

const HOW_TO_SEED =
  "pass { seed, index, epoch } for keyed randomness (reproducible per sample, any worker count) or { generator: new Generator(seed) } for sequential randomness";

/** The keys `sample` and `apply` take (apply also `out`). */
const RANDOM_KEYS = ["seed", "index", "epoch", "generator"] as const;
const APPLY_KEYS = [...RANDOM_KEYS, "out"] as const;
const APPLY_INDEX = { option: "index", at: () => "index", how: HOW_TO_SEED };

/** The options object of apply/replay/sample, its fields read once; `{}` for undefined; unknown keys refused by name. */
function checkApplyOptions(
  opts: unknown,
  allowed: readonly string[] = APPLY_KEYS,
  what = "options",
): { seed?: unknown; index?: unknown; epoch?: unknown; generator?: unknown; out?: Uint8Array | Float32Array | "reuse" | KernelImage } {
  if (opts === undefined) return {};
  if (typeof opts !== "object" || opts === null)
    throw new TypeError(`${what} must be an object like { seed, index, epoch } or { generator }, got ${describe(opts)}`);
  checkOptionKeys(opts, allowed, what);
  const o = opts as Record<string, unknown>;
  const out = o.out;
  if (out !== undefined && out !== "reuse" && !(out instanceof Uint8Array) && !(out instanceof Float32Array) && !isKernelImage(out))
    throw new TypeError(
      `out must be a Uint8Array or a KernelImage (image output), a Float32Array (tensor output) or "reuse", got ${describe(out)}`,
    );
  return { seed: o.seed, index: o.index, epoch: o.epoch, generator: o.generator, out };
}

/** The root context of a call (key [0, 0] for a pipeline that draws nothing): the resolver applyBatch uses, for one sample. */
function rootContext(t: Transform, opts: object | undefined, allowed: readonly string[] = APPLY_KEYS): Context {
  const o = checkApplyOptions(opts, allowed);
  return resolveContexts(t, o, 1, o.index === undefined ? undefined : [o.index], APPLY_INDEX)[0]!;
}

/** A meta from its fields, each read once and checked (the meta names the argument). */
function checkMeta(kind: unknown, x: Record<string, unknown>, defaultChannels?: Channels): Meta {
  if (kind === "tensor") {
    const shape = checkTensor({ shape: x.shape, data: new Float32Array(0) }, "meta").shape;
    return { kind: "tensor", shape };
  }
  if (kind !== "image") throw new TypeError(`meta.kind must be "image" or "tensor", got ${describe(kind)}`);
  const width = checkSide(x.width, "meta.width");
  const height = checkSide(x.height, "meta.height");
  const channels = x.channels ?? defaultChannels;
  if (channels !== 1 && channels !== 3 && channels !== 4)
    throw new RangeError(`meta.channels must be 1, 3 or 4, got ${describe(channels)}`);
  checkArea(width, height, "meta");
  return { kind: "image", width, height, channels };
}

/** The meta of what `sample` was given: an Image, a Tensor, a Meta or { width, height, channels? }. */
/** Whether `sample` was handed a meta ({ kind } or { width, height } without data) rather than a sample. */
function isMetaLike(x: unknown): boolean {
  if (typeof x !== "object" || x === null || Array.isArray(x)) return false;
  const o = x as { kind?: unknown; data?: unknown; width?: unknown };
  return o.kind === "image" || o.kind === "tensor" || (o.data === undefined && typeof o.width === "number");
}

function toMeta(x: unknown): Meta {
  if (typeof x !== "object" || x === null) throw new TypeError(`input must be an Image, a Tensor or its meta, got ${describe(x)}`);
  const o = x as Record<string, unknown>;
  const kind = o.kind;
  if (kind !== undefined) return checkMeta(kind, o);
  const data = o.data;
  if (data === undefined) return checkMeta("image", { width: o.width, height: o.height, channels: o.channels }, 3);
  return metaOf(checkSample(x, "input"));
}

/**
 * A transform, torchvision v2 style: `makeParams` draws parameters (plain JSON) from a
 * slot's randomness, `ops` turns parameters into pixel operations. Everything a user
 * calls (`apply`, `sample`, `applyWithRecord`, `replay`) is built on those two.
 */
export abstract class Transform<P extends Json = Json> {
  /** The torchvision class name, also the `type` in JSON. */
  abstract readonly type: string;
  /** Whether `makeParams` draws anything. */
  abstract readonly random: boolean;

  /**
   * Draws this transform's parameters for an input described by `meta`. `targets` holds the
   * sample's boxes and key points at this point of the pipeline, for transforms that
   * read them ({@link needsTargets}); others ignore it.
   */
  abstract makeParams(ctx: Context, meta: Meta, targets?: TargetState): P;
  /**
   * The pixel operations that apply `params` to an input described by `meta`, computed the
   * way torchvision does under `semantics` (parameters never depend on it).
   */
  abstract ops(params: P, meta: Meta, semantics?: Semantics): Op[];
  /** The constructor's arguments as JSON (without `type`): by default the declared fields (declare.ts), read from the instance. */
  protected config(): Record<string, Json> {
    const d = declarationOf(this.constructor);
    if (!d) throw new TypeError(`${this.type} has no declaration: define() it (src/transforms/declare.ts) or override config()`);
    return configOf(d, this);
  }

  /**
   * The semantics this transform runs with when called directly: a `Compose`'s own option,
   * otherwise "pil" (torchvision on PIL images). Nested transforms take their parent's.
   */
  get semantics(): Semantics {
    return DEFAULT_SEMANTICS;
  }

  /** The meta of the output, from the ops. */
  outputMeta(meta: Meta, params: P, semantics: Semantics = this.semantics): Meta {
    return this.ops(params, meta, semantics).reduce((m, op) => opMeta(op, m), meta);
  }

  /**
   * Draws the parameters and returns them with the output's meta (and, with `move`, the
   * targets moved by them). Containers override it to do all in one walk, so a pipeline's cost
   * stays linear in its nesting depth.
   */
  sampleWithMeta(ctx: Context, meta: Meta, targets?: TargetState, move = false): [P, Meta, TargetState | undefined] {
    const params = this.makeParams(ctx, meta, targets);
    const out = this.outputMeta(meta, params, ctx.semantics);
    // With `move`, also the targets as these params leave them (for a later sibling that reads them).
    return [params, out, move && targets ? this.mapTargets(params, meta, targets, ctx.semantics) : targets];
  }

  /**
   * The geometric calls (torchvision's functional calls: crop, pad, resize, rotate, ...) these
   * params make, which move the sample's targets; null for transforms that leave targets
   * alone (colour, blur, tensors).
   */
  geometry(_params: P, _meta: Meta, _semantics: Semantics = DEFAULT_SEMANTICS): Geo[] | null {
    return null;
  }

  /** Whether makeParams reads the sample's targets (then `sample` and `apply` hand them in). */
  get needsTargets(): boolean {
    return false;
  }

  /**
   * Moves the targets with the same params as the image: each geometric call of {@link geometry}
   * in turn, under the image's `semantics` (an expanding rotation's canvas is the image's).
   */
  mapTargets(params: P, meta: Meta, state: TargetState, semantics: Semantics = DEFAULT_SEMANTICS): TargetState {
    const geo = this.geometry(params, meta, semantics);
    if (!geo || geo.length === 0 || !hasTargets(state)) return state;
    return mapEachTarget(state, (t) => geo.reduce((v, g) => mapTarget(g, v), t));
  }

  /**
   * {@link mapTargets} and the output's meta. Containers override it to do both in one walk,
   * so moving targets through a pipeline stays linear in its nesting depth.
   */
  mapTargetsWithMeta(params: P, meta: Meta, state: TargetState, semantics: Semantics = DEFAULT_SEMANTICS): [TargetState, Meta] {
    return [this.mapTargets(params, meta, state, semantics), this.outputMeta(meta, params, semantics)];
  }

  /** This transform as JSON; `fromJSON` rebuilds it. */
  toJSON(): TransformJSON {
    return { type: this.type, ...this.config() };
  }

  /**
   * Draws the parameters for an input (an Image, a Tensor or its meta) without touching
   * pixels. With the same randomness, `apply` uses exactly these.
   */
  sample(input: SampleInput | Meta | { width: number; height: number; channels?: Channels }, opts?: RandomOptions): P {
    if (isKernelImage(input)) return this.makeParams(rootContext(this, opts, RANDOM_KEYS), kernelMeta(input), undefined);
    const split = isMetaLike(input) ? null : splitSample(input);
    const meta = toMeta(split ? split.image : input);
    const ctx = rootContext(this, opts, RANDOM_KEYS);
    return this.makeParams(ctx, meta, this.paramTargets(split?.state ?? null));
  }

  /**
   * Applies the transform. Keyed (`{ seed, index, epoch }`) or sequential (`{ generator }`). A
   * {@link KernelImage} input is read in place; a KernelImage `out` receives an image result in
   * place and is what this returns.
   */
  apply<I extends SampleInput | KernelImage>(input: I, opts: ApplyOptions & { out: KernelImage }): KernelImage;
  apply<I extends SampleInput | KernelImage>(input: I, opts?: ApplyOptions): I extends KernelImage ? OutputOf<this> : SampleOutput<I, this>;
  apply(input: SampleInput | KernelImage, opts?: ApplyOptions): unknown {
    return this.applyWithRecord(input as SampleInput, opts).output;
  }

  /**
   * Applies the transform and returns the record that {@link replay} reproduces it from. A
   * sample's targets move with the same params as its image.
   */
  applyWithRecord<I extends SampleInput>(input: I, opts?: ApplyOptions): WithRecord<SampleOutput<I, this>> {
    // One snapshot of the sample (image and targets, each field read once and checked): the
    // params are drawn for, and the ops and target moves run on, the same values.
    const split = splitOf(input);
    const meta = metaOf(split.image);
    const o = checkApplyOptions(opts);
    const ctx = rootContext(this, o);
    const params = this.makeParams(ctx, meta, this.paramTargets(split.state));
    const semantics = this.semantics;
    return { output: this.finish(split, meta, params, semantics, o.out) as SampleOutput<I, this>, record: { meta, params, semantics } };
  }

  /**
   * Re-applies recorded parameters: the same output as the call that made the record, with
   * the record's semantics ("pil" for records that name none).
   */
  replay<I extends SampleInput>(input: I, record: TransformRecord, opts?: OutOptions): SampleOutput<I, this> {
    if (typeof record !== "object" || record === null || !("params" in record) || !("meta" in record)) {
      throw new TypeError(`record must be { meta, params } as returned by applyWithRecord, got ${describe(record)}`);
    }
    // Records may come from anywhere: a plain copy reads every getter once and drops proxies.
    const copy = snapshot(record, "record", 0, RECORD_DEPTH) as { meta: Json; params: Json; semantics?: unknown };
    const split = splitOf(input);
    const meta = metaOf(split.image);
    if (JSON.stringify(meta) !== JSON.stringify(copy.meta)) {
      throw new RangeError(`record was made for input ${JSON.stringify(copy.meta)}, but this input is ${JSON.stringify(meta)}`);
    }
    const semantics = checkSemantics(copy.semantics, "record.semantics");
    return this.finish(split, meta, copy.params as P, semantics, checkApplyOptions(opts, ["out"], "replay options").out) as SampleOutput<
      I,
      this
    >;
  }

  /** The targets makeParams sees: boxes and key points (no mask pixels), only when it reads them. */
  private paramTargets(state: TargetState | null): TargetState | undefined {
    return state && this.needsTargets ? withoutMasks(state) : undefined;
  }

  /** Runs the image's ops and moves the targets, then rebuilds the sample. */
  private finish(
    split: ReturnType<typeof splitSample>,
    meta: Meta,
    params: P,
    semantics: Semantics,
    out?: Uint8Array | Float32Array | "reuse" | KernelImage,
  ): unknown {
    // Targets first: a transform that cannot take them (e.g. FiveCrop) fails before pixel work.
    const state = split.state ? this.mapTargets(params, meta, split.state, semantics) : null;
    return split.rebuild(this.run(split.image, meta, params, semantics, out), state);
  }

  /**
   * Applies the transform to a batch: `{ seed, epoch, indices }` (or `{ generator }`) as
   * `apply`, `backend` "wasm" (default), "webgpu" or "auto". Resolves to NCHW f32 (or a list
   * of images) and the backend used; the bytes are the same on every backend (src/gpu/batch.ts).
   * Samples with targets are accepted: their targets move on the host (result.samples).
   * {@link KernelImage}s are accepted as images: the wasm backend reads them in place (checked
   * usable when the call is made); WebGPU copies them out before it awaits the device.
   */
  applyBatch(images: readonly (SampleInput | KernelImage)[], opts: BatchOptions & { output: "gpu" }): Promise<GpuBatchResult>;
  applyBatch(images: readonly (SampleInput | KernelImage)[], opts?: BatchOptions): Promise<BatchResult>;
  applyBatch(images: readonly (SampleInput | KernelImage)[], opts?: BatchOptions): Promise<BatchResult | GpuBatchResult> {
    return runBatch(this, images, opts);
  }

  private run(input: Sample, meta: Meta, params: P, semantics: Semantics, out?: Uint8Array | Float32Array | "reuse" | KernelImage): Sample {
    const ops = checkedOps(this, params, meta, semantics);
    // A KernelImage input or out comes back as itself (typed Sample for the rebuild, which passes it on).
    return execute(
      input,
      ops,
      out === "reuse"
        ? reusable(
            this,
            ops.reduce((m, op) => opMeta(op, m), meta),
          )
        : out,
    ) as Sample;
  }
}

/**
 * The sample split into image and targets; a KernelImage is a bare image (it is checked usable
 * where it is read). Its snapshot is the KernelImage itself, typed as a Sample for the split.
 */
function splitOf(input: unknown): ReturnType<typeof splitSample> {
  if (!isKernelImage(input)) return splitSample(input);
  return { image: input as unknown as Sample, state: null, rebuild: (out) => out };
}

/** Each transform's `out: "reuse"` buffer (see {@link OutOptions}); a WeakMap, so it goes with the transform. */
const REUSE = new WeakMap<Transform, Uint8Array | Float32Array>();

/** The transform's reusable output buffer for an output described by `meta`: kept while the output's kind and length stay the same. */
function reusable(t: Transform, meta: Meta): Uint8Array | Float32Array {
  const tensor = meta.kind === "tensor";
  const n = tensor ? meta.shape.reduce((a, b) => a * b, 1) : meta.width * meta.height * meta.channels;
  let b = REUSE.get(t);
  if (!b || b.length !== n || b instanceof Float32Array !== tensor) {
    b = tensor ? new Float32Array(n) : new Uint8Array(n);
    REUSE.set(t, b);
  }
  return b;
}

/**
 * The ops `t.apply` runs for `params` on an input described by `meta`, each checked (errors name
 * the transform). Internal: the Loader runs them on an image held in kernel memory.
 */
export function checkedOps<P extends Json>(t: Transform<P>, params: P, meta: Meta, semantics: Semantics = t.semantics): Op[] {
  const ops = t.ops(params, meta, semantics);
  let m = meta;
  for (const op of ops) {
    checkOp(op, t.type);
    m = opMeta(op, m);
  }
  return ops;
}

/** A transform that draws nothing: `makeParams` returns null and `ops` depends on meta only. */
export abstract class Deterministic extends Transform<null> {
  readonly random = false;
  makeParams(): null {
    return null;
  }
}
