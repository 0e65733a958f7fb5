import { isTensor, metaOf, checkImage, checkTensor, describe, type Channels, type Image, type Meta } from "../image.js";
import { foldIn, sampleKey, checkSeed, checkCount, TAG, type Key } from "../random/keys.js";
import { Stream } from "../random/stream.js";
import type { Generator } from "../random/generator.js";
import { execute, type Sample } from "./execute.js";
import { checkOp, opMeta, type Op } from "./ops.js";
import { hasTargets, mapTargets as mapEachTarget, splitSample, withoutMasks, type TargetState } from "../targets/sample.js";
import { mapTarget, type Geo } from "../targets/geometry.js";
import { checkSemantics, DEFAULT_SEMANTICS, type Semantics } from "../functional/semantics.js";

/** JSON values: what params, records and configs are made of. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A transform as JSON: its type name and its constructor's fields. */
export interface TransformJSON {
  type: string;
  [field: string]: Json;
}

/**
 * The randomness of one transform slot: its key, a lazily made stream, and its children's
 * slots; plus the semantics the call runs with (the auto-augment policies draw from
 * torchvision v1's or v2's magnitude tables accordingly).
 */
export class Context {
  private stream?: Stream;
  constructor(readonly key: Key, readonly semantics: Semantics = DEFAULT_SEMANTICS) {}
  /** This slot's draws. */
  get rng(): Stream {
    return (this.stream ??= new Stream(this.key));
  }
  /** The slot of child `i`: a key folded from this one, stable whatever else the pipeline holds. */
  child(i: number): Context {
    return new Context(foldIn(this.key, i, TAG.slot), this.semantics);
  }
  /** This slot under another semantics (for a Compose that sets its own; it draws nothing itself). */
  withSemantics(semantics: Semantics): Context {
    return semantics === this.semantics ? this : new Context(this.key, semantics);
  }
}

/** Keyed randomness: the output is a pure function of (seed, epoch, index). */
export interface KeyedOptions {
  seed: number | bigint;
  index?: number;
  epoch?: number;
}

/** Sequential randomness: each call advances the generator, like torch.Generator. */
export interface SequentialOptions {
  generator: Generator;
}

/** Where a call's randomness comes from. */
export type RandomOptions = KeyedOptions | SequentialOptions;

/** Options of `apply`: the randomness, and optionally a buffer to write the result into. */
export type ApplyOptions = (RandomOptions | Record<string, never>) & { out?: Uint8Array | Float32Array };

/**
/**
 * What a transform takes: an Image or a Tensor, or a sample holding one image and its targets
 * (BoundingBoxes, Mask, KeyPoints) in plain objects and arrays, e.g. `{ image, boxes, labels }`
 * or `[image, { boxes, masks, labels }]`; other values (labels, ids) pass through untouched.
 */
export type SampleInput = Sample | readonly unknown[] | { readonly [key: string]: unknown };
/** What a transform returns for an input: a Sample for an image or tensor, else the same structure with the image and targets transformed. */
export type SampleOutput<I> = I extends Sample ? Sample : I;

/**
 * What `applyWithRecord` returns and `replay` takes: the input's meta, every drawn parameter
 * and the semantics the pixels were computed with (records without it replay as "pil").
 */
export interface TransformRecord {
  meta: Meta;
  params: Json;
  semantics?: Semantics;
}

const HOW_TO_SEED =
  "pass { seed, index, epoch } for keyed randomness (reproducible per sample, any worker count) or { generator: new Generator(seed) } for sequential randomness";

/** The root context of a call, or null for a pipeline that draws nothing. */
function rootContext(t: Transform, opts: object | undefined): Context | null {
  const o = (opts ?? {}) as Partial<KeyedOptions & SequentialOptions>;
  const keyed = o.seed !== undefined;
  if (keyed && o.generator !== undefined) throw new TypeError(`pass either seed or generator, not both; ${HOW_TO_SEED}`);
  if (o.generator !== undefined) {
    if (typeof (o.generator as Partial<Generator>).nextKey !== "function") throw new TypeError(`generator must be a lockstep Generator, got ${describe(o.generator)}`);
    return new Context(o.generator.nextKey(), t.semantics);
  }
  if (keyed) return new Context(sampleKey(checkSeed(o.seed), checkCount(o.epoch ?? 0, "epoch"), checkCount(o.index ?? 0, "index")), t.semantics);
  if (o.index !== undefined || o.epoch !== undefined) throw new TypeError(`index and epoch need a seed; ${HOW_TO_SEED}`);
  if (t.random) throw new TypeError(`${t.type} draws random parameters and no randomness was given: ${HOW_TO_SEED}`);
  return null;
}

/** Whether `sample` was handed a meta ({ kind } or { width, height } without data) rather than a sample. */
function isMetaLike(x: unknown): boolean {
  if (typeof x !== "object" || x === null || Array.isArray(x)) return false;
  const o = x as { kind?: unknown; data?: unknown; width?: unknown };
  return (o.kind === "image" || o.kind === "tensor") || (o.data === undefined && typeof o.width === "number");
}

function toMeta(x: unknown): Meta {
  if (typeof x === "object" && x !== null && (x as { kind?: unknown }).kind !== undefined) {
    const m = x as Meta;
    if (m.kind === "tensor") {
      if (!Array.isArray(m.shape) || m.shape.length < 1 || !m.shape.every((d) => Number.isInteger(d) && d >= 1)) {
        throw new TypeError(`meta.shape must be an array of positive integers, got ${describe(m.shape)}`);
      }
      return { kind: "tensor", shape: [...m.shape] };
    }
    checkImage({ ...m, data: new Uint8Array(m.width * m.height * m.channels) }, "meta");
    return m;
  }
  if (typeof x === "object" && x !== null && (x as Image).data === undefined && typeof (x as Image).width === "number") {
    const m = x as { width: number; height: number; channels?: Channels };
    const meta: Meta = { kind: "image", width: m.width, height: m.height, channels: m.channels ?? 3 };
    checkImage({ ...meta, data: new Uint8Array(meta.width * meta.height * meta.channels) }, "meta");
    return meta;
  }
  const s = x as Sample;
  if (isTensor(s)) checkTensor(s, "input");
  else checkImage(s, "input");
  return metaOf(s);
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
  /** The constructor's arguments as JSON (without `type`). */
  protected abstract config(): Record<string, Json>;

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

  /** This transform as JSON; `fromJSON` rebuilds it. */
  toJSON(): TransformJSON {
    return { type: this.type, ...this.config() };
  }

  /**
   * Draws the parameters for an input (an Image, a Tensor or its meta) without touching
   * pixels. With the same randomness, `apply` uses exactly these.
   */
  sample(input: SampleInput | Meta | { width: number; height: number; channels?: Channels }, opts?: RandomOptions): P {
    const split = isMetaLike(input) ? null : splitSample(input);
    const meta = toMeta(split ? split.image : input);
    const ctx = rootContext(this, opts) ?? new Context([0, 0], this.semantics);
    return this.makeParams(ctx, meta, this.paramTargets(split?.state ?? null));
  }

  /** Applies the transform. Keyed (`{ seed, index, epoch }`) or sequential (`{ generator }`). */
  apply<I extends SampleInput>(input: I, opts?: ApplyOptions): SampleOutput<I> {
    return this.applyWithRecord(input, opts).output;
  }

  /**
   * Applies the transform and returns the record that {@link replay} reproduces it from. A
   * sample's targets move with the same params as its image.
   */
  applyWithRecord<I extends SampleInput>(input: I, opts?: ApplyOptions): { output: SampleOutput<I>; record: TransformRecord } {
    const split = splitSample(input);
    const meta = toMeta(split.image);
    const ctx = rootContext(this, opts) ?? new Context([0, 0], this.semantics);
    const params = this.makeParams(ctx, meta, this.paramTargets(split.state));
    const semantics = this.semantics;
    return { output: this.finish(split, meta, params, semantics, opts?.out) as SampleOutput<I>, record: { meta, params, semantics } };
  }

  /**
   * Re-applies recorded parameters: the same output as the call that made the record, with
   * the record's semantics ("pil" for records that name none).
   */
  replay<I extends SampleInput>(input: I, record: TransformRecord, opts: { out?: Uint8Array | Float32Array } = {}): SampleOutput<I> {
    if (typeof record !== "object" || record === null || !("params" in record) || !("meta" in record)) {
      throw new TypeError(`record must be { meta, params } as returned by applyWithRecord, got ${describe(record)}`);
    }
    const split = splitSample(input);
    const meta = toMeta(split.image);
    if (JSON.stringify(meta) !== JSON.stringify(record.meta)) {
      throw new RangeError(`record was made for input ${JSON.stringify(record.meta)}, but this input is ${JSON.stringify(meta)}`);
    }
    const semantics = checkSemantics(record.semantics, "record.semantics");
    return this.finish(split, meta, record.params as P, semantics, opts.out) as SampleOutput<I>;
  }

  /** The targets makeParams sees: boxes and key points (no mask pixels), only when it reads them. */
  private paramTargets(state: TargetState | null): TargetState | undefined {
    return state && this.needsTargets ? withoutMasks(state) : undefined;
  }

  /** Runs the image's ops and moves the targets, then rebuilds the sample. */
  private finish(split: ReturnType<typeof splitSample>, meta: Meta, params: P, semantics: Semantics, out?: Uint8Array | Float32Array): unknown {
    // Targets first: a transform that cannot take them (e.g. FiveCrop) fails before pixel work.
    const state = split.state ? this.mapTargets(params, meta, split.state, semantics) : null;
    return split.rebuild(this.run(split.image, meta, params, semantics, out), state);
  }

  /**
   * Applies the transform to a batch: `{ seed, epoch, indices }` (or `{ generator }`) as
   * `apply`, `backend` "wasm" (default), "webgpu" or "auto". Resolves to NCHW f32 (or a list
   * of images) and the backend used; the bytes are the same on every backend (src/gpu/batch.ts).
   * Samples with targets are accepted: their targets move on the host (result.samples).
   */
  applyBatch(images: readonly SampleInput[], opts?: import("../gpu/batch.js").BatchOptions): Promise<import("../gpu/batch.js").BatchResult> {
    return import("../gpu/batch.js").then((m) => m.applyBatch(this, images, opts));
  }

  private run(input: Sample, meta: Meta, params: P, semantics: Semantics, out?: Uint8Array | Float32Array): Sample {
    const ops = this.ops(params, meta, semantics);
    let m = meta;
    for (const op of ops) {
      checkOp(op, this.type);
      m = opMeta(op, m);
    }
    return execute(input, ops, out);
  }
}

/** A transform that draws nothing: `makeParams` returns null and `ops` depends on meta only. */
export abstract class Deterministic extends Transform<null> {
  readonly random = false;
  makeParams(): null {
    return null;
  }
}
