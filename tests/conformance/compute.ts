// Computes the conformance vectors with a given lockstep build and compares them with the committed
// answers. Platform-neutral: no Node APIs, so the same code runs in Node (main thread and
// worker_threads), Chromium (page and Web Worker), Deno, Bun and workerd, each handing in its own
// lockstep build. The generator (generate.ts) fills the answers through computeCase too.
// With backend "webgpu" the cases go through applyBatch(..., { backend: "auto" }) instead
// (runGpu, at the end), where the runtime has WebGPU.

/** An 8-bit HWC image or a float tensor, as lockstep passes them around. */
export interface Sample {
  width?: number;
  height?: number;
  channels?: 1 | 3 | 4;
  shape?: number[];
  data: Uint8Array | Float32Array;
}

interface Rng {
  randint(low: number, high: number): number;
}

/** The part of lockstep's API the runners use (any build: src, dist, a bundle). */
export interface Lockstep {
  fromJSON(json: unknown): Pipeline;
  /** lockstep/io's decode, for the decode cases (runners pass it in from the io entry). */
  decode?(bytes: Uint8Array, options: { mode: string; applyExifOrientation: boolean }): Promise<Sample>;
  registerLambda?(name: string, fn: (x: never, rng: never) => unknown, opts?: object): void;
  runtime?(): string;
}

type Meta = { kind: "image"; width: number; height: number; channels: number } | { kind: "tensor"; shape: number[] };

/** What applyBatch resolves to (src/gpu/batch.ts). */
export interface BatchResult {
  output: Sample | Sample[];
  backend: "wasm" | "webgpu";
  adapter?: string;
  fallback?: string;
}

/** A pipeline, as any lockstep build makes it. */
export interface Pipeline {
  random: boolean;
  applyWithRecord(input: never, opts?: object): { output: Sample; record: { params: unknown } };
  /** The params `apply` would draw, without pixel work. */
  sample(input: never, opts?: object): unknown;
  outputMeta(meta: Meta, params: never): Meta;
  applyBatch(images: never[], opts: object): Promise<BatchResult>;
}

/** One input: raw HWC bytes (base64), or a synthetic image from {@link syntheticImage}'s formula. */
export interface InputSpec {
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  /** Where the bytes came from (photos). */
  source?: string;
  base64?: string;
  /** The salt of the synthetic formula. */
  synthetic?: number;
}

/** One case: a pipeline on an input under a key, and what it must give. */
export interface Case {
  pipeline: number;
  input: string;
  /** A number, or a decimal string for seeds beyond 2^53 (passed as a bigint). */
  seed: number | string;
  epoch: number;
  index: number;
  /** "image WxHxC" or "tensor AxBxC". */
  out?: string;
  params?: unknown;
  sha256?: string;
  /** The error's class name (see errorOutcome), for cases every platform must refuse. */
  error?: string;
  /** Target cases: SHA-256 of the output's targets (see targetsDigest). */
  targets?: string;
}

export interface Vectors {
  about: string;
  version: number;
  inputs: Record<string, InputSpec>;
  pipelines: { name: string; transform: string; json: unknown }[];
  cases: Case[];
  /** Samples with targets (an input image plus boxes, masks, key points, labels), by name. */
  targetSamples?: Record<string, TargetSampleSpec>;
  /** Cases on target samples: `input` names a target sample; the outcome also hashes the targets. */
  targetCases?: Case[];
  /** Files decoded by lockstep/io (wasm rows; WebGPU rows run the transform cases). */
  decodes?: DecodeCase[];
}

/** A sample with targets, from an input image and explicit (or formula) target values. */
export interface TargetSampleSpec {
  image: string;
  /** { image, ...targets } or [image, { ...targets }] (torchvision's two structures). */
  layout: "dict" | "tuple";
  boxes?: { format: string; clampingMode: "soft" | "hard" | null; data: number[] };
  keypoints?: { shape: number[]; data: number[] };
  /** A label map [H, W] or instance masks [N, H, W], values from {@link syntheticMask}'s formula. */
  masks?: { shape: number[]; dtype: "u8" | "i32"; synthetic: number };
  labels?: number[];
}

/** One decode case: a file (base64), the options, and the image's shape and SHA-256 (or the error class). */
export interface DecodeCase {
  /** Where the bytes came from (and how they were damaged). */
  name: string;
  base64: string;
  mode: string;
  orient: boolean;
  out?: string;
  sha256?: string;
  error?: string;
}

/** What a case gave on this platform. */
export interface Outcome {
  out?: string;
  params?: unknown;
  sha256?: string;
  error?: string;
  message?: string;
  /** Target cases: SHA-256 of the output's targets. */
  targets?: string;
  /**
   * WebGPU rows: where the pixels were computed, and why "auto" chose wasm; "none": the
   * "gpu-only" row's backend "webgpu" refused the case (an op without a shader), `fallback` says why.
   */
  backend?: "wasm" | "webgpu" | "none" | "sampled";
  fallback?: string;
}

/** One row of the matrix. */
export interface Summary {
  platform: string;
  runtime: string;
  backend: string;
  cases: number;
  matches: number;
  mismatches: number;
  /** The first mismatching case: its number, what was expected, what came out, and its pipeline. */
  first: null | { n: number; name: string; case: Case; pipeline: unknown; got: Outcome };
  /** Milliseconds spent computing (after loading). */
  ms: number;
  /** The JavaScript engine that computed the row, as it reports itself ({@link engine}). */
  engine?: string;
  /** WebGPU rows: the adapter that computed them (e.g. "google swiftshader"). */
  adapter?: string;
  /** WebGPU rows: cases whose pixels the GPU computed, and cases "auto" sent to wasm. */
  gpu?: number;
  wasmFallback?: number;
  /** WebGPU rows: cases that ended in an error (the vectors' refused inputs). */
  refused?: number;
  /** WebGPU rows: why cases fell back to wasm (the reason applyBatch gave) -> number of cases; the "gpu-only" row: why backend "webgpu" refused them. */
  fallbacks?: Record<string, number>;
  /** The "gpu-only" row: cases backend "webgpu" refused for an op without a shader (neither matches nor mismatches). */
  noShader?: number;
  /** The "gpu-only" row on a software adapter: soft-float cases not run (1 in SOFT_FLOAT_EVERY runs), by the op "auto" named. */
  sampledOut?: number;
  sampledOutBy?: Record<string, number>;
  /** The "gpu-only" row: the sampled soft-float cases that ran on the GPU, by op. */
  sampledInBy?: Record<string, number>;
  /** WebGPU rows: applyBatch calls, and milliseconds to open the device and run a first batch (part of `ms`). */
  batches?: number;
  setupMs?: number;
  /**
   * Hosts that have not ported every transform type (the Python host: the target types, issue 12):
   * cases not run, of which target cases, and the missing types. A row that skips cases says so.
   */
  notPorted?: number;
  notPortedTargetCases?: number;
  notPortedTypes?: string[];
}

/**
 * A deterministic synthetic image: a gradient in x, y and channel plus a hash of the position,
 * so crops, flips and resampling all show. Integer arithmetic only.
 */
export function syntheticImage(width: number, height: number, channels: 1 | 3 | 4, salt: number): { width: number; height: number; channels: 1 | 3 | 4; data: Uint8Array } {
  const data = new Uint8Array(width * height * channels);
  let i = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++, i++) {
        const noise = Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(salt + 7, 0x85ebca6b);
        data[i] = (x * 29 + y * 13 + c * 71 + salt * 5 + ((noise >>> 26) & 63)) & 255;
      }
    }
  }
  return { width, height, channels, data };
}

function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The input images of a vector file, by name. */
export function decodeInputs(vectors: Pick<Vectors, "inputs">): Map<string, { width: number; height: number; channels: 1 | 3 | 4; data: Uint8Array }> {
  const out = new Map<string, { width: number; height: number; channels: 1 | 3 | 4; data: Uint8Array }>();
  for (const [name, s] of Object.entries(vectors.inputs)) {
    if (s.base64 !== undefined) {
      const data = fromBase64(s.base64);
      if (data.length !== s.width * s.height * s.channels) throw new Error(`input ${name}: ${data.length} bytes for ${s.width}x${s.height}x${s.channels}`);
      out.set(name, { width: s.width, height: s.height, channels: s.channels, data });
    } else {
      out.set(name, syntheticImage(s.width, s.height, s.channels, s.synthetic ?? 0));
    }
  }
  return out;
}

/**
 * Mask values by formula (integer arithmetic): label blocks for a label map, blobs of 0/1 for
 * instance masks; i32 masks use large label ids.
 */
export function syntheticMask(shape: number[], dtype: "u8" | "i32", salt: number): Uint8Array | Int32Array {
  const [n, h, w] = shape.length === 3 ? (shape as [number, number, number]) : [0, shape[0]!, shape[1]!];
  const planes = shape.length === 3 ? n : 1;
  const out = dtype === "u8" ? new Uint8Array(planes * h * w) : new Int32Array(planes * h * w);
  let i = 0;
  for (let p = 0; p < planes; p++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++, i++) {
        const v = shape.length === 3 ? ((x + y * 3 + p * 11 + salt) >> 3) & 1 : ((x >> 2) * 3 + (y >> 2) * 5 + salt) % 6;
        out[i] = dtype === "u8" ? v : v * 70001 + ((x >> 3) & 1);
      }
    }
  }
  return out;
}

/** Builds a target sample: plain objects, as lockstep's constructors make them (no library call needed). */
export function buildTargetSample(spec: TargetSampleSpec, images: ReturnType<typeof decodeInputs>): unknown {
  const image = images.get(spec.image);
  if (!image) throw new Error(`target sample: no input ${spec.image}`);
  const t: Record<string, unknown> = {};
  const canvas = [image.height, image.width];
  if (spec.boxes) t.boxes = { kind: "boxes", format: spec.boxes.format, canvasSize: canvas, clampingMode: spec.boxes.clampingMode, data: Float32Array.from(spec.boxes.data) };
  if (spec.keypoints) t.keypoints = { kind: "keypoints", canvasSize: canvas, shape: [...spec.keypoints.shape], data: Float32Array.from(spec.keypoints.data) };
  if (spec.masks) t.masks = { kind: "mask", shape: [...spec.masks.shape], data: syntheticMask(spec.masks.shape, spec.masks.dtype, spec.masks.synthetic) };
  if (spec.labels) t.labels = [...spec.labels];
  return spec.layout === "tuple" ? [image, t] : { image, ...t };
}

const hex = (b: Uint8Array): string => Array.from(b, (v) => v.toString(16).padStart(2, "0")).join("");

/**
 * A canonical text of a sample's output without its image: JSON of the structure in which
 * every typed array becomes { type, hex of its bytes } (so -0 and NaN bits count), and the
 * image becomes "<image>". Its SHA-256 is the case's `targets`.
 */
export function targetsText(output: unknown, image: unknown): string {
  const walk = (v: unknown): unknown => {
    if (v === image) return "<image>";
    if (ArrayBuffer.isView(v)) return { type: v.constructor.name, hex: hex(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === "object" && v !== null) return Object.fromEntries(Object.keys(v).map((k) => [k, walk((v as Record<string, unknown>)[k])]));
    return v;
  };
  return JSON.stringify(walk(output));
}

/** The image leaf of a sample output (the one object with width/height/data or shape/data Float32Array at the top level or in [0]). */
function imageOf(output: unknown): Sample {
  const o = output as Record<string, unknown> | unknown[];
  return (Array.isArray(o) ? o[0] : (o as Record<string, unknown>).image) as Sample;
}

/**
 * The user functions the Lambda cases call. Every platform registers the same ones (a Lambda
 * runs the user's JavaScript, so these use integer arithmetic only).
 */
export function registerLambdas(lib: Lockstep): void {
  if (!lib.registerLambda) return;
  const img = (x: Sample) => {
    if (x.shape) throw new TypeError("conformance lambdas take images");
    return x as Required<Omit<Sample, "shape">> & { data: Uint8Array };
  };
  const invert = (x: Sample): Sample => {
    const i = img(x);
    return { width: i.width, height: i.height, channels: i.channels, data: i.data.map((v) => 255 - v) };
  };
  const shift = (x: Sample, rng: Rng): Sample => {
    const i = img(x);
    const by = rng.randint(0, 256);
    const c = rng.randint(0, i.channels);
    return { width: i.width, height: i.height, channels: i.channels, data: i.data.map((v, k) => (k % i.channels === c ? (v + by) & 255 : v)) };
  };
  const transpose = (x: Sample): Sample => {
    const i = img(x);
    const data = new Uint8Array(i.data.length);
    for (let y = 0; y < i.height; y++) for (let xx = 0; xx < i.width; xx++) for (let c = 0; c < i.channels; c++) data[(xx * i.height + y) * i.channels + c] = i.data[(y * i.width + xx) * i.channels + c]!;
    return { width: i.height, height: i.width, channels: i.channels, data };
  };
  const reg = (name: string, fn: (x: Sample, rng: Rng) => Sample, opts?: object) => {
    try {
      lib.registerLambda!(name, fn as never, opts);
    } catch (e) {
      // Registered already by an earlier run in this realm (with another closure): fine when it is ours.
      if (!/already registered/.test(String((e as Error).message))) throw e;
    }
  };
  reg("conformance.invert", invert);
  reg("conformance.shift", shift);
  reg("conformance.transpose", transpose, {
    outputMeta: (m: { kind: string; width: number; height: number; channels: number }) => (m.kind === "image" ? { ...m, width: m.height, height: m.width } : m),
  });
}

let registeredFor: Lockstep | undefined;

/** SHA-256 (hex) through WebCrypto: every platform here has crypto.subtle. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  let s = "";
  for (const b of digest) s += b.toString(16).padStart(2, "0");
  return s;
}

function describeOut(x: Sample): string {
  return x.shape ? `tensor ${x.shape.join("x")}` : `image ${x.width}x${x.height}x${x.channels}`;
}

function bytesOf(x: Sample): Uint8Array {
  const d = x.data;
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

/**
 * The error's class name: its `name` (which survives minification, where constructor names do
 * not: lockstep's own error classes set it), else its constructor's.
 */
function errorOutcome(e: unknown): Outcome {
  const err = e as Error;
  const name = typeof err?.name === "string" && err.name !== "" ? err.name : (err?.constructor?.name ?? "Error");
  return { error: name, message: String(err?.message ?? e) };
}

/** Decodes one file: the image's shape and SHA-256, or the error's class name. */
export async function computeDecode(lib: Lockstep, d: Pick<DecodeCase, "base64" | "mode" | "orient">, sha256: (b: Uint8Array) => Promise<string> = sha256Hex): Promise<Outcome> {
  if (!lib.decode) return { error: "no decode", message: "this runner did not pass lockstep/io's decode" };
  let img: Sample;
  try {
    img = await lib.decode(fromBase64(d.base64), { mode: d.mode, applyExifOrientation: d.orient });
  } catch (e) {
    return errorOutcome(e);
  }
  return { out: describeOut(img), sha256: await sha256(bytesOf(img)) };
}

/** Builds each of the vectors' pipelines once, on first use: the pipeline, or the error fromJSON threw. */
function pipelineCache(lib: Lockstep, vectors: Vectors): (i: number) => Pipeline | Error {
  const built = new Map<number, Pipeline | Error>();
  return (i) => {
    let p = built.get(i);
    if (p === undefined) {
      try {
        p = lib.fromJSON(vectors.pipelines[i]!.json);
      } catch (e) {
        p = e as Error;
      }
      built.set(i, p);
    }
    return p;
  };
}

/** Applies the pipeline to the case's (seed, epoch, index), with the record's params as plain JSON. */
function applyRecorded(pipeline: ReturnType<Lockstep["fromJSON"]>, input: unknown, c: Pick<Case, "seed" | "epoch" | "index">): { output: unknown; params: unknown } {
  const seed = typeof c.seed === "string" ? BigInt(c.seed) : c.seed;
  const r = pipeline.applyWithRecord(input as never, { seed, epoch: c.epoch, index: c.index });
  return { output: r.output, params: JSON.parse(JSON.stringify(r.record.params)) };
}

/** Runs one case: the output's shape, params and SHA-256, or the error's class name. */
export async function computeCase(
  _lib: Lockstep,
  pipeline: ReturnType<Lockstep["fromJSON"]>,
  input: object,
  c: Pick<Case, "seed" | "epoch" | "index">,
  sha256: (b: Uint8Array) => Promise<string> = sha256Hex,
): Promise<Outcome> {
  let output: Sample, params: unknown;
  try {
    ({ output, params } = applyRecorded(pipeline, input, c) as { output: Sample; params: unknown });
  } catch (e) {
    return errorOutcome(e);
  }
  return { out: describeOut(output), params, sha256: await sha256(bytesOf(output)) };
}

/** Runs one target case: the image's shape, params and SHA-256, and the SHA-256 of the targets. */
export async function computeTargetCase(
  pipeline: ReturnType<Lockstep["fromJSON"]>,
  sample: unknown,
  c: Pick<Case, "seed" | "epoch" | "index">,
  sha256: (b: Uint8Array) => Promise<string> = sha256Hex,
): Promise<Outcome> {
  let output: unknown, params: unknown;
  try {
    ({ output, params } = applyRecorded(pipeline, sample, c));
  } catch (e) {
    return errorOutcome(e);
  }
  return targetOutcome(output, params, sha256);
}

async function targetOutcome(output: unknown, params: unknown, sha256: (b: Uint8Array) => Promise<string>): Promise<Outcome> {
  const image = imageOf(output);
  return { out: describeOut(image), params, sha256: await sha256(bytesOf(image)), targets: await sha256(new TextEncoder().encode(targetsText(output, image))) };
}

/** A readable name: pipeline/input/seed:epoch:index. */
export function caseName(vectors: Pick<Vectors, "pipelines">, c: Case): string {
  return `${vectors.pipelines[c.pipeline]?.name ?? c.pipeline}/${c.input}/${c.seed}:${c.epoch}:${c.index}`;
}

function same(c: Case, got: Outcome): boolean {
  if (c.error !== undefined) return got.error === c.error;
  return got.error === undefined && got.out === c.out && got.sha256 === c.sha256 && got.targets === c.targets && JSON.stringify(got.params) === JSON.stringify(c.params);
}

interface EngineGlobals {
  Deno?: { version?: { deno?: string; v8?: string } };
  Bun?: { version?: string };
  process?: { version?: string; arch?: string; versions?: { node?: string; v8?: string; bun?: string } };
  navigator?: { userAgent?: string };
}

/**
 * The JavaScript engine and its version as this runtime reports them (e.g. "Node v20.20.2 arm64,
 * V8 11.3.244.8-node.38", "Firefox 153.0, SpiderMonkey"): the matrix names what computed each row.
 */
export function engine(): string {
  const g = globalThis as unknown as EngineGlobals;
  const ua = g.navigator?.userAgent ?? "";
  if (g.Deno?.version?.deno) return `Deno ${g.Deno.version.deno}, V8 ${g.Deno.version.v8}`;
  if (g.Bun !== undefined || g.process?.versions?.bun) return `Bun ${g.Bun?.version ?? g.process?.versions?.bun}, JavaScriptCore`;
  if (ua === "Cloudflare-Workers") return "workerd, V8";
  if (g.process?.versions?.node) return `Node ${g.process.version} ${g.process.arch}, V8 ${g.process.versions.v8}`;
  const browser = /(Firefox|Chrome)\/([\d.]+)/.exec(ua); // HeadlessChrome/... too
  if (browser) return `${browser[1]} ${browser[2]}, ${browser[1] === "Firefox" ? "SpiderMonkey" : "V8"}`;
  return ua || "?";
}

export interface RunOptions {
  /** The row's name in the matrix. */
  platform: string;
  /**
   * "wasm": every case through `applyWithRecord`. "webgpu": every case through
   * `applyBatch(..., { backend: "auto" })`, cases of one pipeline and key batched together;
   * a runtime without a usable WebGPU adapter is an error, not a row of fallbacks.
   * "gpu-only": the same batches through `applyBatch(..., { backend: "webgpu" })`: nothing
   * falls back; a case whose ops lack a shader is refused and counted by reason (`noShader`).
   */
  backend?: string;
  /** The "gpu-only" row: 1 in how many soft-float cases a software adapter runs (default {@link SOFT_FLOAT_EVERY}; 1: all). */
  softFloatEvery?: number;
  sha256?: (b: Uint8Array) => Promise<string>;
}

const BACKENDS = ["wasm", "webgpu", "gpu-only"];

/** Computes every case of `vectors` with `lib` and counts matches. */
export async function runVectors(lib: Lockstep, vectors: Vectors, opts: RunOptions): Promise<Summary> {
  const backend = opts.backend ?? "wasm";
  if (!BACKENDS.includes(backend)) throw new Error(`conformance: backend ${JSON.stringify(backend)} is not one of ${BACKENDS.map((b) => JSON.stringify(b)).join(", ")}`);
  if (registeredFor !== lib) {
    registerLambdas(lib);
    registeredFor = lib;
  }
  const start = Date.now();
  const summary: Summary = { platform: opts.platform, runtime: lib.runtime?.() ?? "?", engine: engine(), backend, cases: 0, matches: 0, mismatches: 0, first: null, ms: 0 };
  if (backend !== "wasm") {
    await runGpu(lib, vectors, opts, summary, backend === "gpu-only" ? "webgpu" : "auto");
    summary.ms = Date.now() - start;
    return summary;
  }
  const inputs = decodeInputs(vectors);
  const pipelineOf = pipelineCache(lib, vectors);
  for (const [n, c] of vectors.cases.entries()) {
    summary.cases++;
    const p = pipelineOf(c.pipeline);
    const got: Outcome = p instanceof Error ? { error: "fromJSON", message: p.message } : await computeCase(lib, p, inputs.get(c.input)!, c, opts.sha256);
    if (same(c, got)) summary.matches++;
    else {
      summary.mismatches++;
      summary.first ??= { n, name: caseName(vectors, c), case: c, pipeline: vectors.pipelines[c.pipeline]?.json, got };
    }
  }
  for (const [n, c] of (vectors.targetCases ?? []).entries()) {
    summary.cases++;
    let got: Outcome;
    try {
      const p = lib.fromJSON(vectors.pipelines[c.pipeline]!.json);
      got = await computeTargetCase(p, buildTargetSample(vectors.targetSamples![c.input]!, inputs), c, opts.sha256);
    } catch (e) {
      got = { error: "fromJSON", message: (e as Error).message };
    }
    if (same(c, got)) summary.matches++;
    else {
      summary.mismatches++;
      summary.first ??= { n: vectors.cases.length + n, name: `targets/${caseName(vectors, c)}`, case: c, pipeline: vectors.pipelines[c.pipeline]?.json, got };
    }
  }
  for (const [k, d] of (vectors.decodes ?? []).entries()) {
    summary.cases++;
    const got = await computeDecode(lib, d, opts.sha256);
    const ok = d.error !== undefined ? got.error === d.error : got.error === undefined && got.out === d.out && got.sha256 === d.sha256;
    if (ok) summary.matches++;
    else {
      summary.mismatches++;
      const c = { pipeline: -1, input: d.name, seed: 0, epoch: 0, index: 0, out: d.out, sha256: d.sha256, error: d.error } as Case;
      summary.first ??= { n: vectors.cases.length + (vectors.targetCases?.length ?? 0) + k, name: `decode ${d.name} mode ${d.mode}${d.orient ? " +orientation" : ""}`, case: c, pipeline: null, got };
    }
  }
  summary.ms = Date.now() - start;
  return summary;
}

// ---- WebGPU rows -------------------------------------------------------------------------

type Image = { width: number; height: number; channels: 1 | 3 | 4; data: Uint8Array };

/** A case on its way through applyBatch. */
interface Item {
  n: number;
  c: Case;
  input: Image;
  /** The params the host draws for it (as `sample` gives them), or undefined when that throws. */
  params?: unknown;
}

const keyOf = (c: Case) => ({ seed: typeof c.seed === "string" ? BigInt(c.seed) : c.seed, epoch: c.epoch });

/** backend "webgpu"'s refusal of a batch it has no shader for: the reason, without the image index. */
const REFUSAL = /^lockstep: backend "webgpu" cannot run this batch: (?:images\[\d+\]: )?(.*)\. Use backend "auto" to fall back to wasm\.$/s;

/** Where an applyBatch result was computed, for its outcomes. */
const whereOf = (r: BatchResult): Pick<Outcome, "backend" | "fallback"> =>
  r.backend === "webgpu" ? { backend: r.backend } : { backend: r.backend, fallback: (r.fallback ?? "(no reason given)").replace(/^images\[\d+\]: /, "") };

/** A case's outcome when applyBatch threw: backend "webgpu"'s refusal for a missing shader, or the error. */
function thrownOutcome(e: unknown): Outcome {
  const why = REFUSAL.exec(String((e as Error)?.message));
  return why ? { backend: "none", fallback: why[1]! } : errorOutcome(e);
}

/** "auto"'s reason for keeping a soft-float register-machine program on wasm (a software adapter). */
const SOFT_FLOAT = /runs as a soft-float register-machine program, much slower than wasm on a software adapter/;
/**
 * The "gpu-only" row on a software adapter (SwiftShader, llvmpipe) runs 1 case in this many of
 * those "auto" keeps on wasm there (soft-float register-machine programs: about 0.2 s of CPU
 * per case, over 3 minutes for all of them); every case on a hardware adapter.
 */
export const SOFT_FLOAT_EVERY = 8;

/** The op a soft-float fallback names ("the \"adjustHue\" op", "a tensor copy"). */
const slowOp = (why: string) => /^(the ".+?" op|a tensor copy)/.exec(why)?.[1] ?? why;
const count = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);

/** One applyBatch call for `items` (one pipeline, one seed and epoch): an outcome per item, or the call's error. */
async function batch(p: Pipeline, items: Item[], sha256: (b: Uint8Array) => Promise<string>, backend: "auto" | "webgpu"): Promise<Outcome[] | Error> {
  let r: BatchResult;
  try {
    r = await p.applyBatch(items.map((i) => i.input) as never[], { ...keyOf(items[0]!.c), indices: items.map((i) => i.c.index), backend });
  } catch (e) {
    return e as Error;
  }
  const where = whereOf(r);
  const outs: Sample[] = [];
  if (Array.isArray(r.output)) outs.push(...r.output);
  else {
    const [n, ...shape] = r.output.shape!;
    if (n !== items.length) return new Error(`applyBatch returned ${n} samples for ${items.length} images`);
    const size = shape.reduce((a, b) => a * b, 1);
    for (let i = 0; i < n; i++) outs.push({ shape, data: r.output.data.subarray(i * size, (i + 1) * size) });
  }
  if (outs.length !== items.length) return new Error(`applyBatch returned ${outs.length} images for ${items.length}`);
  return Promise.all(outs.map(async (o, i) => ({ out: describeOut(o), params: items[i]!.params, sha256: await sha256(bytesOf(o)), ...where })));
}

/**
 * The whole vector file through `applyBatch` with backend "auto": the cases of one pipeline
 * under one (seed, epoch) whose outputs can share a batch (images, or tensors of one shape)
 * go in one call, as a user's data loader calls it; a batch that throws (one of its cases
 * must be refused) is run again case by case, so each case gets its own outcome. Counts
 * where the pixels were computed.
 */
async function runGpu(lib: Lockstep, vectors: Vectors, opts: RunOptions, summary: Summary, backend: "auto" | "webgpu"): Promise<void> {
  const sha256 = opts.sha256 ?? sha256Hex;
  const t0 = Date.now();
  // A runtime without a usable adapter fails here, loudly: under "auto" it would quietly compute on wasm.
  try {
    const probe = await lib.fromJSON({ type: "RandomHorizontalFlip", p: 1 }).applyBatch([syntheticImage(5, 3, 3, 1)] as never[], { seed: 0, backend: "webgpu" });
    if (probe.backend !== "webgpu") throw new Error(`backend "webgpu" ran on ${probe.backend}`);
    summary.adapter = probe.adapter ?? "?";
  } catch (e) {
    throw new Error(`${opts.platform}: no usable WebGPU adapter (a tiny batch with backend "webgpu" failed): ${(e as Error)?.message ?? e}`);
  }
  summary.setupMs = Date.now() - t0;
  summary.gpu = 0;
  summary.wasmFallback = 0;
  summary.refused = 0;
  summary.fallbacks = {};
  if (backend === "webgpu") Object.assign(summary, { noShader: 0, sampledOut: 0, sampledOutBy: {}, sampledInBy: {} });
  summary.batches = 1;
  const inputs = decodeInputs(vectors);
  const pipelineOf = pipelineCache(lib, vectors);
  const outcomes: Outcome[] = new Array(vectors.cases.length);
  // Batches, in the order of their first case: one pipeline, one key, one output kind and shape.
  const groups = new Map<string, Item[]>();
  for (const [n, c] of vectors.cases.entries()) {
    const p = pipelineOf(c.pipeline);
    if (p instanceof Error) {
      outcomes[n] = { error: "fromJSON", message: p.message };
      continue;
    }
    const input = inputs.get(c.input)!;
    const item: Item = { n, c, input };
    let group = `case ${n}`; // on its own when its params cannot be drawn (applyBatch then says why)
    try {
      const params = p.sample(input as never, { ...keyOf(c), index: c.index });
      const meta = p.outputMeta({ kind: "image", width: input.width, height: input.height, channels: input.channels }, params as never);
      item.params = JSON.parse(JSON.stringify(params));
      group = `${c.pipeline} ${c.seed} ${c.epoch} ${meta.kind === "tensor" ? meta.shape.join("x") : "images"}`;
    } catch {
      // the case's own applyBatch call reports the error
    }
    const g = groups.get(group);
    if (g) g.push(item);
    else groups.set(group, [item]);
  }
  /** Runs `items` as one batch on `backend`, case by case when the batch throws; records their outcomes. */
  const runItems = async (p: Pipeline, items: Item[], on: "auto" | "webgpu") => {
    summary.batches!++;
    let got = await batch(p, items, sha256, on);
    if (got instanceof Error && items.length > 1) {
      got = [];
      for (const item of items) {
        summary.batches!++;
        const one = await batch(p, [item], sha256, on);
        got.push(one instanceof Error ? thrownOutcome(one) : one[0]!);
      }
    }
    if (got instanceof Error) got = [thrownOutcome(got)];
    got.forEach((o, i) => (outcomes[items[i]!.n] = o));
    return got;
  };
  const every = backend === "webgpu" ? (opts.softFloatEvery ?? SOFT_FLOAT_EVERY) : 1;
  const seenSlow: Record<string, number> = {};
  for (const items of groups.values()) {
    const p = pipelineOf(items[0]!.c.pipeline) as Pipeline;
    if (every === 1) {
      await runItems(p, items, backend);
      continue;
    }
    // "auto" first: on the GPU it is exactly backend "webgpu"'s run. When it keeps a soft-float
    // program on wasm (a software adapter), backend "webgpu" runs 1 case in `every` (each
    // op's cases counted apart) and the others are sampled out; any other fallback runs under "webgpu" in full.
    const probe = await runItems(p, items, "auto");
    const slow = probe.find((o) => o.backend === "wasm" && SOFT_FLOAT.test(o.fallback ?? ""))?.fallback;
    if (probe.every((o) => o.backend !== "wasm")) continue;
    // 1 in `every` of each slow op's cases, counted per op, so no op is left out whole.
    const run = slow ? items.filter(() => (seenSlow[slowOp(slow)] = (seenSlow[slowOp(slow)] ?? -1) + 1) % every === 0) : items;
    for (const i of items) if (!run.includes(i)) outcomes[i.n] = { backend: "sampled", fallback: slow! };
    if (run.length === 0) continue;
    const got = await runItems(p, run, "webgpu");
    if (slow) for (const o of got) if (o.backend === "webgpu") count(summary.sampledInBy!, slowOp(slow));
  }
  // Target cases: their images through applyBatch ("auto"), their targets on the host.
  const targetCases = vectors.targetCases ?? [];
  for (const [k, c] of targetCases.entries()) {
    const n = vectors.cases.length + k;
    let got: Outcome;
    try {
      const p = lib.fromJSON(vectors.pipelines[c.pipeline]!.json);
      const sample = buildTargetSample(vectors.targetSamples![c.input]!, inputs);
      const params = JSON.parse(JSON.stringify(p.sample(sample as never, { ...keyOf(c), index: c.index })));
      summary.batches++;
      const r = await p.applyBatch([sample] as never[], { ...keyOf(c), indices: [c.index], backend });
      got = { ...(await targetOutcome((r as BatchResult & { samples: unknown[] }).samples[0], params, sha256)), ...whereOf(r) };
    } catch (e) {
      got = thrownOutcome(e);
    }
    outcomes[n] = got;
  }
  const all = [...vectors.cases, ...targetCases];
  for (const [n, c] of all.entries()) {
    const got = outcomes[n]!;
    summary.cases++;
    if (got.backend === "sampled") {
      // a soft-float case on a software adapter left out of the "gpu-only" row's sample
      summary.sampledOut!++;
      count(summary.sampledOutBy!, slowOp(got.fallback!));
      continue;
    }
    if (got.backend === "none") {
      // backend "webgpu" refused it (no shader): neither a match nor a mismatch, counted by reason
      summary.noShader!++;
      summary.fallbacks[got.fallback!] = (summary.fallbacks[got.fallback!] ?? 0) + 1;
      continue;
    }
    if (got.backend === "webgpu") summary.gpu++;
    else if (got.backend === "wasm") {
      summary.wasmFallback++;
      const why = got.fallback ?? "(no reason given)";
      summary.fallbacks[why] = (summary.fallbacks[why] ?? 0) + 1;
    } else summary.refused++;
    if (same(c, got)) summary.matches++;
    else {
      summary.mismatches++;
      summary.first ??= { n, name: (n >= vectors.cases.length ? "targets/" : "") + caseName(vectors, c), case: c, pipeline: vectors.pipelines[c.pipeline]?.json, got };
    }
  }
}
