// GaussianBlur, GaussianNoise, RandomErasing, LinearTransformation and Lambda: sampling as
// torchvision's, pixels in the kernel (assembly/filter.ts, assembly/noise.ts).
import { checkSample, describe, metaOf, type Image, type Meta, type Tensor } from "../image.js";
import { kmath } from "../kernel/math.js";
import { checkFinite, roundHalfEven } from "../functional/args.js";
import { checkKernelSize, checkSigmaValue, gaussianBlur, linearTransformation, MAX_MATRIX } from "../functional/filter.js";
import { checkNoise, eraseConstants, erase, eraseRandom, gaussianNoise } from "../functional/erase.js";
import type { Key } from "../random/keys.js";
import { Stream, type Rng } from "../random/stream.js";
import { Context, Deterministic, Transform, type Json, type TransformJSON } from "./base.js";
import type { Sample } from "../ir/execute.js";
import { defineOp, type Op, type OpArgs } from "../ir/ops.js";
import type { EraseArgs } from "../ir/args.js";
import { checkBool, expectParams, isInt, isObject, imageMeta } from "./params.js";
import { define, parseArgs, type CtorArgs, type Declaration } from "./declare.js";
import * as K from "./kinds.js";

const FAMILY = "blur, noise, erasing";

type TensorMeta = Extract<Meta, { kind: "tensor" }>;

function tensorMeta(meta: Meta, type: string): TensorMeta & { c: number; h: number; w: number } {
  if (meta.kind !== "tensor") throw new TypeError(`${type} expects a tensor: place it after ToTensor`);
  const s = meta.shape;
  if (s.length < 3) throw new RangeError(`${type} expects a [..., C, H, W] tensor, got shape [${s.join(", ")}]`);
  return { ...meta, c: s[s.length - 3]!, h: s[s.length - 2]!, w: s[s.length - 1]! };
}

function checkRange(v: unknown, name: string, lo: number, hi: number, open: boolean): [number, number] {
  if (!Array.isArray(v) || v.length !== 2) throw new TypeError(`${name} must be [min, max], got ${describe(v)}`);
  const [a, b] = [checkFinite(v[0], `${name}[0]`), checkFinite(v[1], `${name}[1]`)];
  const bad = (x: number) => (open ? !(x > lo) : x < lo) || x > hi;
  if (bad(a) || bad(b)) throw new RangeError(`${name} values must be in ${open ? "(" : "["}${lo}, ${hi}], got [${a}, ${b}]`);
  if (a > b) throw new RangeError(`${name} must be [min, max] with min <= max, got [${a}, ${b}]`);
  return [a, b];
}

const isKey = (v: unknown): v is [number, number] =>
  Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === "number" && Number.isInteger(x) && x >= 0 && x <= 0xffffffff);

// ---------------------------------------------------------------------------------------
// Ops

interface BlurArgs extends OpArgs {
  kernelSize: [number, number];
  sigma: [number, number];
}

defineOp<BlurArgs>("gaussianBlur", {
  meta: (_, meta) => imageMeta(meta, "GaussianBlur"),
  check: (a) => {
    try {
      checkKernelSize(a.kernelSize);
      if (!Array.isArray(a.sigma) || a.sigma.length !== 2) return "sigma must be [sigmaX, sigmaY]";
      a.sigma.forEach((s, i) => checkSigmaValue(s, `sigma[${i}]`));
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  },
  run: (x, a) => gaussianBlur(x as Image, a.kernelSize, a.sigma),
});

interface NoiseArgs extends OpArgs {
  mean: number;
  sigma: number;
  clip: boolean;
  key: [number, number];
}

defineOp<NoiseArgs>("gaussianNoise", {
  meta: (_, meta) => meta,
  check: (a) => (isKey(a.key) ? null : `key must be two unsigned 32-bit integers, got ${describe(a.key)}`),
  run: (x, a) => gaussianNoise(x, { key: a.key, mean: a.mean, sigma: a.sigma, clip: a.clip }),
});

defineOp<EraseArgs>("erase", {
  meta: (a, meta) => {
    const m = tensorMeta(meta, "RandomErasing");
    if (a.top + a.height > m.h || a.left + a.width > m.w) {
      throw new RangeError(
        `RandomErasing: the region ${a.height}x${a.width} at (${a.top}, ${a.left}) does not fit in the ${m.h}x${m.w} tensor`,
      );
    }
    if (a.value !== "random" && a.value.length !== m.c)
      throw new RangeError(`RandomErasing: value has ${a.value.length} entries, but the tensor has ${m.c} channel${m.c === 1 ? "" : "s"}`);
    return meta;
  },
  check: (a) => {
    if (![a.top, a.left, a.height, a.width].every((v) => isInt(v) && v >= 0 && v <= 2 ** 30))
      return "top/left/height/width must be non-negative integers";
    if (a.value === "random" && !isKey(a.key)) return `key must be two unsigned 32-bit integers, got ${describe(a.key)}`;
    return null;
  },
  run: (x, a) => {
    const t = x as Tensor;
    const opts = { inplace: a.inplace };
    return a.value === "random"
      ? eraseRandom(t, a.top, a.left, a.height, a.width, a.key!, opts)
      : erase(t, a.top, a.left, a.height, a.width, a.value, opts);
  },
});

interface LinearArgs extends OpArgs {
  matrix: Float32Array;
  mean: Float32Array;
}

defineOp<LinearArgs>("linearTransformation", {
  meta: (a, meta) => {
    const m = tensorMeta(meta, "LinearTransformation");
    const d = m.c * m.h * m.w;
    if (d !== a.mean.length)
      throw new RangeError(
        `LinearTransformation: input tensor and transformation matrix have incompatible shape: [${m.c} x ${m.h} x ${m.w}] = ${d} != ${a.mean.length}`,
      );
    return meta;
  },
  check: (a) =>
    a.matrix instanceof Float32Array && a.mean instanceof Float32Array && a.matrix.length === a.mean.length ** 2
      ? null
      : "matrix must be d x d and mean d long",
  run: (x, a) => linearTransformation(x as Tensor, a.matrix, a.mean),
});

interface LambdaArgs extends OpArgs {
  fn: LambdaFn;
  name: string;
  key: [number, number] | null;
  outputMeta: ((meta: Meta) => Meta) | null;
}

defineOp<LambdaArgs>("lambda", {
  meta: (a, meta) => (a.outputMeta ? a.outputMeta(meta) : meta),
  check: (a) => (a.key === null || isKey(a.key) ? null : `key must be two unsigned 32-bit integers, got ${describe(a.key)}`),
  run: (x, a) => {
    const label = `Lambda ${JSON.stringify(a.name)}`;
    const want = a.outputMeta ? a.outputMeta(metaOf(x)) : metaOf(x);
    const y = a.fn(x, a.key ? new Stream(a.key) : noRandomness(a.name));
    if (typeof y !== "object" || y === null) throw new TypeError(`${label} must return an Image or a Tensor, got ${describe(y)}`);
    const out = checkSample(y, `${label}'s output`);
    const got = metaOf(out);
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      throw new RangeError(
        `${label} returned ${JSON.stringify(got)}, but ${a.outputMeta ? "its outputMeta says" : "without an outputMeta option it must keep its input's meta"} ${JSON.stringify(want)}`,
      );
    }
    return out;
  },
});

// ---------------------------------------------------------------------------------------
// GaussianBlur

/** Params of {@link GaussianBlur}: the sigma drawn for both axes. */
export interface GaussianBlurParams {
  [k: string]: Json;
  sigma: number;
}

/** GaussianBlur's sigma as [min, max]: a positive number s is [s, s]. */
function sigmaRange(sigma: unknown, name: string): [number, number] {
  if (typeof sigma === "number") {
    const s = checkSigmaValue(sigma, name);
    return [s, s];
  }
  if (!Array.isArray(sigma) || sigma.length !== 2)
    throw new TypeError(`${name} must be a positive number or [min, max], got ${describe(sigma)}`);
  const [a, b] = [checkSigmaValue(sigma[0], `${name}[0]`), checkSigmaValue(sigma[1], `${name}[1]`)];
  if (a > b) throw new RangeError(`${name} must be [min, max] with min <= max, got [${a}, ${b}]`);
  return [a, b];
}

const GaussianBlurDecl = {
  name: "GaussianBlur",
  family: FAMILY,
  summary: "a Gaussian kernel (odd `k` or `[kx, ky]`), sigma fixed or drawn from `[min, max]`",
  positional: ["kernelSize", "sigma"] as const,
  fields: {
    kernelSize: {
      kind: K.custom(
        "odd `k` or `[kx, ky]`",
        { anyOf: [{ type: "integer", minimum: 1 }, K.tuple({ type: "integer", minimum: 1 }, 2)] },
        (v, n) => checkKernelSize(v, n),
        ["3", true, [3, 3, 3]],
        [2, [3, 4], 0],
      ),
      required: true,
    },
    sigma: {
      kind: K.custom(
        "number > 0 or `[min, max]`",
        { anyOf: [{ type: "number", exclusiveMinimum: 0 }, K.tuple({ type: "number", exclusiveMinimum: 0 }, 2)] },
        (v, n) => sigmaRange(v, n),
        ["1", true, [1, 2, 3]],
        [0, -1, [2, 1]],
      ),
      default: [0.1, 2.0],
    },
  },
} satisfies Declaration;

/**
 * Blurs with a Gaussian kernel whose sigma is drawn uniformly from [min, max] (torchvision
 * GaussianBlur). `kernelSize`: an odd k or [kx, ky]; `sigma`: a fixed value or [min, max]
 * (default [0.1, 2.0]). Images only (u8, before ToTensor).
 */
export class GaussianBlur extends Transform<GaussianBlurParams> {
  readonly type = "GaussianBlur";
  readonly random: boolean;
  readonly kernelSize: [number, number];
  readonly sigma: [number, number];

  constructor(...args: CtorArgs<{ kernelSize: number | number[]; sigma: number | [number, number] }, typeof GaussianBlurDecl.positional>) {
    super();
    const { kernelSize, sigma } = parseArgs<{ kernelSize: number | number[]; sigma: number | [number, number] }>(GaussianBlurDecl, args);
    this.kernelSize = checkKernelSize(kernelSize);
    this.sigma = sigmaRange(sigma, "sigma");
    this.random = this.sigma[0] !== this.sigma[1];
  }

  makeParams(ctx: Context, meta: Meta): GaussianBlurParams {
    imageMeta(meta, this.type);
    return { sigma: this.random ? ctx.rng.uniform(this.sigma[0], this.sigma[1]) : this.sigma[0] };
  }

  ops(params: GaussianBlurParams, meta: Meta): Op[] {
    imageMeta(meta, this.type);
    expectParams(isObject(params) && typeof params.sigma === "number", this.type, "{ sigma: number }", params);
    return [{ op: "call", name: "gaussianBlur", args: { kernelSize: this.kernelSize, sigma: [params.sigma, params.sigma] } }];
  }
}

// ---------------------------------------------------------------------------------------
// GaussianNoise

/** Options of {@link GaussianNoise}. */
export interface GaussianNoiseTransformOptions {
  mean?: number;
  sigma?: number;
  clip?: boolean;
}

/** Params of {@link GaussianNoise} and random erasing: the key of the noise field. */
export interface NoiseParams {
  [k: string]: Json;
  key: [number, number];
}

const GaussianNoiseDecl = {
  name: "GaussianNoise",
  family: FAMILY,
  summary: "x + N(mean, sigma²) per element from a keyed Philox field, clamped to [0, 1] when `clip`",
  positional: ["mean", "sigma", "clip"] as const,
  fields: {
    mean: {
      kind: K.custom(
        "number",
        { type: "number", minimum: -1e30, maximum: 1e30 },
        (v) => checkNoise(v, 0, true),
        ["0", true, null],
        [2e30, NaN],
      ),
      default: 0,
    },
    sigma: {
      kind: K.custom(
        "number >= 0",
        { type: "number", minimum: 0, maximum: 1e30 },
        (v) => checkNoise(0, v, true),
        ["0", true, null],
        [-1, Infinity],
      ),
      default: 0.1,
    },
    clip: { kind: K.bool, default: true },
  },
} satisfies Declaration;

/**
 * Adds Gaussian noise (torchvision v2 GaussianNoise): x + N(mean, sigma^2) per element, then
 * clamped to [0, 1] when `clip` (tensors). Each element's normal comes from Philox with the
 * element index as counter and the transform's slot key as key, by Box-Muller computed in the
 * kernel, so the noise is the same on every engine and any worker. Images (u8) are accepted
 * too: round(x + 255 * noise), saturated; the same noise field as the tensor after ToTensor.
 * Params: the slot key, so a record replays the noise.
 */
export class GaussianNoise extends Transform<NoiseParams> {
  readonly type = "GaussianNoise";
  readonly random = true;
  readonly mean: number;
  readonly sigma: number;
  readonly clip: boolean;

  constructor(...args: CtorArgs<GaussianNoiseTransformOptions, typeof GaussianNoiseDecl.positional>) {
    super();
    const o = parseArgs<Required<GaussianNoiseTransformOptions>>(GaussianNoiseDecl, args);
    const c = checkNoise(o.mean, o.sigma, o.clip);
    this.mean = c.mean;
    this.sigma = c.sigma;
    this.clip = c.clip;
  }

  makeParams(ctx: Context): NoiseParams {
    return { key: [ctx.key[0], ctx.key[1]] };
  }

  ops(params: NoiseParams): Op[] {
    expectParams(isObject(params) && isKey(params.key), this.type, "{ key: [k0, k1] }", params);
    return [{ op: "call", name: "gaussianNoise", args: { mean: this.mean, sigma: this.sigma, clip: this.clip, key: params.key } }];
  }
}

// ---------------------------------------------------------------------------------------
// RandomErasing

/** Options of {@link RandomErasing}. */
export interface RandomErasingOptions {
  p?: number;
  scale?: [number, number];
  ratio?: [number, number];
  value?: number | number[] | "random";
  inplace?: boolean;
}

/** Params of {@link RandomErasing}: the region (and the noise key for value "random"), or null when nothing is erased. */
export type RandomErasingParams = {
  [k: string]: Json;
  top: number;
  left: number;
  height: number;
  width: number;
  key: [number, number] | null;
} | null;

const RandomErasingDecl = {
  name: "RandomErasing",
  family: FAMILY,
  summary: 'a random rectangle of a tensor with probability `p`; `value` a number, one per channel or "random"',
  positional: ["p", "scale", "ratio", "value", "inplace"] as const,
  fields: {
    p: { kind: K.prob, default: 0.5 },
    scale: {
      kind: K.custom(
        "`[min, max]` in [0, 1]",
        K.tuple({ type: "number", minimum: 0, maximum: 1 }, 2),
        (v, n) => checkRange(v, n, 0, 1, false),
        [1, "1", [1]],
        [
          [0.5, 0.1],
          [0, 2],
        ],
      ),
      default: [0.02, 0.33],
    },
    ratio: {
      kind: K.custom(
        "`[min, max]`, both > 0",
        K.tuple({ type: "number", exclusiveMinimum: 0 }, 2),
        (v, n) => checkRange(v, n, 0, 1e30, true),
        [1, "1", [1]],
        [
          [3, 1],
          [0, 1],
        ],
      ),
      default: [0.3, 3.3],
    },
    value: {
      kind: K.custom(
        'number, per-channel numbers or "random"',
        { anyOf: [{ type: "number" }, { type: "array", items: { type: "number" }, minItems: 1 }, { const: "random" }] },
        (v, n) => {
          if (typeof v === "string" ? v !== "random" : typeof v !== "number" && !(Array.isArray(v) && v.length >= 1))
            throw new TypeError(`${n} must be a number, an array of numbers (1 or one per channel) or "random", got ${describe(v)}`);
          if (typeof v === "number") checkFinite(v, n);
        },
        [true, "zero", []],
        [Infinity],
      ),
      default: 0,
    },
    inplace: { kind: K.bool, default: false },
  },
} satisfies Declaration;

/**
 * Erases a random rectangle of a tensor with probability p (torchvision RandomErasing):
 * torchvision's get_params (10 tries at an area fraction uniform in `scale` and a
 * log-uniform aspect ratio h / w in `ratio`; nothing erased when none fits). `value`: a
 * number, one per channel, or "random" for standard normal values (drawn like
 * GaussianNoise, from the slot key). Params: null when nothing is erased. `inplace: true`
 * writes into the tensor it receives, as torchvision (the caller's own tensor when it is the
 * pipeline's input).
 */
export class RandomErasing extends Transform<RandomErasingParams> {
  readonly type = "RandomErasing";
  readonly random = true;
  readonly p: number;
  readonly scale: [number, number];
  readonly ratio: [number, number];
  readonly value: number | number[] | "random";
  readonly inplace: boolean;

  /** torchvision's `(p, scale, ratio, value, inplace)`, any prefix of them, then optionally the rest by name. */
  constructor(...args: CtorArgs<RandomErasingOptions, typeof RandomErasingDecl.positional>) {
    super();
    const opts = parseArgs<Required<RandomErasingOptions>>(RandomErasingDecl, args);
    this.p = opts.p;
    this.scale = checkRange(opts.scale, "scale", 0, 1, false);
    this.ratio = checkRange(opts.ratio, "ratio", 0, 1e30, true);
    const v = opts.value;
    if (v === "random") this.value = v;
    else if (typeof v === "number") this.value = checkFinite(v, "value");
    else if (Array.isArray(v) && v.length >= 1 && v.length <= 65536) this.value = v.map((x, i) => checkFinite(x, `value[${i}]`));
    else throw new TypeError(`value must be a number, an array of numbers (1 or one per channel) or "random", got ${describe(v)}`);
    this.inplace = checkBool(opts.inplace, "inplace", false);
  }

  makeParams(ctx: Context, meta: Meta): RandomErasingParams {
    const m = tensorMeta(meta, this.type);
    if (this.value !== "random") eraseConstants(this.value, m.c, "value");
    if (!(ctx.rng.random() < this.p)) return null;
    const area = m.h * m.w;
    const logRatio = [kmath.log(this.ratio[0]), kmath.log(this.ratio[1])] as const;
    for (let attempt = 0; attempt < 10; attempt++) {
      const eraseArea = area * ctx.rng.uniform(this.scale[0], this.scale[1]);
      const aspect = kmath.exp(ctx.rng.uniform(logRatio[0], logRatio[1]));
      const h = roundHalfEven(Math.sqrt(eraseArea * aspect));
      const w = roundHalfEven(Math.sqrt(eraseArea / aspect));
      if (!(h < m.h && w < m.w)) continue;
      const top = ctx.rng.randint(0, m.h - h + 1);
      const left = ctx.rng.randint(0, m.w - w + 1);
      return { top, left, height: h, width: w, key: this.value === "random" ? [ctx.key[0], ctx.key[1]] : null };
    }
    return null;
  }

  ops(params: RandomErasingParams, meta: Meta): Op[] {
    const m = tensorMeta(meta, this.type);
    if (params === null) return [];
    expectParams(
      isObject(params) && [params.top, params.left, params.height, params.width].every(isInt) && (params.key === null || isKey(params.key)),
      this.type,
      "null or { top, left, height, width, key }",
      params,
    );
    const value = this.value === "random" ? "random" : eraseConstants(this.value, m.c, "value");
    return [
      {
        op: "call",
        name: "erase",
        args: {
          top: params.top,
          left: params.left,
          height: params.height,
          width: params.width,
          value,
          key: params.key,
          inplace: this.inplace,
        },
      },
    ];
  }
}

// ---------------------------------------------------------------------------------------
// LinearTransformation

function matrixOf(v: unknown): Float32Array {
  if (v instanceof Float32Array) {
    const d = Math.round(Math.sqrt(v.length));
    if (d * d !== v.length || d < 1)
      throw new RangeError(`transformationMatrix must be square: a flat Float32Array needs d * d entries, got ${v.length}`);
    if (v.length > MAX_MATRIX) throw new RangeError(`transformationMatrix has ${v.length} entries, over the limit of ${MAX_MATRIX}`);
    v.forEach((x, i) => {
      if (!Number.isFinite(x)) throw new RangeError(`transformationMatrix[${i}] must be finite, got ${x}`);
    });
    return v.slice();
  }
  if (!Array.isArray(v) || v.length < 1)
    throw new TypeError(`transformationMatrix must be a d x d array of rows (or a flat Float32Array), got ${describe(v)}`);
  const d = v.length;
  if (d * d > MAX_MATRIX) throw new RangeError(`transformationMatrix has ${d * d} entries, over the limit of ${MAX_MATRIX}`);
  if (!v.every(Array.isArray))
    throw new TypeError(`transformationMatrix must be a d x d array of rows (or a flat Float32Array), got ${describe(v)}`);
  const out = new Float32Array(d * d);
  (v as unknown[][]).forEach((row, i) => {
    if (row.length !== d) throw new RangeError(`transformationMatrix must be square: row ${i} has ${row.length} entries, expected ${d}`);
    row.forEach((x, j) => (out[i * d + j] = checkF32(x, `transformationMatrix[${i}][${j}]`)));
  });
  return out;
}

function checkF32(x: unknown, name: string): number {
  const v = checkFinite(x, name);
  if (!Number.isFinite(Math.fround(v))) throw new RangeError(`${name} must be within float32 range, got ${v}`);
  return v;
}

function vectorOf(v: unknown, d: number): Float32Array {
  const arr = v instanceof Float32Array ? Array.from(v) : v;
  if (!Array.isArray(arr)) throw new TypeError(`meanVector must be an array of ${d} numbers, got ${describe(v)}`);
  if (arr.length !== d) throw new RangeError(`meanVector has ${arr.length} entries, but transformationMatrix is ${d} x ${d}`);
  return Float32Array.from(arr, (x, i) => checkF32(x, `meanVector[${i}]`));
}

const LinearTransformationDecl = {
  name: "LinearTransformation",
  family: FAMILY,
  summary: "`(x - meanVector) @ transformationMatrix` on the flattened tensor (whitening)",
  positional: ["transformationMatrix", "meanVector"] as const,
  fields: {
    transformationMatrix: {
      kind: K.custom(
        "d × d rows of numbers",
        { type: "array", items: { type: "array", items: { type: "number" } }, minItems: 1 },
        (v) => matrixOf(v),
        ["m", 1, {}],
        [[[1, 2]], [[1, 2], [3]]],
      ),
      required: true,
    },
    meanVector: {
      kind: K.custom(
        "d numbers",
        { type: "array", items: { type: "number" }, minItems: 1 },
        (v, n) => {
          if (!Array.isArray(v) && !(v instanceof Float32Array))
            throw new TypeError(`${n} must be an array of numbers (one per row of transformationMatrix), got ${describe(v)}`);
        },
        ["v", 1, {}],
        [],
      ),
      required: true,
    },
  },
} satisfies Declaration;

/**
 * Whitening (torchvision LinearTransformation): each [C, H, W] item is flattened to x (d =
 * C * H * W) and becomes (x - meanVector) @ transformationMatrix. The matrix is d x d
 * (rows, or a flat row-major Float32Array), stored as f32 like torch. Computed in the kernel
 * in f32 with a fixed summation order, so the bytes are the same everywhere; torch (BLAS)
 * sums in another order, so the two agree to float32 rounding, not bit for bit. JSON holds
 * the whole matrix (d^2 numbers).
 */
export class LinearTransformation extends Deterministic {
  readonly type = "LinearTransformation";
  readonly transformationMatrix: Float32Array;
  readonly meanVector: Float32Array;

  constructor(
    ...args: CtorArgs<
      { transformationMatrix: number[][] | Float32Array; meanVector: number[] | Float32Array },
      typeof LinearTransformationDecl.positional
    >
  ) {
    super();
    const o = parseArgs(LinearTransformationDecl, args);
    this.transformationMatrix = matrixOf(o.transformationMatrix);
    this.meanVector = vectorOf(o.meanVector, Math.round(Math.sqrt(this.transformationMatrix.length)));
  }

  ops(_: null, meta: Meta): Op[] {
    tensorMeta(meta, this.type);
    return [{ op: "call", name: "linearTransformation", args: { matrix: this.transformationMatrix, mean: this.meanVector } }];
  }

  protected override config(): Record<string, Json> {
    const d = this.meanVector.length;
    const rows: number[][] = [];
    for (let i = 0; i < d; i++) rows.push(Array.from(this.transformationMatrix.subarray(i * d, (i + 1) * d)));
    return { transformationMatrix: rows, meanVector: Array.from(this.meanVector) };
  }
}

// ---------------------------------------------------------------------------------------
// Lambda

/** A user transform: the input (treat it as read-only) and the transform's own keyed stream. */
export type LambdaFn = (x: Sample, rng: Rng) => Sample;

/** Options of {@link Lambda}. */
export interface LambdaOptions {
  /** Name for JSON (`{ "type": "Lambda", "name": ... }`); fromJSON finds the function by it in {@link registerLambda}'s registry. */
  name?: string;
  /** Whether the function draws from its rng (default true: applying needs a seed or generator). */
  random?: boolean;
  /** The output's meta from the input's, when the function changes size, kind or channels (default: unchanged). */
  outputMeta?: (meta: Meta) => Meta;
}

const lambdas = new Map<string, { fn: LambdaFn; outputMeta?: (meta: Meta) => Meta }>();

function checkName(name: unknown): string {
  if (typeof name !== "string" || !/^[A-Za-z0-9_.:\-/]{1,100}$/.test(name)) {
    throw new TypeError(`name must be 1-100 characters of letters, digits and _ . : - /, got ${describe(name)}`);
  }
  return name;
}

/**
 * Makes a user function known to fromJSON under `name`, so pipelines holding
 * `new Lambda(fn, { name })` can be serialised and rebuilt (in another process or worker,
 * register the same function first). Registering a different function under a taken name
 * is an error.
 */
export function registerLambda(name: string, fn: LambdaFn, opts: { outputMeta?: (meta: Meta) => Meta } = {}): void {
  checkName(name);
  if (typeof fn !== "function") throw new TypeError(`fn must be a function (x, rng) => output, got ${describe(fn)}`);
  const had = lambdas.get(name);
  if (had && had.fn !== fn) throw new RangeError(`a different function is already registered as Lambda ${JSON.stringify(name)}`);
  lambdas.set(name, { fn, outputMeta: opts.outputMeta });
}

function noRandomness(name: string): Rng {
  const fail = (): never => {
    throw new TypeError(
      `Lambda ${JSON.stringify(name)} was declared { random: false } but used its rng; drop random: false to get a keyed stream`,
    );
  };
  return { nextU32: fail, random: fail, uniform: fail, randint: fail };
}

/** Params of {@link Lambda}: its slot key (the stream handed to the function), or null when not random. */
export type LambdaParams = { [k: string]: Json; key: [number, number] } | null;

const LambdaDecl = {
  name: "Lambda",
  family: FAMILY,
  summary: "your function `(x, rng) => output`, with its own keyed stream; JSON names it (`registerLambda`)",
  positional: ["fn"] as const,
  fields: {
    fn: {
      kind: {
        ...K.fn,
        text: "function `(x, rng) => output`",
        check: (v) => {
          if (typeof v !== "function") throw new TypeError(`fn: Lambda needs a function (x, rng) => output, got ${describe(v)}`);
        },
      },
      required: true,
    },
    name: {
      kind: K.nullable(
        K.custom(
          "name string",
          { type: "string", minLength: 1 },
          (v, n) => {
            if (typeof v !== "string") throw new TypeError(`${n} must be a string, got ${describe(v)}`);
          },
          [1, true],
        ),
      ),
      default: null,
    },
    random: { kind: K.bool, default: true },
    outputMeta: {
      kind: { ...K.fn, text: "function `(meta) => meta`", wrongType: [1, "f"] },
      doc: "the output's meta when it differs from the input's",
    },
  },
} satisfies Declaration;

/**
 * A user transform (torchvision Lambda) whose function also receives its own keyed stream:
 * `new Lambda((x, rng) => ..., { name })`. The stream is the transform's slot stream, so the
 * function's draws are reproducible like any built-in transform's, and a record replays them.
 * JSON: `{ "type": "Lambda", "name", "random" }`; fromJSON looks the function up in the
 * registry filled by {@link registerLambda}. toJSON of a Lambda without a name throws.
 */
export class Lambda extends Transform<LambdaParams> {
  readonly type = "Lambda";
  readonly random: boolean;
  readonly fn: LambdaFn;
  readonly name: string | null;
  private readonly metaFn: ((meta: Meta) => Meta) | null;

  constructor(...args: CtorArgs<LambdaOptions & { fn: LambdaFn }, typeof LambdaDecl.positional>) {
    super();
    const opts = parseArgs<LambdaOptions & { fn: LambdaFn }>(LambdaDecl, args);
    this.fn = opts.fn;
    this.name = opts.name === null || opts.name === undefined ? null : checkName(opts.name);
    this.random = opts.random ?? true;
    this.metaFn = opts.outputMeta ?? null;
  }

  makeParams(ctx: Context): LambdaParams {
    return this.random ? { key: [ctx.key[0], ctx.key[1]] } : null;
  }

  ops(params: LambdaParams): Op[] {
    if (this.random) expectParams(isObject(params) && isKey(params.key), this.type, "{ key: [k0, k1] }", params);
    const key = this.random ? (params as { key: Key }).key : null;
    return [
      {
        op: "call",
        name: "lambda",
        args: { fn: this.fn, name: this.name ?? "(unnamed)", key: key ? [key[0], key[1]] : null, outputMeta: this.metaFn },
      },
    ];
  }

  override toJSON(): TransformJSON {
    if (this.name === null) {
      throw new TypeError(
        "Lambda cannot be serialised without a name: construct it as new Lambda(fn, { name }) and call registerLambda(name, fn) wherever the pipeline is rebuilt with fromJSON",
      );
    }
    const had = lambdas.get(this.name);
    if (had && had.fn !== this.fn)
      throw new RangeError(
        `Lambda ${JSON.stringify(this.name)}: a different function is registered under this name, so fromJSON would rebuild another transform`,
      );
    return super.toJSON();
  }
}

// ---------------------------------------------------------------------------------------
// Declarations

define(GaussianBlur, GaussianBlurDecl);
define(GaussianNoise, GaussianNoiseDecl);
define(RandomErasing, RandomErasingDecl);
define(LinearTransformation, LinearTransformationDecl);
define(Lambda, LambdaDecl, (f) => {
  const name = checkName(f.name);
  const entry = lambdas.get(name);
  if (!entry)
    throw new RangeError(
      `name: no function is registered as Lambda ${JSON.stringify(name)}; call registerLambda(${JSON.stringify(name)}, fn) before fromJSON`,
    );
  return new Lambda(entry.fn, { name, random: f.random as boolean | undefined, outputMeta: entry.outputMeta });
});
