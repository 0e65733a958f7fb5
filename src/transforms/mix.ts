// Batch transforms: MixUp and CutMix (torchvision v2), on a whole batch and its labels. Their
// randomness is keyed by (seed, epoch, batch number), so a Loader batch gets the same mix for
// any number of workers. Pixels and label weights in float32 as torch computes them.
import { describe, type Tensor } from "../image.js";
import { checkFinite } from "../functional/args.js";
import { checkCount, checkSeed, foldIn, seedKey, TAG, type Key } from "../random/keys.js";
import type { Stream } from "../random/stream.js";
import { sampleBeta } from "../random/distributions.js";
import type { Generator } from "../random/generator.js";
import { kernel } from "../kernel/instance.js";
import { resolveContexts, type IndexNaming } from "../ir/context.js";
import { DEFAULT_SEMANTICS } from "../functional/semantics.js";
import type { Json, TransformJSON } from "./base.js";
import { declarationOf, declare, parseArgs, type CtorArgs, type Declaration } from "./declare.js";
import * as K from "./kinds.js";

/** Where a batch's randomness comes from: keyed (seed, epoch, batch number) or a Generator. */
export type BatchRandom = { seed: number | bigint; epoch?: number; batch?: number } | { generator: Generator };

/** A batch: NCHW float32 images (or NHWC u8 images, CutMix only) and their labels (class indices, or [N, K] probabilities). */
export interface MixBatch {
  images: Tensor | { shape: number[]; data: Uint8Array };
  labels: ArrayLike<number> | Tensor;
}

/** What a batch transform returns: the mixed images and [N, numClasses] float32 label weights. */
export interface MixedBatch {
  images: Tensor | { shape: number[]; data: Uint8Array };
  labels: Tensor;
}

/** The key of batch `batch` of `epoch`: a domain of its own, so it never equals a sample's key. */
export function batchKey(seed: number | bigint, epoch: number, batch: number): Key {
  return foldIn(foldIn(seedKey(checkSeed(seed)), checkCount(epoch, "epoch"), TAG.epoch), checkCount(batch, "batch"), TAG.batch);
}

/** How a batch transform's errors name its batch number. */
const BATCH_NUMBER: IndexNaming = { option: "batch", at: () => "batch", how: "pass { seed, epoch, batch } (keyed) or { generator }" };

/** The batch's draws, through the one seed→Context resolver (src/ir/context.ts) with the batch's key. */
function streamOf(type: string, opts: BatchRandom | undefined): Stream {
  const o = (opts ?? {}) as Partial<{ seed: number | bigint; epoch: number; batch: number; generator: Generator }>;
  const owner = { type, random: true, semantics: DEFAULT_SEMANTICS };
  return resolveContexts(owner, o, 1, o.batch === undefined ? undefined : [o.batch], BATCH_NUMBER, batchKey)[0]!.rng;
}

function checkBatch(b: unknown, needFloat: boolean, who: string): { n: number; h: number; w: number; f32: boolean } {
  if (typeof b !== "object" || b === null)
    throw new TypeError(`${who}: the batch must be { images, labels } or [images, labels], got ${describe(b)}`);
  const img = (b as MixBatch).images;
  if (typeof img !== "object" || img === null || !Array.isArray(img.shape) || img.shape.length !== 4)
    throw new TypeError(`${who}: images must be a batch tensor of shape [N, C, H, W] (or NHWC u8), got ${describe(img)}`);
  const f32 = img.data instanceof Float32Array;
  if (!f32 && !(img.data instanceof Uint8Array))
    throw new TypeError(`${who}: images.data must be a Float32Array (NCHW) or a Uint8Array (NHWC), got ${describe(img.data)}`);
  if (needFloat && !f32)
    throw new TypeError(
      `${who} needs float images (torch cannot blend uint8 in place either): end the pipeline with ToTensor or ToDtype("float32")`,
    );
  const s = img.shape;
  if (!s.every((d) => Number.isInteger(d) && d >= 1) || img.data.length !== s.reduce((a, c) => a * c, 1))
    throw new RangeError(`${who}: images.shape [${s.join(", ")}] does not match images.data (${img.data.length} values)`);
  return { n: s[0]!, h: f32 ? s[2]! : s[1]!, w: f32 ? s[3]! : s[2]!, f32 };
}

/** Base of MixUp and CutMix: alpha, numClasses, the label mixing and the keyed API. */
abstract class MixBase<P extends { [k: string]: Json }> {
  abstract readonly type: string;
  readonly alpha: number;
  readonly numClasses: number | null;

  /** `{ alpha, numClasses }` (keyword-only in torchvision). */
  constructor(...args: CtorArgs<{ alpha?: number; numClasses?: number | null }, readonly []>) {
    const opts = parseArgs<{ alpha?: number; numClasses?: number | null }>(declarationOf(new.target)!, args);
    this.alpha = checkFinite(opts.alpha ?? 1.0, "alpha");
    if (!(this.alpha > 0)) throw new RangeError(`alpha must be > 0, got ${this.alpha}`);
    const nc = opts.numClasses ?? null;
    if (nc !== null && !(Number.isInteger(nc) && nc >= 1 && nc <= 1e6))
      throw new RangeError(`numClasses must be an integer in [1, 1e6], got ${describe(nc)}`);
    this.numClasses = nc;
  }

  /** Draws the params for a batch of `batchSize` images of height x width. */
  abstract draw(s: Stream, meta: { batchSize: number; height: number; width: number }): P;
  /** Mixes the images with the params (new memory). */
  protected abstract mixImages(images: MixBatch["images"], params: P): MixBatch["images"];
  /** The label weight of each sample's own label (lambda). */
  protected abstract lambda(params: P): number;
  protected abstract checkParams(params: unknown): P;

  /** The params `apply` would draw for this batch. */
  sample(batch: MixBatch, opts: BatchRandom): P {
    const b = checkBatch(batch, false, this.type);
    return this.draw(streamOf(this.type, opts), { batchSize: b.n, height: b.h, width: b.w });
  }

  /**
   * The params and mixed labels of a batch of `batchSize` images of height x width, without its
   * images: applyWithRecord's draws and labels, for a backend that mixes the images itself
   * (applyBatch's `mix` on the GPU, src/gpu/batch.ts).
   */
  mixLabels(
    meta: { batchSize: number; height: number; width: number },
    labels: MixBatch["labels"],
    opts: BatchRandom,
  ): { params: P; labels: Tensor } {
    const params = this.draw(streamOf(this.type, opts), meta);
    return { params, labels: mixRows(this.oneHot(labels, meta.batchSize), meta.batchSize, this.lambda(params)) };
  }

  /** Mixes a batch: `{ images, labels }` keyed by `{ seed, epoch, batch }` (or `{ generator }`). */
  apply(batch: MixBatch, opts: BatchRandom): MixedBatch {
    return this.applyWithRecord(batch, opts).output;
  }

  applyWithRecord(batch: MixBatch, opts: BatchRandom): { output: MixedBatch; record: { params: P } } {
    const b = checkBatch(batch, this.type === "MixUp", this.type);
    const params = this.draw(streamOf(this.type, opts), { batchSize: b.n, height: b.h, width: b.w });
    return { output: this.run(batch, params), record: { params } };
  }

  /** The same output as the call that made `record`. */
  replay(batch: MixBatch, record: { params: P }): MixedBatch {
    return this.run(batch, this.checkParams(record?.params));
  }

  private run(batch: MixBatch, params: P): MixedBatch {
    const b = checkBatch(batch, this.type === "MixUp", this.type);
    const labels = this.oneHot(batch.labels, b.n);
    return { images: this.mixImages(batch.images, params), labels: mixRows(labels, b.n, this.lambda(params)) };
  }

  /** Labels as [N, K] float32: one-hot of class indices (numClasses needed), or the given probabilities. */
  private oneHot(labels: MixBatch["labels"], n: number): Tensor {
    if (typeof labels === "object" && labels !== null && "shape" in labels && (labels as Tensor).data instanceof Float32Array) {
      const t = labels as Tensor;
      if (t.shape.length !== 2 || t.shape[0] !== n)
        throw new RangeError(`${this.type}: 2-D labels must be [N, K] with N = ${n}, got [${t.shape.join(", ")}]`);
      if (this.numClasses !== null && t.shape[1] !== this.numClasses)
        throw new RangeError(`${this.type}: labels have ${t.shape[1]} classes but numClasses is ${this.numClasses}`);
      return { shape: [...t.shape], data: t.data.slice() };
    }
    const arr = labels as ArrayLike<number>;
    if (typeof arr !== "object" || arr === null || typeof arr.length !== "number")
      throw new TypeError(
        `${this.type}: labels must be class indices (an array of N integers) or an [N, K] float32 Tensor, got ${describe(labels)}`,
      );
    if (arr.length !== n) throw new RangeError(`${this.type}: ${arr.length} labels for a batch of ${n} images`);
    if (this.numClasses === null) throw new TypeError(`${this.type}: numClasses must be given for index labels`);
    const k = this.numClasses;
    const out = new Float32Array(n * k);
    for (let i = 0; i < n; i++) {
      const c = arr[i]!;
      if (!Number.isInteger(c) || c < 0 || c >= k)
        throw new RangeError(`${this.type}: labels[${i}] must be a class index in [0, ${k}), got ${describe(c)}`);
      out[i * k + c] = 1;
    }
    return { shape: [n, k], data: out };
  }

  toJSON(): TransformJSON {
    return { type: this.type, alpha: this.alpha, numClasses: this.numClasses };
  }
}

/** torch's x.roll(1, 0).mul_(1 - lam).add_(x.mul(lam)) on the rows of a [N, K] tensor, in the kernel. */
function mixRows(t: Tensor, n: number, lam: number): Tensor {
  return { shape: [...t.shape], data: blendRolled(t.data, n, lam) };
}

/** out[i] = f32(x[i - 1] * (1 - lam)) + f32(x[i] * lam) over N equal blocks of `data` (i - 1 wraps). */
function blendRolled(data: Float32Array, n: number, lam: number): Float32Array {
  const per = data.length / n;
  const rolled = new Float32Array(data.length);
  rolled.set(data.subarray((n - 1) * per), 0);
  rolled.set(data.subarray(0, (n - 1) * per), per);
  const { exports: k, arena } = kernel();
  arena.reset();
  const a = arena.putF32(rolled);
  const b = arena.putF32(data);
  const dst = arena.alloc(data.length * 4);
  k.blendF32(a, b, data.length, Math.fround(1 - lam), Math.fround(lam), dst);
  return arena.takeF32(dst, data.length);
}

/** Params of {@link MixUp}. */
export interface MixUpParams {
  [k: string]: Json;
  lam: number;
}

/**
 * MixUp (torchvision v2): every image and label becomes lam * itself + (1 - lam) * the previous
 * one in the batch (the first takes the last), lam ~ Beta(alpha, alpha). Needs float images.
 * Labels: class indices (give numClasses) or [N, K] probabilities; returns [N, K] float32.
 */
export class MixUp extends MixBase<MixUpParams> {
  readonly type = "MixUp";

  draw(s: Stream): MixUpParams {
    return { lam: sampleBeta(s, this.alpha) };
  }

  protected checkParams(p: unknown): MixUpParams {
    const lam = (p as MixUpParams | null)?.lam;
    if (typeof lam !== "number" || !(lam >= 0 && lam <= 1))
      throw new TypeError(`MixUp: params must be { lam in [0, 1] }, got ${describe(p)}`);
    return { lam };
  }

  protected lambda(p: MixUpParams): number {
    return p.lam;
  }

  protected mixImages(images: MixBatch["images"], p: MixUpParams): MixBatch["images"] {
    return { shape: [...images.shape], data: blendRolled(images.data as Float32Array, images.shape[0]!, p.lam) };
  }
}

/** Params of {@link CutMix}: the pasted box [x1, y1, x2, y2] and the adjusted lambda. */
export interface CutMixParams {
  [k: string]: Json;
  box: [number, number, number, number];
  lam: number;
}

/**
 * CutMix (torchvision v2): a box of area about (1 - lam) of the image, lam ~ Beta(alpha, alpha),
 * centred at a uniform pixel and clipped, is pasted from the previous image of the batch; labels
 * mix with the box's actual area (torchvision's lam_adjusted). Float NCHW or u8 NHWC batches.
 */
export class CutMix extends MixBase<CutMixParams> {
  readonly type = "CutMix";

  draw(s: Stream, meta: { height: number; width: number }): CutMixParams {
    const lam = sampleBeta(s, this.alpha);
    const { height: H, width: W } = meta;
    const rx = s.randint(0, W),
      ry = s.randint(0, H);
    const r = 0.5 * Math.sqrt(1.0 - lam);
    const rw = Math.trunc(r * W),
      rh = Math.trunc(r * H);
    const box: [number, number, number, number] = [Math.max(rx - rw, 0), Math.max(ry - rh, 0), Math.min(rx + rw, W), Math.min(ry + rh, H)];
    return { box, lam: 1.0 - ((box[2] - box[0]) * (box[3] - box[1])) / (W * H) };
  }

  protected checkParams(p: unknown): CutMixParams {
    const o = p as CutMixParams | null;
    const ok =
      o !== null &&
      typeof o === "object" &&
      Array.isArray(o.box) &&
      o.box.length === 4 &&
      o.box.every((v) => Number.isInteger(v) && v >= 0) &&
      typeof o.lam === "number";
    if (!ok) throw new TypeError(`CutMix: params must be { box: [x1, y1, x2, y2], lam }, got ${describe(p)}`);
    return { box: [o!.box[0], o!.box[1], o!.box[2], o!.box[3]], lam: o!.lam };
  }

  protected lambda(p: CutMixParams): number {
    return p.lam;
  }

  protected mixImages(images: MixBatch["images"], p: CutMixParams): MixBatch["images"] {
    const s = images.shape;
    const f32 = images.data instanceof Float32Array;
    const [n, a, b, c] = s as [number, number, number, number];
    const [H, W] = f32 ? [b, c] : [a, b];
    const [x1, y1, x2, y2] = p.box;
    if (x2 > W || y2 > H || x1 > x2 || y1 > y2) throw new RangeError(`CutMix: box [${p.box.join(", ")}] does not fit ${W}x${H} images`);
    const out = images.data.slice() as Float32Array | Uint8Array;
    const per = images.data.length / n;
    for (let i = 0; i < n; i++) {
      const from = ((i + n - 1) % n) * per,
        to = i * per;
      if (f32) {
        for (let ch = 0; ch < a; ch++) {
          for (let y = y1; y < y2; y++) {
            const row = ch * H * W + y * W;
            out.set(images.data.subarray(from + row + x1, from + row + x2), to + row + x1);
          }
        }
      } else {
        for (let y = y1; y < y2; y++) {
          const row = y * W * c;
          out.set(images.data.subarray(from + row + x1 * c, from + row + x2 * c), to + row + x1 * c);
        }
      }
    }
    return { shape: [...s], data: out } as MixBatch["images"];
  }
}

/** A batch transform: MixUp or CutMix. */
export type BatchTransform = MixUp | CutMix;

/** Rebuilds a batch transform from its JSON ({ type: "MixUp" | "CutMix", alpha, numClasses }). */
export function batchTransformFromJSON(json: unknown): BatchTransform {
  const o = (typeof json === "string" ? JSON.parse(json) : json) as Record<string, unknown>;
  if (typeof o !== "object" || o === null)
    throw new TypeError(`expected { type: "MixUp" | "CutMix", alpha, numClasses }, got ${describe(o)}`);
  for (const k of Object.keys(o))
    if (!["type", "alpha", "numClasses"].includes(k)) throw new RangeError(`$.${k}: unknown field (allowed: alpha, numClasses)`);
  const opts = { alpha: o.alpha as number | undefined, numClasses: o.numClasses as number | null | undefined };
  if (o.type === "MixUp") return new MixUp(opts);
  if (o.type === "CutMix") return new CutMix(opts);
  throw new RangeError(`$.type: expected "MixUp" or "CutMix", got ${describe(o.type)}`);
}

/**
 * The Loader's batch step: mixes a collated batch in place (its `data`, so the sample views
 * stay valid) keyed by (seed, epoch, batch number), and records the params and label weights
 * in `batch.mix`. Needs one shape for the whole batch and class-index labels.
 */
export function mixBatch(
  t: BatchTransform,
  batch: {
    epoch: number;
    batch: number;
    data: Float32Array | Uint8Array;
    shape: number[] | null;
    labels: unknown[];
    mix?: { type: string; params: Json; labels: Tensor };
  },
  seed: number | bigint,
): void {
  if (batch.shape === null || batch.shape.length !== 4)
    throw new RangeError(
      `${t.type}: the batch needs one shape for every sample (got ${batch.shape === null ? "mixed shapes" : `[${batch.shape.join(", ")}]`})`,
    );
  if (batch.labels.length === 0) return;
  const labels = batch.labels.map((l, i) => {
    if (typeof l !== "number")
      throw new TypeError(
        `${t.type}: the loader's labels must be class indices (numbers), got ${describe(l)} for sample ${i} of batch ${batch.batch}`,
      );
    return l;
  });
  const { output, record } = t.applyWithRecord(
    { images: { shape: batch.shape, data: batch.data } as MixBatch["images"], labels },
    { seed, epoch: batch.epoch, batch: batch.batch },
  );
  batch.data.set(output.images.data);
  batch.mix = { type: t.type, params: record.params, labels: output.labels };
}

/** MixUp's and CutMix's fields (batch transforms: not pipeline steps, so not in fromJSON's registry). */
const mixDecl = (name: string, summary: string) =>
  ({
    name,
    family: "batches",
    summary,
    positional: [],
    fields: {
      alpha: { kind: K.num(0, Infinity, true), default: 1.0 },
      numClasses: { kind: K.nullable(K.int(1, 1e6)), default: null },
    },
  }) satisfies Declaration;
declare(MixUp, mixDecl("MixUp", "blends pairs of a batch's images and labels with a Beta(alpha, alpha) weight"));
declare(CutMix, mixDecl("CutMix", "pastes a box of another image of the batch, labels weighted by area"));
