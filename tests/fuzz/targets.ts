// The public surface, as fuzz targets: each draws arguments (valid and hostile) and makes one
// call. tests/fuzz/property.ts checks what comes out.
import fc from "fast-check";
import { readFileSync } from "node:fs";
import * as L from "../../src/index.js";
import { F, fromJSON, registeredTypes, Generator } from "../../src/index.js";
import { decode } from "../../src/io/index.js";
import { anyImage, anyTensor, bool, corners, fill, hostile, image, int, interpolation, key, maybe, num, options, out, padding, paddingMode, point, size, tensor } from "./values.js";

/** One fuzz target: how to draw its arguments and make its call. */
export interface Target {
  name: string;
  args: fc.Arbitrary<unknown[]>;
  call(args: unknown[]): unknown;
  /** Words an error message must contain one of: the arguments' names. */
  names: RegExp;
  /** Longest one call may take, when longer than the default bound (real work, e.g. the CLI writing files). */
  ms?: number;
  /** Errors other than TypeError/RangeError it may throw (documented classes). */
  allowed?: (e: Error) => boolean;
}

const f = F as unknown as Record<string, (...a: unknown[]) => unknown>;
const fn = (name: string, args: fc.Arbitrary<unknown>[], names: RegExp): Target => ({ name: `F.${name}`, args: fc.tuple(...args), call: (a) => f[name]!(...a), names });
const outOpts = options({ out });

/** Every functional op. */
export const functional: Target[] = [
  fn("hflip", [anyImage, outOpts], /img|out|options/),
  fn("vflip", [anyImage, outOpts], /img|out|options/),
  fn("crop", [anyImage, int(-30, 30), int(-30, 30), int(1, 40), int(1, 40), options({ fill, out })], /img|top|left|height|width|fill|out|options|crop/),
  fn("centerCrop", [anyImage, size, outOpts], /img|size|out|options/),
  fn("pad", [anyImage, padding, options({ fill, paddingMode, out })], /img|padding|fill|paddingMode|out|options|padded/),
  fn("resize", [anyImage, size, options({ interpolation, antialias: bool, maxSize: int(1, 60), out })], /img|size|interpolation|antialias|maxSize|out|options|resiz/),
  fn("resizedCrop", [anyImage, int(-10, 30), int(-10, 30), int(1, 30), int(1, 30), size, options({ interpolation, antialias: bool, out })], /img|top|left|height|width|size|interpolation|antialias|out|options|resiz/),
  fn("toTensor", [anyImage, outOpts], /img|out|options/),
  fn("normalize", [anyTensor, maybe(fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 1, maxLength: 4 })), maybe(fc.array(fc.double({ min: 0.01, max: 2, noNaN: true }), { minLength: 1, maxLength: 4 })), options({ inplace: bool })], /tensor|mean|std|options|inplace|normalize/),
  fn("gaussianBlur", [anyImage, maybe(fc.oneof(fc.constantFrom(1, 3, 5, 7, 4), fc.tuple(fc.constantFrom(1, 3, 5), fc.constantFrom(1, 3, 5)))), maybe(fc.oneof(fc.double({ min: 0.1, max: 5, noNaN: true }), fc.constant(null))), outOpts], /img|kernelSize|sigma|out|options/),
  fn("erase", [anyTensor, int(0, 10), int(0, 10), int(0, 8), int(0, 8), maybe(fc.oneof(fc.double({ min: -1, max: 1, noNaN: true }), fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 3 }))), options({ inplace: bool })], /tensor|\bi\b|\bj\b|\bh\b|\bw\b|\bv\b|inplace|options|erase/),
  fn("gaussianNoise", [fc.oneof(anyImage, anyTensor), options({ key, mean: num(-1, 1), sigma: num(0, 2), clip: bool, out })], /\bx\b|key|mean|sigma|clip|out|options|gaussianNoise/),
  fn("adjustBrightness", [anyImage, num(0, 3), outOpts], /img|brightnessFactor|out|options/),
  fn("adjustContrast", [anyImage, num(0, 3), outOpts], /img|contrastFactor|out|options/),
  fn("adjustSaturation", [anyImage, num(0, 3), outOpts], /img|saturationFactor|out|options|adjustSaturation/),
  fn("adjustHue", [anyImage, num(-0.5, 0.5), outOpts], /img|hueFactor|out|options|adjustHue/),
  fn("adjustGamma", [anyImage, num(0, 3), num(0, 2), outOpts], /img|gamma|gain|out|options/),
  fn("adjustSharpness", [anyImage, num(0, 3), outOpts], /img|sharpnessFactor|out|options/),
  fn("rgbToGrayscale", [anyImage, maybe(fc.constantFrom(1, 3, 2)), outOpts], /img|numOutputChannels|out|options|rgbToGrayscale/),
  fn("invert", [anyImage, outOpts], /img|out|options/),
  fn("posterize", [anyImage, int(0, 8), outOpts], /img|bits|out|options/),
  fn("solarize", [anyImage, num(0, 255), outOpts], /img|threshold|out|options/),
  fn("autocontrast", [anyImage, outOpts], /img|out|options/),
  fn("equalize", [anyImage, outOpts], /img|out|options/),
  fn("permuteChannels", [anyImage, maybe(fc.shuffledSubarray([0, 1, 2, 3], { minLength: 1, maxLength: 4 })), outOpts], /img|permutation|out|options/),
  fn("rotate", [anyImage, num(-720, 720), options({ interpolation: maybe(fc.constantFrom("nearest", "bilinear", "bicubic")), expand: bool, center: maybe(fc.oneof(point, fc.constant(null))), fill, out })], /img|angle|interpolation|expand|center|fill|out|options|rotate/),
  fn("affine", [anyImage, options({ angle: num(-360, 360), translate: point, scale: num(0.1, 3), shear: maybe(fc.oneof(fc.double({ min: -60, max: 60, noNaN: true }), fc.tuple(fc.double({ min: -60, max: 60, noNaN: true }), fc.double({ min: -60, max: 60, noNaN: true })))), interpolation: maybe(fc.constantFrom("nearest", "bilinear")), fill, center: point, out })], /img|angle|translate|scale|shear|interpolation|fill|center|out|options|affine/),
  fn("perspective", [anyImage, corners, corners, options({ interpolation: maybe(fc.constantFrom("nearest", "bilinear")), fill, out })], /img|startpoints|endpoints|coefficients|interpolation|fill|out|options|perspective/),
  fn("perspectiveCoeffs", [corners, corners], /startpoints|endpoints/),
  fn("elastic", [anyImage, anyTensor, options({ interpolation: maybe(fc.constantFrom("nearest", "bilinear")), fill, out })], /img|displacement|interpolation|fill|out|options/),
  fn("fiveCrop", [anyImage, size], /img|size|crop/),
  fn("tenCrop", [anyImage, size, options({ verticalFlip: bool })], /img|size|verticalFlip|options|crop/),
  fn("warpWith", [anyImage, maybe(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 6, maxLength: 8 })), maybe(fc.constantFrom("affine", "perspective")), options({ interpolation: maybe(fc.constantFrom("nearest", "bilinear")), fill, size: maybe(fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }))), out })], /img|coefficients|kind|interpolation|fill|size|out|options|warp/),
];

// ---------------------------------------------------------------------------------------------
// Transforms: every constructor from the registry, pipelines from the conformance table mutated.

const vectors = JSON.parse(readFileSync(new URL("../conformance/vectors.json", import.meta.url), "utf8")) as { pipelines: { name: string; json: L.Json }[] };
const tableJson = vectors.pipelines.map((p) => p.json).filter((j) => !JSON.stringify(j).includes("Lambda"));

/** A JSON value of the kinds transform fields take, valid-looking or not. */
const field: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -3, max: 40 }),
  fc.double({ min: -2, max: 2 }),
  fc.constantFrom<unknown>(0, 1, 0.5, 32768, [32768, 20000], 16000, null, true, "bilinear", "nearest", "reflect", "x", [], [0.1, 2], [1, 2, 3], [[0, 0], [1, 1]], { a: 1 }, NaN, -1, 1e9),
  fc.array(fc.integer({ min: -1, max: 40 }), { maxLength: 4 }),
);

/** `json` with one field (at any depth) replaced, removed or added. */
function mutate(json: unknown, at: number, kind: number, value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(json)) as unknown;
  const spots: [Record<string, unknown>, string][] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === "object" && v !== null) {
      for (const k of Object.keys(v)) {
        spots.push([v as Record<string, unknown>, k]);
        walk((v as Record<string, unknown>)[k]);
      }
    }
  };
  walk(copy);
  if (spots.length === 0) return copy;
  const [obj, k] = spots[at % spots.length]!;
  if (kind === 0) delete obj[k];
  else if (kind === 1) obj[`${k}x`] = value;
  else if (kind === 2 && k !== "type") obj["__proto__"] = value;
  else if (k !== "type" || kind === 3) obj[k] = value;
  return copy;
}

/** What errors at apply time may name: a transform, or a field of one (fill, startpoints...). */
const applyWords = `${registeredTypes().join("|")}|fill|startpoints|endpoints|size|padding|kernelSize|sigma|mean|std|channels|crop|image|tensor|affine|rotate|perspective|elastic|warp|maxSize|resiz`;

const seedOpts = options({ seed: maybe(fc.oneof(fc.integer({ min: 0, max: 2 ** 31 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }))), index: int(0, 1000), epoch: int(0, 10), out });

/** A mutated table pipeline, built and applied to an image. */
export const pipelines: Target = {
  name: "fromJSON(mutated table pipeline).applyWithRecord",
  args: fc.tuple(fc.nat(tableJson.length - 1), fc.nat(), fc.nat(4), field, fc.nat(3), anyImage, seedOpts),
  call: ([which, at, kind, value, times, img, opts]) => {
    let json: unknown = tableJson[which as number];
    for (let i = 0; i < (times as number); i++) json = mutate(json, (at as number) + i * 7, kind as number, value);
    const t = fromJSON(json as L.Json);
    const r = t.applyWithRecord(img as L.Image, (opts ?? { seed: 1 }) as L.ApplyOptions);
    // What was drawn replays to the same bytes.
    const again = t.replay(img as L.Image, r.record);
    if (hashOf(again) !== hashOf(r.output)) throw new Error("replay gave other bytes than applyWithRecord");
    return r.output;
  },
  names: new RegExp(`\\$|input|img|seed|index|epoch|generator|out|options|output|record|window|resize|param|op\\b|limit|expects|${applyWords}`),
  allowed: (e) => e instanceof SyntaxError,
};

function hashOf(x: L.Image | L.Tensor): string {
  const d = x.data;
  const b = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  let h = 2166136261;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 16777619);
  return `${b.length}:${h >>> 0}`;
}

/** Hostile JSON: random values, strings, deep nesting, prototype keys, cycles. */
export const json: Target = {
  name: "fromJSON(hostile JSON)",
  args: fc.tuple(
    fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.string(),
      fc.json({ maxDepth: 3 }),
      fc.record({ type: fc.constantFrom(...registeredTypes()), transforms: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }) }, { requiredKeys: ["type"] }),
      fc.integer({ min: 1, max: 3000 }).map((d) => {
        let s = '{"type":"RandomHorizontalFlip"}';
        for (let i = 0; i < d; i++) s = `{"type":"Compose","transforms":[${s}]}`;
        return s;
      }),
      fc.integer({ min: 1, max: 5000 }).map((d) => `{"type":"Pad","padding":${"[".repeat(d)}1${"]".repeat(d)}}`),
      fc.constantFrom('{"type":"Compose","transforms":[],"__proto__":{"polluted":1}}', '{"__proto__":{"type":"Compose"}}', '{"type":"RandomCrop","size":8,"constructor":{"prototype":{"x":1}}}'),
      hostile,
    ),
  ),
  call: ([j]) => {
    const t = fromJSON(j as string);
    if (({} as Record<string, unknown>).polluted !== undefined) throw new Error("Object.prototype was polluted");
    return t.apply({ width: 8, height: 6, channels: 3, data: new Uint8Array(144) }, { seed: 1 });
  },
  names: new RegExp(`\\$|JSON|json|pipeline|input|img|transform|type|${applyWords}`),
  allowed: (e) => e instanceof SyntaxError,
};

const registry = registeredTypes().filter((t) => typeof (L as Record<string, unknown>)[t] === "function" && t !== "Lambda");
const ctorArg: fc.Arbitrary<unknown> = fc.oneof(field, hostile, options({ p: num(0, 1), size, fill, padding, interpolation, antialias: bool, scale: maybe(fc.tuple(fc.double({ min: 0, max: 1 }), fc.double({ min: 0, max: 1 }))), ratio: maybe(fc.tuple(fc.double({ min: 0.1, max: 3 }), fc.double({ min: 0.1, max: 3 }))), paddingMode, padIfNeeded: bool, expand: bool, center: point, degrees: num(-90, 90) }));

/** Every registered transform's constructor, with drawn arguments; a constructed one is applied. */
export const constructors: Target = {
  name: "new <registered transform>(...) then apply",
  args: fc.tuple(fc.constantFrom(...registry), fc.array(ctorArg, { maxLength: 4 }), image, fc.nat()),
  call: ([type, args, img, seed]) => {
    const C = (L as Record<string, unknown>)[type as string] as new (...a: unknown[]) => L.Transform;
    const children = ["Compose", "RandomApply", "RandomChoice", "RandomOrder"].includes(type as string);
    const a = children && (args as unknown[])[0] === undefined ? [[new L.RandomHorizontalFlip()], ...(args as unknown[]).slice(1)] : (args as unknown[]);
    const t = new C(...a);
    return t.apply(img as L.Image, { seed: seed as number });
  },
  names: /\w/, // constructors name their own fields: any TypeError/RangeError that is not an engine message
};

/** Replay of a recorded call with its params mutated (records may come from anywhere). */
export const replay: Target = {
  name: "replay(mutated record)",
  args: fc.tuple(fc.nat(tableJson.length - 1), image, fc.nat(), fc.nat(4), field, fc.boolean()),
  call: ([which, img, at, kind, value, proxied]) => {
    const t = fromJSON(tableJson[which as number]!);
    const { record } = t.applyWithRecord(img as L.Image, { seed: 7, index: 3 });
    let r = mutate(record, at as number, kind as number, value) as L.TransformRecord;
    if (proxied) r = new Proxy(r, { get: (o, k) => Reflect.get(o, k) });
    return t.replay(img as L.Image, r);
  },
  names: new RegExp(`record|params|meta|input|op\\b|param|window|resize|limit|expects|${applyWords}`),
};

/** apply's options: seeds, indices, generators and out buffers of every kind. */
export const applyOptions: Target = {
  name: "apply(image, hostile options)",
  args: fc.tuple(anyImage, fc.oneof(seedOpts, options({ generator: maybe(fc.nat().map((s) => new Generator(s))), out }), hostile)),
  call: ([img, opts]) => new L.Compose([new L.RandomResizedCrop(8), new L.RandomHorizontalFlip(), new L.ToTensor()]).apply(img as L.Image, opts as L.ApplyOptions),
  names: /seed|index|epoch|generator|out|options|input|random|img/,
};

const pngBytes = new Uint8Array(readFileSync(new URL("../../samples/chelsea.png", import.meta.url)));

/** decode(bytes): random bytes, truncations, and corrupted body bytes of a real PNG. */
export const decodeBytes: Target = {
  name: "decode(bytes)",
  args: fc.tuple(
    fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.uint8Array({ maxLength: 200 }).map((b) => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...b])),
      fc.uint8Array({ maxLength: 200 }).map((b) => new Uint8Array([0xff, 0xd8, 0xff, ...b])),
      fc.nat(pngBytes.length).map((n) => pngBytes.slice(0, n)),
      // Corrupt bytes after the header (the declared size stays: bombs are the decoders' issue 9 work).
      fc.tuple(fc.integer({ min: 33, max: pngBytes.length - 1 }), fc.integer({ min: 0, max: 255 })).map(([i, v]) => {
        const b = pngBytes.slice();
        b[i] = v;
        return b;
      }),
      hostile,
    ),
  ),
  call: ([b]) => decode(b as Uint8Array),
  names: /decode|bytes/,
  allowed: (e) => /^decode: /.test(e.message),
};

export { image, tensor, hostile };

// ---------------------------------------------------------------------------------------------
// The Loader's options (inline: workers would make each case a second), and the command line.

const small = Array.from({ length: 7 }, (_, i) => ({ width: 9 + i, height: 7, channels: 3 as const, data: new Uint8Array((9 + i) * 7 * 3).fill(i * 30) }));
const datasets: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.nat(7).map((n) => new L.ArrayDataset(small.slice(0, n)) as unknown), weight: 5 },
  { arbitrary: fc.constant(null).map(() => ({ length: 4, get: (i: number) => (i === 2 ? Promise.reject(new Error("injected")) : small[i]) }) as unknown), weight: 1 },
  { arbitrary: fc.constant(null).map(() => ({ length: 3, get: (i: number) => ({ image: i === 1 ? hostileImage() : small[i], label: i }) }) as unknown), weight: 1 },
  { arbitrary: fc.constant(null).map(() => ({ length: 2 ** 60, get: () => small[0] }) as unknown), weight: 1 },
  { arbitrary: hostile, weight: 1 },
);

function hostileImage(): unknown {
  let n = 0;
  return { ...small[0], get width() { return n++ < 1 ? 9 : 32768; } };
}

const pipelinesForLoader = [new L.Compose([new L.RandomResizedCrop(6), new L.ToTensor()]), new L.Compose([new L.Resize(5), new L.CenterCrop(4)]), new L.Compose([]), new L.Resize(4)];

export const loaderOptions: Target = {
  name: "new Loader(dataset, options), one epoch inline",
  args: fc.tuple(
    datasets,
    options({
      pipeline: maybe(fc.constantFrom(...pipelinesForLoader)),
      batchSize: int(1, 5),
      shuffle: bool,
      seed: maybe(fc.oneof(fc.nat(), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }))),
      epoch: int(0, 3),
      workers: maybe(fc.constant(0)),
      prefetch: int(1, 4),
      dropLast: bool,
      rank: int(0, 3),
      worldSize: int(1, 3),
      uneven: maybe(fc.constantFrom("pad", "drop", "even")),
      onError: maybe(fc.constantFrom("raise", "skip", "ignore")),
      retries: int(0, 2),
      records: bool,
      stack: bool,
      timeout: maybe(fc.integer({ min: 0, max: 5000 })),
      persistentWorkers: bool,
      collate: maybe(fc.constant((b: unknown) => b)),
      resumeFrom: maybe(fc.constantFrom('{"format":"lockstep-loader/1"}', "{", '{"format":"x"}')),
    }),
  ),
  call: async ([ds, opts]) => {
    const loader = new L.Loader(ds as L.Dataset, opts as L.LoaderOptions);
    let n = 0;
    for await (const b of loader) {
      if ((b as L.Batch).indices.length === 0) throw new Error("an empty batch was yielded");
      n++;
    }
    await loader.close();
    return n;
  },
  names: /dataset|options|pipeline|batchSize|shuffle|seed|epoch|workers|prefetch|dropLast|rank|worldSize|uneven|onError|retries|records|stack|timeout|persistentWorkers|collate|resumeFrom|sample|length|index/,
  allowed: (e) => e instanceof SyntaxError || e instanceof L.SampleError || e instanceof L.BatchTimeoutError,
};
