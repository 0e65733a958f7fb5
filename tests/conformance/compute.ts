// Computes the conformance vectors with a given lockstep build and compares them with the committed
// answers. Platform-neutral: no Node APIs, so the same code runs in Node (main thread and
// worker_threads), Chromium (page and Web Worker), Deno, Bun and workerd, each handing in its own
// lockstep build. The generator (generate.ts) fills the answers through computeCase too.

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
  fromJSON(json: unknown): {
    random: boolean;
    applyWithRecord(input: never, opts?: object): { output: Sample; record: { params: unknown } };
  };
  registerLambda?(name: string, fn: (x: never, rng: never) => unknown, opts?: object): void;
  runtime?(): string;
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
  /** The error's constructor name, for cases every platform must refuse. */
  error?: string;
}

export interface Vectors {
  about: string;
  version: number;
  inputs: Record<string, InputSpec>;
  pipelines: { name: string; transform: string; json: unknown }[];
  cases: Case[];
}

/** What a case gave on this platform. */
export interface Outcome {
  out?: string;
  params?: unknown;
  sha256?: string;
  error?: string;
  message?: string;
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

/** Runs one case: the output's shape, params and SHA-256, or the error's constructor name. */
export async function computeCase(
  lib: Lockstep,
  pipeline: ReturnType<Lockstep["fromJSON"]>,
  input: object,
  c: Pick<Case, "seed" | "epoch" | "index">,
  sha256: (b: Uint8Array) => Promise<string> = sha256Hex,
): Promise<Outcome> {
  let output: Sample, params: unknown;
  try {
    const seed = typeof c.seed === "string" ? BigInt(c.seed) : c.seed;
    const r = pipeline.applyWithRecord(input as never, { seed, epoch: c.epoch, index: c.index });
    output = r.output;
    params = JSON.parse(JSON.stringify(r.record.params));
  } catch (e) {
    const err = e as Error;
    return { error: err?.constructor?.name ?? "Error", message: String(err?.message ?? e) };
  }
  return { out: describeOut(output), params, sha256: await sha256(bytesOf(output)) };
}

/** A readable name: pipeline/input/seed:epoch:index. */
export function caseName(vectors: Pick<Vectors, "pipelines">, c: Case): string {
  return `${vectors.pipelines[c.pipeline]?.name ?? c.pipeline}/${c.input}/${c.seed}:${c.epoch}:${c.index}`;
}

function same(c: Case, got: Outcome): boolean {
  if (c.error !== undefined) return got.error === c.error;
  return got.error === undefined && got.out === c.out && got.sha256 === c.sha256 && JSON.stringify(got.params) === JSON.stringify(c.params);
}

export interface RunOptions {
  /** The row's name in the matrix. */
  platform: string;
  /** Which backend computes the pixels; only "wasm" exists so far (WebGPU is coming). */
  backend?: string;
  sha256?: (b: Uint8Array) => Promise<string>;
}

/** Computes every case of `vectors` with `lib` and counts matches. */
export async function runVectors(lib: Lockstep, vectors: Vectors, opts: RunOptions): Promise<Summary> {
  const backend = opts.backend ?? "wasm";
  if (backend !== "wasm") throw new Error(`conformance: backend ${JSON.stringify(backend)} is not available in this build (only "wasm")`);
  if (registeredFor !== lib) {
    registerLambdas(lib);
    registeredFor = lib;
  }
  const start = Date.now();
  const inputs = decodeInputs(vectors);
  const pipelines = new Map<number, ReturnType<Lockstep["fromJSON"]> | Error>();
  const summary: Summary = { platform: opts.platform, runtime: lib.runtime?.() ?? "?", backend, cases: 0, matches: 0, mismatches: 0, first: null, ms: 0 };
  for (const [n, c] of vectors.cases.entries()) {
    summary.cases++;
    let p = pipelines.get(c.pipeline);
    if (p === undefined) {
      try {
        p = lib.fromJSON(vectors.pipelines[c.pipeline]!.json);
      } catch (e) {
        p = e as Error;
      }
      pipelines.set(c.pipeline, p);
    }
    const got: Outcome = p instanceof Error ? { error: "fromJSON", message: p.message } : await computeCase(lib, p, inputs.get(c.input)!, c, opts.sha256);
    if (same(c, got)) summary.matches++;
    else {
      summary.mismatches++;
      summary.first ??= { n, name: caseName(vectors, c), case: c, pipeline: vectors.pipelines[c.pipeline]?.json, got };
    }
  }
  summary.ms = Date.now() - start;
  return summary;
}
