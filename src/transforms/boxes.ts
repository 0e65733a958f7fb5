// Transforms of the targets themselves (torchvision v2's ConvertBoundingBoxFormat,
// ClampBoundingBoxes, ClampKeyPoints, SanitizeBoundingBoxes, SanitizeKeyPoints) and the SSD
// crop that reads the boxes to choose its window (RandomIoUCrop).
import { describe, type Meta } from "../image.js";
import { checkFinite } from "../functional/args.js";
import { convertFormat, iouWith, validBoxes } from "../targets/boxes.js";
import { clampBoundingBoxes, clampKeyPoints, convertBoundingBoxFormat } from "../targets/index.js";
import type { Geo } from "../targets/geometry.js";
import { firstTarget, hasTargets, mapTargets, pathName, type Leaf, type Path, type TargetState } from "../targets/sample.js";
import {
  boxCount,
  checkFormat,
  isRotated,
  isTarget,
  type BoundingBoxes,
  type BoxFormat,
  type KeyPoints,
  type Mask,
} from "../targets/types.js";
import { Context, Deterministic, Transform, type Json } from "./base.js";
import { cropWindow, type Op } from "../ir/ops.js";
import { expectParams, isInt, isObject, imageMeta } from "./params.js";
import { define, parseArgs, type CtorArgs, type Declaration } from "./declare.js";
import * as K from "./kinds.js";

/** Converts every BoundingBoxes of the sample to `format` (torchvision ConvertBoundingBoxFormat). The image is untouched. */
export class ConvertBoundingBoxFormat extends Deterministic {
  readonly type = "ConvertBoundingBoxFormat";
  readonly format: BoxFormat;

  constructor(...args: CtorArgs<{ format: BoxFormat | Lowercase<BoxFormat> }, readonly ["format"]>) {
    super();
    this.format = checkFormat(parseArgs(ConvertBoundingBoxFormatDecl, args).format, "format");
  }

  ops(): Op[] {
    return [];
  }

  override mapTargets(_: null, __: Meta, state: TargetState): TargetState {
    return mapTargets(state, (t) => (t.kind === "boxes" ? convertBoundingBoxFormat(t, this.format) : t));
  }
}

/**
 * Clamps boxes to their canvas (torchvision ClampBoundingBoxes): `clampingMode` "auto"
 * (default) uses each BoundingBoxes' own mode; "soft", "hard" or null override it.
 */
export class ClampBoundingBoxes extends Deterministic {
  readonly type = "ClampBoundingBoxes";
  readonly clampingMode: "auto" | "soft" | "hard" | null;

  constructor(...args: CtorArgs<{ clampingMode: "auto" | "soft" | "hard" | null }, readonly ["clampingMode"]>) {
    super();
    this.clampingMode = parseArgs(ClampBoundingBoxesDecl, args).clampingMode as "auto" | "soft" | "hard" | null;
  }

  ops(): Op[] {
    return [];
  }

  override mapTargets(_: null, __: Meta, state: TargetState): TargetState {
    return mapTargets(state, (t) =>
      t.kind === "boxes" ? clampBoundingBoxes(t, this.clampingMode === "auto" ? t.clampingMode : this.clampingMode) : t,
    );
  }
}

/** Clamps key points into [0, W - 1] x [0, H - 1] of their canvas (torchvision ClampKeyPoints). */
export class ClampKeyPoints extends Deterministic {
  readonly type = "ClampKeyPoints";

  /** Takes no arguments (any is an error). */
  constructor(...args: []) {
    super();
    parseArgs(ClampKeyPointsDecl, args);
  }

  ops(): Op[] {
    return [];
  }

  override mapTargets(_: null, __: Meta, state: TargetState): TargetState {
    return mapTargets(state, (t) => (t.kind === "keypoints" ? clampKeyPoints(t) : t));
  }
}

// ---------------------------------------------------------------------------------------
// Sanitizing

/** Where the labels are: "default" (torchvision's heuristic: a "labels" key), null (none) or paths such as ["labels", "iscrowd"] or ["1.labels"]. */
export type LabelsGetter = "default" | null | string[];

function checkLabelsGetter(v: unknown): LabelsGetter {
  if (v === "default" || v === null) return v;
  if (Array.isArray(v) && v.every((p) => typeof p === "string" && p.length > 0 && p.length <= 200)) return [...v];
  throw new TypeError(`labelsGetter must be "default", null or an array of paths like ["labels", "iscrowd"], got ${describe(v)}`);
}

function parsePath(p: string): Path {
  return p.split(".").map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** The leaves holding labels per `getter`; their lengths must be `n`. */
function labelLeaves(state: TargetState, getter: LabelsGetter, who: string, n: number): number[] {
  let idx: number[];
  if (getter === null) idx = [];
  else if (getter === "default") {
    if (state.labels < 0)
      throw new TypeError(
        `${who}: could not find the labels (a "labels" key in the sample, or in its second element); pass labelsGetter: null to sanitize only the ${who === "SanitizeKeyPoints" ? "key points" : "boxes"}, or the paths of the labels`,
      );
    idx = [state.labels];
  } else {
    idx = getter.map((p) => {
      const want = parsePath(p);
      const i = state.leaves.findIndex((l) => l.path.length === want.length && l.path.every((x, k) => String(x) === String(want[k])));
      if (i < 0) throw new RangeError(`${who}: labelsGetter path ${JSON.stringify(p)} names nothing in the sample`);
      return i;
    });
  }
  for (const i of idx) {
    const l = state.leaves[i]!;
    const v = l.value;
    if (!(Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView))))
      throw new TypeError(`${who}: the labels at ${pathName(l.path)} must be an array or a typed array, got ${describe(v)}`);
    const len = (v as ArrayLike<unknown>).length;
    if (len !== n)
      throw new RangeError(
        `${who}: ${n} ${who === "SanitizeKeyPoints" ? "key point groups" : "boxes"} but ${len} labels at ${pathName(l.path)}: they must match`,
      );
  }
  return idx;
}

function keep<T extends ArrayLike<unknown>>(v: T, valid: boolean[], per = 1): T {
  const out: unknown[] = [];
  for (let i = 0; i < valid.length; i++) if (valid[i]) for (let k = 0; k < per; k++) out.push(v[i * per + k]);
  if (Array.isArray(v)) return out as unknown as T;
  const Ctor = (v as unknown as { constructor: new (a: ArrayLike<unknown>) => T }).constructor;
  return new Ctor(out as ArrayLike<unknown>);
}

function filterLeaf(l: Leaf, valid: boolean[], labelIdx: boolean): Leaf {
  const v = l.value;
  if (labelIdx) return { path: l.path, value: keep(v as ArrayLike<unknown>, valid) };
  if (!isTarget(v)) return l;
  if (v.kind === "boxes") {
    if (boxCount(v) !== valid.length) return l;
    return { path: l.path, value: { ...v, data: keep(v.data, valid, v.data.length / valid.length) } satisfies BoundingBoxes };
  }
  if (v.kind === "mask") {
    // Per-instance masks ([N, H, W] with N boxes) lose the planes of dropped boxes; label maps pass.
    if (v.shape.length !== 3 || v.shape[0] !== valid.length) return l;
    const plane = v.shape[1]! * v.shape[2]!;
    const n = valid.filter(Boolean).length;
    return { path: l.path, value: { ...v, shape: [n, v.shape[1]!, v.shape[2]!], data: keep(v.data, valid, plane) } satisfies Mask };
  }
  return l;
}

/** Options of {@link SanitizeBoundingBoxes}. */
export interface SanitizeBoundingBoxesOptions {
  /** Boxes narrower or lower than this are removed (>= 1, default 1). */
  minSize?: number;
  /** Boxes smaller than this area are removed (>= 1, default 1). */
  minArea?: number;
  labelsGetter?: LabelsGetter;
}

/**
 * Removes degenerate boxes and their labels and per-instance masks (torchvision
 * SanitizeBoundingBoxes): boxes below minSize or minArea, or with a corner outside
 * [0, W] x [0, H]. Needs the labels (torchvision's heuristic by default: a "labels" key in the
 * sample or its second element); `labelsGetter: null` sanitizes boxes and masks only.
 */
export class SanitizeBoundingBoxes extends Deterministic {
  readonly type = "SanitizeBoundingBoxes";
  readonly minSize: number;
  readonly minArea: number;
  readonly labelsGetter: LabelsGetter;

  /** torchvision's `(minSize, minArea, labelsGetter)`, any prefix of them, then optionally the rest by name. */
  constructor(...args: CtorArgs<SanitizeBoundingBoxesOptions, typeof SanitizeBoundingBoxesDecl.positional>) {
    super();
    const opts = parseArgs<SanitizeBoundingBoxesOptions>(SanitizeBoundingBoxesDecl, args);
    this.minSize = checkFinite(opts.minSize ?? 1, "minSize");
    if (this.minSize < 1) throw new RangeError(`minSize must be >= 1, got ${this.minSize}`);
    this.minArea = checkFinite(opts.minArea ?? 1, "minArea");
    if (this.minArea < 1) throw new RangeError(`minArea must be >= 1, got ${this.minArea}`);
    this.labelsGetter = checkLabelsGetter(opts.labelsGetter === undefined ? "default" : opts.labelsGetter);
  }

  ops(): Op[] {
    return [];
  }

  override mapTargets(_: null, __: Meta, state: TargetState): TargetState {
    const first = firstTarget(state, "boxes");
    if (!first) throw new TypeError("SanitizeBoundingBoxes: no bounding boxes were found in the sample");
    const b = first.value;
    const labels = labelLeaves(state, this.labelsGetter, this.type, boxCount(b));
    const valid = validBoxes(b.data, b.format, b.canvasSize, this.minSize, this.minArea);
    return { ...state, leaves: state.leaves.map((l, i) => filterLeaf(l, valid, labels.includes(i))) };
  }
}

/**
 * Removes key points (or groups of them, for shapes [N, ..., 2]) outside [0, W) x [0, H) and
 * their labels (torchvision SanitizeKeyPoints; labelsGetter null by default).
 */
export class SanitizeKeyPoints extends Deterministic {
  readonly type = "SanitizeKeyPoints";
  readonly labelsGetter: LabelsGetter;

  constructor(...args: CtorArgs<{ labelsGetter?: LabelsGetter }, readonly ["labelsGetter"]>) {
    super();
    const opts = parseArgs<{ labelsGetter?: LabelsGetter }>(SanitizeKeyPointsDecl, args);
    this.labelsGetter = checkLabelsGetter(opts.labelsGetter === undefined ? null : opts.labelsGetter);
  }

  ops(): Op[] {
    return [];
  }

  override mapTargets(_: null, __: Meta, state: TargetState): TargetState {
    const first = firstTarget(state, "keypoints");
    if (!first) throw new TypeError("SanitizeKeyPoints: no key points were found in the sample");
    const k = first.value;
    const [H, W] = k.canvasSize;
    const groups = k.shape.length > 1 ? k.shape[0]! : 1;
    const per = groups === 0 ? 0 : k.data.length / 2 / groups;
    const valid: boolean[] = [];
    for (let g = 0; g < groups; g++) {
      let ok = true;
      for (let i = g * per; i < (g + 1) * per; i++) {
        const x = k.data[2 * i]!,
          y = k.data[2 * i + 1]!;
        ok &&= x >= 0 && x < W && y >= 0 && y < H;
      }
      valid.push(ok);
    }
    const labels = labelLeaves(state, this.labelsGetter, this.type, groups);
    return {
      ...state,
      leaves: state.leaves.map((l, i) => {
        if (labels.includes(i)) return { path: l.path, value: keep(l.value as ArrayLike<unknown>, valid) };
        const v = l.value;
        if (!isTarget(v) || v.kind !== "keypoints" || v.shape.length < 2 || v.shape[0] !== groups) return l;
        const n = valid.filter(Boolean).length;
        return { path: l.path, value: { ...v, shape: [n, ...v.shape.slice(1)], data: keep(v.data, valid, per * 2) } satisfies KeyPoints };
      }),
    };
  }
}

// ---------------------------------------------------------------------------------------
// RandomIoUCrop

/** Options of {@link RandomIoUCrop}, as torchvision's. */
export interface RandomIoUCropOptions {
  minScale?: number;
  maxScale?: number;
  minAspectRatio?: number;
  maxAspectRatio?: number;
  /** Minimum IoU options; a value >= 1 leaves the sample as is (default [0, 0.1, 0.3, 0.5, 0.7, 0.9, 1]). */
  samplerOptions?: number[];
  trials?: number;
}

/** Params of {@link RandomIoUCrop}: the crop and which boxes have their centre in it, or null (left as is). */
export type RandomIoUCropParams = { [k: string]: Json; top: number; left: number; height: number; width: number; within: boolean[] } | null;

/** Rounds of option draws before giving up (torchvision loops forever when no crop can qualify). */
const MAX_ROUNDS = 1000;

const f = Math.fround;
/** torch.rand: a float32 in [0, 1) from 24 bits. */
const rand32 = (ctx: Context): number => (ctx.rng.nextU32() >>> 8) * 2 ** -24;

/**
 * SSD's random crop (torchvision RandomIoUCrop): draws a minimum IoU from samplerOptions
 * (>= 1: no crop), then up to `trials` crops of scale [minScale, maxScale] per side and
 * aspect in [minAspectRatio, maxAspectRatio] whose window holds the centre of a box with at
 * least that IoU; boxes whose centre is outside are set to 0 (follow with
 * SanitizeBoundingBoxes). Needs unrotated boxes in the sample. torchvision's float32 draws and
 * arithmetic, from Philox; gives up (no crop) after 1000 rounds where torchvision would loop
 * forever.
 */
export class RandomIoUCrop extends Transform<RandomIoUCropParams> {
  readonly type = "RandomIoUCrop";
  readonly random = true;
  readonly minScale: number;
  readonly maxScale: number;
  readonly minAspectRatio: number;
  readonly maxAspectRatio: number;
  readonly samplerOptions: number[];
  readonly trials: number;

  /** torchvision's `(minScale, maxScale, minAspectRatio, maxAspectRatio, samplerOptions, trials)`, any prefix of them, then optionally the rest by name. */
  constructor(...args: CtorArgs<RandomIoUCropOptions, typeof RandomIoUCropDecl.positional>) {
    super();
    const opts = parseArgs<RandomIoUCropOptions>(RandomIoUCropDecl, args);
    this.minScale = checkFinite(opts.minScale ?? 0.3, "minScale");
    this.maxScale = checkFinite(opts.maxScale ?? 1.0, "maxScale");
    if (!(this.minScale > 0) || this.minScale > this.maxScale || this.maxScale > 1)
      throw new RangeError(`minScale and maxScale must satisfy 0 < minScale <= maxScale <= 1, got ${this.minScale}, ${this.maxScale}`);
    this.minAspectRatio = checkFinite(opts.minAspectRatio ?? 0.5, "minAspectRatio");
    this.maxAspectRatio = checkFinite(opts.maxAspectRatio ?? 2.0, "maxAspectRatio");
    if (!(this.minAspectRatio > 0) || this.minAspectRatio > this.maxAspectRatio)
      throw new RangeError(
        `aspect ratios must satisfy 0 < minAspectRatio <= maxAspectRatio, got ${this.minAspectRatio}, ${this.maxAspectRatio}`,
      );
    const so = opts.samplerOptions ?? [0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0];
    if (!Array.isArray(so) || so.length < 1 || so.length > 100)
      throw new TypeError(`samplerOptions must be a non-empty array of numbers, got ${describe(so)}`);
    this.samplerOptions = so.map((v, i) => checkFinite(v, `samplerOptions[${i}]`));
    const trials = opts.trials ?? 40;
    if (!Number.isInteger(trials) || trials < 1 || trials > 10000)
      throw new RangeError(`trials must be an integer in [1, 10000], got ${describe(trials)}`);
    this.trials = trials;
  }

  override get needsTargets(): boolean {
    return true;
  }

  makeParams(ctx: Context, meta: Meta, targets?: TargetState): RandomIoUCropParams {
    const { width: W, height: H } = imageMeta(meta, this.type);
    const first = firstTarget(targets, "boxes");
    if (!first)
      throw new TypeError(
        "RandomIoUCrop needs a sample with an image and bounding boxes (e.g. { image, boxes, labels }); masks may come too",
      );
    const b = first.value;
    if (isRotated(b.format))
      throw new TypeError(`RandomIoUCrop: rotated boxes (${b.format}) are not supported (torchvision cannot convert them to XYXY either)`);
    const xyxy = convertFormat(b.data, b.format, "XYXY");
    const n = xyxy.length / 4;
    const cx: number[] = [],
      cy: number[] = [];
    for (let i = 0; i < n; i++) {
      cx.push(f(0.5 * f(xyxy[4 * i]! + xyxy[4 * i + 2]!)));
      cy.push(f(0.5 * f(xyxy[4 * i + 1]! + xyxy[4 * i + 3]!)));
    }
    const span = f(this.maxScale - this.minScale),
      lo = f(this.minScale);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const minIoU = this.samplerOptions[ctx.rng.randint(0, this.samplerOptions.length)]!;
      if (minIoU >= 1.0) return null;
      for (let t = 0; t < this.trials; t++) {
        const r0 = f(lo + f(span * rand32(ctx)));
        const r1 = f(lo + f(span * rand32(ctx)));
        const newW = Math.trunc(f(W * r0));
        const newH = Math.trunc(f(H * r1));
        if (newW === 0 || newH === 0) continue; // torchvision divides by zero here
        const aspect = newW / newH;
        if (!(this.minAspectRatio <= aspect && aspect <= this.maxAspectRatio)) continue;
        const u0 = rand32(ctx),
          u1 = rand32(ctx);
        const left = Math.trunc(f((W - newW) * u0));
        const top = Math.trunc(f((H - newH) * u1));
        const right = left + newW,
          bottom = top + newH;
        if (left === right || top === bottom) continue;
        const within = cx.map((x, i) => left < x && x < right && top < cy[i]! && cy[i]! < bottom);
        if (!within.some(Boolean)) continue;
        const inside = xyxy.filter((_, k) => within[Math.floor(k / 4)]!);
        const ious = iouWith(inside, [left, top, right, bottom]);
        if (Math.max(...ious) < f(minIoU)) continue;
        return { top, left, height: newH, width: newW, within };
      }
    }
    return null;
  }

  private checkParams(p: RandomIoUCropParams): void {
    if (p === null) return;
    expectParams(
      isObject(p) &&
        [p.top, p.left, p.height, p.width].every(isInt) &&
        p.height > 0 &&
        p.width > 0 &&
        Array.isArray(p.within) &&
        p.within.every((v) => typeof v === "boolean"),
      this.type,
      "null or { top, left, height, width, within: boolean[] }",
      p,
    );
  }

  ops(params: RandomIoUCropParams, meta: Meta): Op[] {
    const m = imageMeta(meta, this.type);
    this.checkParams(params);
    if (params === null) return [];
    return [cropWindow(params, m.channels)];
  }

  override geometry(params: RandomIoUCropParams, meta: Meta): Geo[] {
    if (this.ops(params, meta).length === 0) return [];
    return [{ fn: "crop", top: params!.top, left: params!.left, height: params!.height, width: params!.width }];
  }

  override mapTargets(params: RandomIoUCropParams, meta: Meta, state: TargetState): TargetState {
    const moved = super.mapTargets(params, meta, state);
    if (params === null || !hasTargets(moved)) return moved;
    const within = params.within;
    // Boxes whose centre left the crop become degenerate [0, 0, 0, 0] for SanitizeBoundingBoxes.
    return mapTargets(moved, (t) => {
      if (t.kind !== "boxes") return t;
      if (boxCount(t) !== within.length)
        throw new RangeError(`RandomIoUCrop: params.within has ${within.length} entries for ${boxCount(t)} boxes`);
      const d = t.data.slice();
      const per = d.length / Math.max(1, within.length);
      within.forEach((w, i) => {
        if (!w) d.fill(0, i * per, (i + 1) * per);
      });
      return { ...t, data: d };
    });
  }

  protected override config(): Record<string, Json> {
    return {
      minScale: this.minScale,
      maxScale: this.maxScale,
      minAspectRatio: this.minAspectRatio,
      maxAspectRatio: this.maxAspectRatio,
      samplerOptions: this.samplerOptions,
      trials: this.trials,
    };
  }
}

// ---------------------------------------------------------------------------------------
// Declarations

const FAMILY = "targets";
const finite = (text: string, min: number) =>
  K.custom(text, { type: "number", minimum: min }, (v, n) => checkFinite(v, n), ["1", true, null], [min - 1]);
const labelsGetter = K.custom(
  '"default", null or paths like `["labels"]`',
  { anyOf: [{ const: "default" }, { type: "null" }, { type: "array", items: { type: "string", minLength: 1, maxLength: 200 } }] },
  (v) => checkLabelsGetter(v),
  [1, true, "labels"],
);
const ConvertBoundingBoxFormatDecl = {
  name: "ConvertBoundingBoxFormat",
  family: FAMILY,
  summary: "boxes to another format",
  positional: ["format"] as const,
  fields: {
    format: {
      kind: K.custom("a box format (`XYXY`, `XYWH`, `CXCYWH`, ...)", { type: "string" }, (v, n) => checkFormat(v, n), [1, true], ["XYZ"]),
      required: true,
    },
  },
} satisfies Declaration;
const ClampBoundingBoxesDecl = {
  name: "ClampBoundingBoxes",
  family: FAMILY,
  summary: "boxes into their canvas (`auto`: each box's own mode)",
  positional: ["clampingMode"] as const,
  fields: { clampingMode: { kind: K.oneOf("auto", "soft", "hard", null), default: "auto" } },
} satisfies Declaration;
const ClampKeyPointsDecl = {
  name: "ClampKeyPoints",
  family: FAMILY,
  summary: "key points into their canvas",
  positional: [],
  fields: {},
} satisfies Declaration;
const SanitizeBoundingBoxesDecl = {
  name: "SanitizeBoundingBoxes",
  family: FAMILY,
  summary: "removes degenerate boxes with their labels and masks",
  positional: ["minSize", "minArea", "labelsGetter"] as const,
  fields: {
    minSize: { kind: finite("number >= 1", 1), default: 1 },
    minArea: { kind: finite("number >= 1", 1), default: 1 },
    labelsGetter: { kind: labelsGetter, default: "default" },
  },
} satisfies Declaration;
const SanitizeKeyPointsDecl = {
  name: "SanitizeKeyPoints",
  family: FAMILY,
  summary: "removes key points (or groups) outside the canvas with their labels",
  positional: ["labelsGetter"] as const,
  fields: { labelsGetter: { kind: labelsGetter, default: null } },
} satisfies Declaration;
const RandomIoUCropDecl = {
  name: "RandomIoUCrop",
  family: FAMILY,
  summary: "SSD's crop: a window holding the centre of a box with at least a drawn IoU",
  positional: ["minScale", "maxScale", "minAspectRatio", "maxAspectRatio", "samplerOptions", "trials"] as const,
  fields: {
    minScale: { kind: finite("number in (0, 1]", 0), default: 0.3 },
    maxScale: { kind: finite("number in (0, 1]", 0), default: 1.0 },
    minAspectRatio: { kind: finite("number > 0", 0), default: 0.5 },
    maxAspectRatio: { kind: finite("number > 0", 0), default: 2.0 },
    samplerOptions: {
      kind: K.custom(
        "numbers (minimum IoUs; >= 1: no crop)",
        { type: "array", items: { type: "number" }, minItems: 1, maxItems: 100 },
        (v, n) => {
          if (!Array.isArray(v) || v.length < 1 || v.length > 100)
            throw new TypeError(`${n} must be a non-empty array of numbers, got ${describe(v)}`);
          v.forEach((x, i) => checkFinite(x, `${n}[${i}]`));
        },
        [0.5, "0.5", []],
        [[NaN]],
      ),
      default: [0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0],
    },
    trials: { kind: K.int(1, 10000), default: 40 },
  },
} satisfies Declaration;

define(ConvertBoundingBoxFormat, ConvertBoundingBoxFormatDecl);
define(ClampBoundingBoxes, ClampBoundingBoxesDecl);
define(ClampKeyPoints, ClampKeyPointsDecl);
define(SanitizeBoundingBoxes, SanitizeBoundingBoxesDecl);
define(SanitizeKeyPoints, SanitizeKeyPointsDecl);
define(RandomIoUCrop, RandomIoUCropDecl);
