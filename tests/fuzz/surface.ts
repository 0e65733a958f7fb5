// Fuzz targets for main's newer surface: samples with targets (hostile boxes, masks and key
// points), the target helpers, decode's options on corrupt files, JPEG quality, and the
// semantics option. tests/fuzz/property.ts checks what comes out; the calls below also throw a
// plain Error (a wrong escape) when a result is not what it claims to be.
import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import * as L from "../../src/index.js";
import { F, fromJSON } from "../../src/index.js";
import { decode, decodeSync } from "../../src/io/index.js";
import { checkBoundingBoxes, checkKeyPoints, checkMask } from "../../src/targets/types.js";
import { checkSample } from "../../src/image.js";
import type { Target } from "./targets.js";
import { bool, hostile, image, int, maybe, num, options, out, anyImage, HostileError } from "./values.js";

// ---------------------------------------------------------------------------------------------
// Samples with targets.

const vectors = JSON.parse(readFileSync(new URL("../conformance/vectors.json", import.meta.url), "utf8")) as { pipelines: { json: L.Json }[]; targetCases: { pipeline: number }[] };
/** The conformance file's target pipelines (detection recipes, every geometric family, FiveCrop, ToDtype...). */
const targetPipelines = [...new Set(vectors.targetCases.map((c) => c.pipeline))].map((i) => vectors.pipelines[i]!.json);

/** How a drawn target is spoiled: not at all, or one way a hostile user could. */
const spoil = fc.constantFrom(
  "none", "none", "none", "none",
  "nan", "inf", "format", "lowercase", "canvas", "canvas-huge", "clamping", "length", "f64", "proxy-data", "flip-data", "flip-canvas", "flip-shape", "kind", "huge", "detached", "negative",
);

/** A drawn target spec: the values are made in the call, on the image's canvas. */
const targetSpec = fc.record({
  format: fc.constantFrom<L.BoxFormat>("XYXY", "XYWH", "CXCYWH", "XYWHR", "CXCYWHR", "XYXYXYXY"),
  n: fc.integer({ min: 0, max: 6 }),
  k: fc.integer({ min: 1, max: 3 }),
  seed: fc.integer(),
  spoil,
  instances: fc.boolean(),
  int32: fc.boolean(),
});

type Spec = { format: L.BoxFormat; n: number; k: number; seed: number; spoil: string; instances: boolean; int32: boolean };

function noise(seed: number, n: number, scale: number): number[] {
  let s = seed | 1;
  return Array.from({ length: n }, () => {
    s = Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5;
    return ((s >>> 8) / 2 ** 24) * scale;
  });
}

/** A value that answers `good` on its first read of `field` and `bad` afterwards. */
function flip<T extends object>(good: T, field: string, bad: unknown): T {
  let reads = 0;
  const o = { ...good } as Record<string, unknown>;
  Object.defineProperty(o, field, { enumerable: true, get: () => (reads++ < 1 ? (good as Record<string, unknown>)[field] : bad) });
  return o as T;
}

/** Applies a spoil shared by every kind of target. */
function spoiled<T extends { data: ArrayBufferView }>(t: T, how: string, canvasField: "canvasSize" | "shape"): unknown {
  const o = t as unknown as Record<string, unknown>;
  switch (how) {
    case "f64":
      return { ...o, data: new Float64Array(t.data.byteLength / 4) };
    case "proxy-data":
      return { ...o, data: new Proxy(t.data, {}) };
    case "flip-data":
      return flip(o, "data", new Float32Array(3));
    case "flip-canvas":
      return flip(o, canvasField, canvasField === "canvasSize" ? [32768, 32768] : [2 ** 20, 32768, 32768]);
    case "flip-shape":
      return flip(o, "shape", [2 ** 31, 2]);
    case "kind":
      return { ...o, kind: ["boxes", "mask", "keypoints"][t.data.byteLength % 3] };
    case "detached": {
      const data = (t.data as Float32Array).slice();
      structuredClone(data.buffer, { transfer: [data.buffer] });
      return { ...o, data };
    }
    default:
      return o;
  }
}

function makeBoxes(s: Spec, h: number, w: number): unknown {
  const per = s.format === "XYXYXYXY" ? 8 : s.format.endsWith("R") ? 5 : 4;
  // Rotated boxes cost ~0.1 ms each through a pipeline (linear; see the closing note), axis-aligned ones ~5 us.
  const n = s.spoil === "huge" ? (per === 4 ? 20_000 : 4_000) : s.n;
  const v = noise(s.seed, n * per, Math.max(h, w) * 1.5);
  if (s.format === "XYXY") for (let i = 0; i < v.length; i += 4) [v[i + 2], v[i + 3]] = [v[i]! + v[i + 2]! / 2, v[i + 1]! + v[i + 3]! / 2];
  if (s.spoil === "nan" && v.length) v[(s.seed & 3) % v.length] = NaN;
  if (s.spoil === "inf" && v.length) v[0] = -Infinity;
  if (s.spoil === "negative" && v.length >= 4 && s.format !== "XYXYXYXY") v[2] = -v[2]! - 1;
  const canvas: unknown = s.spoil === "canvas" ? [h + 1, w] : s.spoil === "canvas-huge" ? [32768, 32768] : [h, w];
  const raw = { kind: "boxes", format: s.spoil === "format" ? "XYZW" : s.spoil === "lowercase" ? s.format.toLowerCase() : s.format, canvasSize: canvas, clampingMode: s.spoil === "clamping" ? "firm" : "soft", data: Float32Array.from(s.spoil === "length" ? [...v, 1] : v) };
  return spoiled(raw as L.BoundingBoxes, s.spoil, "canvasSize");
}

function makePoints(s: Spec, h: number, w: number): unknown {
  const n = s.spoil === "huge" ? 20_000 : s.n;
  const v = noise(s.seed ^ 0x55, n * s.k * 2, Math.max(h, w) * 1.2);
  if (s.spoil === "nan" && v.length) v[v.length - 1] = NaN;
  const raw = { kind: "keypoints", canvasSize: s.spoil === "canvas" ? [h, w + 2] : [h, w], shape: s.spoil === "length" ? [n, s.k, 3] : [n, s.k, 2], data: Float32Array.from(v) };
  return spoiled(raw as L.KeyPoints, s.spoil, "canvasSize");
}

function makeMask(s: Spec, h: number, w: number): unknown {
  const planes = s.instances ? s.n : 0;
  const shape = s.instances ? [planes, h, w] : [h, w];
  const count = shape.reduce((a, b) => a * b, 1);
  const vals = noise(s.seed ^ 0x77, count, 4).map(Math.floor);
  const data = s.int32 ? Int32Array.from(vals) : Uint8Array.from(vals);
  const raw = { kind: "mask", shape: s.spoil === "canvas" ? (s.instances ? [planes, h, w + 1] : [h + 1, w]) : s.spoil === "length" ? [...shape.slice(0, -1), w + 1] : shape, data };
  return spoiled(raw as L.Mask, s.spoil, "shape");
}

/** The sample's structure: torchvision's two, plus JSON with __proto__ keys, junk leaves and labels of any length. */
const structure = fc.constantFrom("object", "array", "proto", "junk", "labels-short", "labels-hostile", "two-images", "no-image");

function makeSample(kind: string, img: L.Image, boxes: unknown, points: unknown, masks: unknown, n: number): unknown {
  const labels = Array.from({ length: n }, (_, i) => i + 1);
  switch (kind) {
    case "array":
      return [img, { boxes, keypoints: points, masks, labels }];
    case "proto": {
      const s = JSON.parse(`{"__proto__": {"polluted": 1}, "target": {"__proto__": [1], "labels": ${JSON.stringify(labels)}}}`) as Record<string, Record<string, unknown>>;
      Object.assign(s, { image: img });
      Object.assign(s.target!, { boxes, keypoints: points });
      return s;
    }
    case "junk":
      return { image: img, boxes, labels, id: "x", meta: { when: new Date(0), tags: ["a", null], fn: () => 1, n: 3n }, masks };
    case "labels-short":
      return { image: img, boxes, keypoints: points, labels: labels.slice(1) };
    case "labels-hostile":
      return { image: img, boxes, labels: new Proxy(labels, { get: (t, k) => (k === "length" ? 2 ** 31 : Reflect.get(t, k)) }) };
    case "two-images":
      return { image: img, other: img, boxes };
    case "no-image":
      return { boxes, labels };
    default:
      return { image: img, boxes, keypoints: points, masks, labels };
  }
}

/** Checks every target and image in an output (ToPureTensor's plain tensors included) as the library checks inputs. */
function validOutput(x: unknown, name: string, depth: number): void {
  if (depth > 40 || typeof x !== "object" || x === null || ArrayBuffer.isView(x)) return;
  const kind = (x as { kind?: unknown }).kind;
  if (kind === "boxes") checkBoundingBoxes(x, name);
  else if (kind === "keypoints") checkKeyPoints(x, name);
  else if (kind === "mask") checkMask(x, name);
  else if ("width" in x) checkSample(x, name);
  else if ("shape" in x && "data" in x) {
    // A plain tensor (ToPureTensor): any non-negative shape, as torch's (0 boxes is [0, 4]).
    const t = x as { shape: number[]; data: ArrayLike<number> };
    if (!t.shape.every((d) => Number.isInteger(d) && d >= 0) || t.data.length !== t.shape.reduce((a, b) => a * b, 1)) throw new Error(`${name}: shape [${t.shape}] with ${t.data.length} values`);
  }
  else for (const [k, v] of Object.entries(x)) validOutput(v, `${name}.${k}`, depth + 1);
}

/** A digest of a sample's image and targets, to compare apply with replay. */
function digest(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) => (ArrayBuffer.isView(v) ? `${(v as { constructor: { name: string } }).constructor.name}:${Array.from(v as unknown as ArrayLike<number>).join(",")}` : typeof v === "bigint" ? `${v}n` : typeof v === "function" ? "fn" : v));
}

const SAMPLE_WORDS = /sample|input|startpoints|image|boxes|keypoints|mask|canvas|format|clamping|labels|shape|data|targets?|support|record|params|size|fill|crop|limit|degrees|\bp\b|[A-Z][a-z]+[A-Z]\w+|JPEG|Compose|Sanitize|Resize|Pad|FiveCrop/;

/** A target pipeline applied to a sample whose targets may be hostile; the output must be a valid sample that replays to itself. */
export const samples: Target = {
  name: "pipeline.applyWithRecord(sample with hostile targets) + replay",
  args: fc.tuple(fc.nat(targetPipelines.length - 1), image, targetSpec, targetSpec, targetSpec, structure, fc.nat()),
  call: ([which, img, b, p, m, kind, seed]) => {
    const t = fromJSON(targetPipelines[which as number]!);
    const im = img as L.Image;
    const sample = makeSample(kind as string, im, makeBoxes(b as Spec, im.height, im.width), makePoints(p as Spec, im.height, im.width), makeMask(m as Spec, im.height, im.width), (b as Spec).n);
    const r = t.applyWithRecord(sample as never, { seed: seed as number, index: 1 });
    if (({} as { polluted?: unknown }).polluted !== undefined) throw new Error("Object.prototype was polluted");
    try {
      validOutput(r.output, "output", 0);
    } catch (e) {
      throw new Error(`the output is not valid: ${(e as Error).message}`);
    }
    const again = t.replay(sample as never, r.record);
    if (digest(again) !== digest(r.output)) throw new Error("replay gave another sample than applyWithRecord");
    return null;
  },
  names: SAMPLE_WORDS,
  ms: 8000,
};

/** The public target helpers with hostile arguments. */
export const targetHelpers: Target = {
  name: "boundingBoxes / keyPoints / mask / convert / clamp (hostile arguments)",
  args: fc.tuple(
    fc.constantFrom("boundingBoxes", "keyPoints", "mask", "convertBoundingBoxFormat", "clampBoundingBoxes", "clampKeyPoints"),
    fc.oneof(fc.array(fc.array(num(-50, 50), { maxLength: 9 }), { maxLength: 5 }), fc.array(num(-50, 50), { maxLength: 17 }), fc.constant(null).map(() => new Float32Array([1, 2, 3, 4, NaN, 0, 1, 1])), hostile),
    options({ format: maybe(fc.constantFrom("XYXY", "xywh", "CXCYWH", "XYWHR", "cxcywhr", "XYXYXYXY", "ABCD")), canvasSize: maybe(fc.tuple(int(-1, 40), int(-1, 40))), clampingMode: maybe(fc.constantFrom("soft", "hard", null, "firm")), shape: maybe(fc.array(int(-1, 8), { maxLength: 4 })) }),
    targetSpec,
    maybe(fc.constantFrom("XYXY", "XYWH", "CXCYWH", "XYWHR", "CXCYWHR", "XYXYXYXY", "soft", "hard", null, "QQ")),
  ),
  call: ([fnName, data, opts, spec, arg]) => {
    const s = spec as Spec;
    switch (fnName) {
      case "boundingBoxes":
        return L.boundingBoxes(data as number[], opts as L.BoundingBoxesOptions).data.length;
      case "keyPoints":
        return L.keyPoints(data as number[], opts as L.KeyPointsOptions).data.length;
      case "mask":
        return L.mask(data as Uint8Array, (opts as { shape?: number[] } | undefined)?.shape as number[]).data.length;
      case "convertBoundingBoxFormat":
        return L.convertBoundingBoxFormat(makeBoxes(s, 12, 16) as L.BoundingBoxes, arg as L.BoxFormat).data.length;
      case "clampBoundingBoxes":
        return L.clampBoundingBoxes(makeBoxes(s, 12, 16) as L.BoundingBoxes, arg as L.ClampingMode).data.length;
      default:
        return L.clampKeyPoints(makePoints(s, 12, 16) as L.KeyPoints).data.length;
    }
  },
  names: /boxes|keypoints|mask|format|canvasSize|clampingMode|shape|data|options|mode/,
};

// ---------------------------------------------------------------------------------------------
// decode's options on real, truncated and corrupted files (EXIF orientations included).

const codec = new URL("../codec/", import.meta.url);
const files = [
  ...readdirSync(new URL("jpeg/", codec)).filter((f) => /^(exif|cmyk|cv2_4|coef)/.test(f)).map((f) => new URL(`jpeg/${f}`, codec)),
  ...readdirSync(new URL("png/", codec)).filter((f) => /xmp|exif|ct[0236]-d8-(7x5|i-7x5)|ancillary/.test(f)).map((f) => new URL(`png/${f}`, codec)),
].map((u) => new Uint8Array(readFileSync(u)));

/** A corpus file: whole, truncated, or with a few bytes changed anywhere (headers and EXIF included). */
const corpusBytes = fc.tuple(fc.nat(files.length - 1), fc.constantFrom("whole", "truncate", "corrupt", "corrupt"), fc.nat(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })).map(([i, how, cut, edits]) => {
  const b = files[i]!.slice();
  if (how === "truncate") return b.subarray(0, cut % b.length);
  if (how === "corrupt") for (const [at, v] of edits) b[at % b.length] = v;
  return b;
});

export const decodeOptions: Target = {
  name: "decode / decodeSync(corrupt file, { mode, maxPixels, allowTruncated, applyExifOrientation })",
  args: fc.tuple(
    fc.oneof({ arbitrary: corpusBytes as fc.Arbitrary<unknown>, weight: 8 }, { arbitrary: hostile, weight: 1 }),
    options({ mode: maybe(fc.constantFrom("RGB", "RGBA", "L", "keep", "P", "CMYK", "rgb")), maxPixels: maybe(fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.constantFrom(1, 2 ** 31, 1e300, -1, 0.5, Infinity))), allowTruncated: bool, applyExifOrientation: bool }),
    fc.boolean(),
  ),
  call: async ([bytes, opts, sync]) => {
    const img = sync ? decodeSync(bytes as Uint8Array, opts as never) : await decode(bytes as Uint8Array, opts as never);
    const mode = (opts as { mode?: unknown } | undefined)?.mode;
    const want = mode === "RGB" ? 3 : mode === "RGBA" ? 4 : mode === "L" ? 1 : null;
    if (want !== null && img.channels !== want) throw new Error(`decode with mode ${String(mode)} gave ${img.channels} channels`);
    return img;
  },
  names: /decode|bytes|mode|maxPixels|allowTruncated|applyExifOrientation|options/,
  allowed: (e) => /^decode: /.test(e.message),
};

// ---------------------------------------------------------------------------------------------
// JPEG quality, F.jpeg's out, and encodeJpeg's output decodes back at the size it was given.

const quality = fc.oneof(fc.integer({ min: -2, max: 102 }), fc.constantFrom<unknown>(0.5, 75.5, NaN, Infinity, 1e9, "75", null, undefined, [50], 2 ** 31), hostile);

export const jpegQuality: Target = {
  name: "F.jpeg / F.encodeJpeg (quality, out)",
  args: fc.tuple(anyImage, quality, options({ out }), fc.boolean()),
  call: async ([img, q, opts, encode]) => {
    if (!encode) return F.jpeg(img as L.Image, q as number, opts as never);
    const bytes = F.encodeJpeg(img as L.Image, q === undefined ? undefined : ({ quality: q } as never));
    const back = await decode(bytes);
    // Only plain images have a size to compare with (a lying getter's later answer is not what was encoded).
    const i = { width: Object.getOwnPropertyDescriptor(img, "width")?.value, height: Object.getOwnPropertyDescriptor(img, "height")?.value };
    if (typeof i.width === "number" && typeof i.height === "number" && (back.width !== i.width || back.height !== i.height)) throw new Error(`encodeJpeg of ${i.width}x${i.height} decodes as ${back.width}x${back.height}`);
    return back;
  },
  names: /img|quality|out|options|jpeg|JPEG/,
};

// ---------------------------------------------------------------------------------------------
// The semantics option: functional ops, Compose, and records that name one.

const semantics = fc.oneof({ arbitrary: fc.constantFrom<unknown>("pil", "tensor", "tensor-v1", undefined), weight: 6 }, { arbitrary: fc.constantFrom<unknown>("PIL", "Tensor", "", null, 0, "tensor ", ["pil"]), weight: 2 }, { arbitrary: hostile, weight: 1 });

const semOps: [string, (img: L.Image, sem: unknown, x: number) => unknown][] = [
  ["resize", (img, semantics, x) => F.resize(img, [1 + (x % 17), 1 + (x % 13)], { semantics, antialias: x % 2 === 0 } as never)],
  ["toTensor", (img, semantics) => F.toTensor(img, { semantics } as never)],
  ["adjustContrast", (img, semantics, x) => F.adjustContrast(img, (x % 30) / 10, { semantics } as never)],
  ["adjustSaturation", (img, semantics, x) => F.adjustSaturation(img, (x % 30) / 10, { semantics } as never)],
  ["adjustHue", (img, semantics, x) => F.adjustHue(img, ((x % 100) - 50) / 100, { semantics } as never)],
  ["adjustBrightness", (img, semantics, x) => F.adjustBrightness(img, (x % 30) / 10, { semantics } as never)],
  ["rotate", (img, semantics, x) => F.rotate(img, (x % 720) - 360, { semantics, expand: x % 2 === 0, interpolation: x % 3 ? "nearest" : "bilinear" } as never)],
  ["affine", (img, semantics, x) => F.affine(img, { angle: x % 90, translate: [x % 5, -(x % 3)], scale: 1 + (x % 5) / 10, shear: [x % 20, 0], semantics } as never)],
  ["perspective", (img, semantics, x) => F.perspective(img, [[0, 0], [img.width - 1, 0], [img.width - 1, img.height - 1], [0, img.height - 1]], [[x % 3, 0], [img.width - 1, x % 4], [img.width - 2, img.height - 1], [0, img.height - 1 - (x % 2)]], { semantics } as never)],
  ["Compose", (img, semantics, x) => new L.Compose([new L.RandomResizedCrop(1 + (x % 12)), new L.ColorJitter(0.4, 0.4, 0.4, 0.1), new L.RandomRotation(30)], { semantics } as never).apply(img, { seed: x })],
  ["replay", (img, semantics, x) => {
    const t = new L.Compose([new L.RandomAffine(20), new L.ColorJitter(0.3, 0.3, 0.3, 0.05)]);
    const { record } = t.applyWithRecord(img, { seed: x });
    return t.replay(img, { ...record, semantics } as never);
  }],
];

export const semanticsOption: Target = {
  name: "semantics option (F.*, Compose, records)",
  args: fc.tuple(fc.nat(semOps.length - 1), anyImage, semantics, fc.nat()),
  call: ([i, img, sem, x]) => semOps[i as number]![1](img as L.Image, sem, x as number),
  names: /semantics|img|input|options|size|angle|record|hueFactor|contrastFactor|saturationFactor|brightnessFactor|startpoints|endpoints|output|limit/,
};

export { HostileError };
