// Structured samples, as torchvision v2 takes them: an image plus targets in plain objects and
// arrays ({ image, boxes, labels }, [image, { boxes, labels }], ...). The sample is flattened
// into leaves; the image and the targets are transformed, every other leaf (labels, ids, file
// names) passes through untouched, and the structure is rebuilt around the results.
import { checkSample, describe, isTensor, type Image, type Tensor } from "../image.js";
import { checkBoundingBoxes, checkKeyPoints, checkMask, isTarget, maskSize, type Target } from "./types.js";

/** A path into a sample: object keys and array indices. */
export type Path = (string | number)[];

/** One leaf of a sample other than its image. */
export interface Leaf {
  path: Path;
  value: unknown;
}

/**
 * The targets of a sample on their way through a pipeline: every leaf but the image, in
 * the sample's order, and where the labels are (for SanitizeBoundingBoxes's default).
 */
export interface TargetState {
  leaves: Leaf[];
  /** Index in `leaves` of the labels found by torchvision's heuristic, or -1. */
  labels: number;
}

/** A sample split into its image, its targets and a way to put it back together. */
export interface Split {
  image: Image | Tensor;
  /** null for a bare image or tensor (the sample is the image). */
  state: TargetState | null;
  rebuild(image: Image | Tensor, state: TargetState | null): unknown;
}

/** Renders a path for messages: sample.target.boxes, sample[1].labels. */
export function pathName(path: Path): string {
  return (
    "sample" +
    path.map((p) => (typeof p === "number" ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`)).join("")
  );
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** An Image or a Tensor by shape (validated later). */
function isImageLike(v: unknown): v is Image | Tensor {
  if (!isPlainObject(v) || isTarget(v)) return false;
  const o = v as Record<string, unknown>;
  return (
    (o.data instanceof Uint8Array && typeof o.width === "number" && typeof o.height === "number") ||
    (o.data instanceof Float32Array && Array.isArray(o.shape))
  );
}

/** Most values (containers and leaves) a sample may hold: a bound on the walk, which also stops shared sub-objects from multiplying. */
export const MAX_SAMPLE_VALUES = 2 ** 20;

/** Stands for the leaf `i` in a sample's skeleton (a class of its own: no user value is one). */
class Slot {
  constructor(readonly i: number) {}
}

/**
 * Walks a sample, reading each property once: pushes its leaves (with their paths) to `out`
 * and returns its skeleton, a fresh copy of its arrays and plain objects with a Slot per leaf.
 */
function walk(v: unknown, path: Path, out: Leaf[], depth: number, seen: { n: number }): unknown {
  if (depth > 32) throw new RangeError(`input ${pathName(path)}: a sample may nest at most 32 levels`);
  if (++seen.n > MAX_SAMPLE_VALUES)
    throw new RangeError(
      `input ${pathName(path)}: the sample holds more than ${MAX_SAMPLE_VALUES} values (objects, arrays and their entries together); a sample holds one image and its targets`,
    );
  const array = Array.isArray(v);
  // An array's entries count towards the bound before any is read (a sparse array may claim 2^32).
  const length: unknown = array ? (v as unknown[]).length : 0;
  if (array && (typeof length !== "number" || (seen.n += length) > MAX_SAMPLE_VALUES)) {
    throw new RangeError(
      `input ${pathName(path)}: the sample holds more than ${MAX_SAMPLE_VALUES} values (objects, arrays and their entries together); a sample holds one image and its targets`,
    );
  }
  // Each entry read once (a Proxy's length or entries cannot change between the check and the walk).
  const items: unknown[] = [];
  for (let i = 0; i < (length as number); i++) items.push((v as unknown[])[i]);
  // Arrays of plain values (labels: [3, 1, 7]) are leaves, as tensors are in torchvision.
  const flatArray = array && items.every((x) => typeof x !== "object" || x === null);
  if (isImageLike(v) || isTarget(v) || flatArray || !(array || isPlainObject(v))) {
    out.push({ path, value: v });
    return new Slot(out.length - 1);
  }
  if (array) {
    return items.map((x, i) => walk(x, [...path, i], out, depth + 1, seen));
  }
  const o = v as Record<string, unknown>;
  // fromEntries defines own properties: a "__proto__" key stays a key, never a prototype.
  return Object.fromEntries(Object.keys(o).map((k) => [k, walk(o[k], [...path, k], out, depth + 1, seen)]));
}

/** A path as a map key. */
const pathKey = (path: Path): string => JSON.stringify(path);

/** A fresh copy of `skeleton` with each Slot replaced by its leaf's value. */
function fill(skeleton: unknown, values: readonly unknown[]): unknown {
  if (skeleton instanceof Slot) return values[skeleton.i];
  if (Array.isArray(skeleton)) return skeleton.map((x) => fill(x, values));
  const o = skeleton as Record<string, unknown>;
  return Object.fromEntries(Object.keys(o).map((k) => [k, fill(o[k], values)]));
}

/** torchvision's _find_labels_default_heuristic: a "labels" key (any case), else a key containing "label", in the sample or its second element. */
function findLabels(sample: unknown, leaves: Leaf[]): number {
  let base: Path = [];
  let obj = sample;
  if (Array.isArray(sample)) {
    base = [1];
    obj = sample[1];
  }
  if (!isPlainObject(obj)) return -1;
  const keys = Object.keys(obj);
  const key = keys.find((k) => k.toLowerCase() === "labels") ?? keys.find((k) => k.toLowerCase().includes("label"));
  if (key === undefined) return -1;
  const want = [...base, key];
  return leaves.findIndex((l) => l.path.length === want.length && l.path.every((p, i) => p === want[i]));
}

/** The [height, width] of an image or CHW tensor. */
function sizeOf(x: Image | Tensor): [number, number] {
  return isTensor(x) ? [x.shape[x.shape.length - 2] ?? 1, x.shape[x.shape.length - 1] ?? 1] : [x.height, x.width];
}

/**
 * Splits a sample: a bare Image or Tensor, or plain objects / arrays holding exactly one
 * image and any targets. Reads every property once and validates the image and every
 * target (and that its size matches the image's): the split holds their snapshots, so what
 * was checked is what the transforms see.
 */
export function splitSample(input: unknown): Split {
  if (isImageLike(input)) {
    const image = checkSample(input, "input");
    return { image, state: null, rebuild: (out) => out };
  }
  if (!(Array.isArray(input) || isPlainObject(input))) {
    throw new TypeError(
      `input must be an Image { width, height, channels, data }, a Tensor, or a sample (plain object or array) holding one, got ${describe(input)}`,
    );
  }
  const all: Leaf[] = [];
  const skeleton = walk(input, [], all, 0, { n: 0 });
  const images = all.filter((l) => isImageLike(l.value));
  if (images.length === 0) {
    const found = all.filter((l) => isTarget(l.value)).map((l) => `${(l.value as Target).kind} at ${pathName(l.path)}`);
    throw new TypeError(
      `input: the sample has no image: expected one Image { width, height, channels, data } in it (e.g. { image, boxes, labels })${found.length ? `; found ${found.join(", ")}` : ""}`,
    );
  }
  if (images.length > 1)
    throw new TypeError(
      `input: the sample holds ${images.length} images (${images.map((l) => pathName(l.path)).join(", ")}); a sample holds one image and its targets`,
    );
  const img = images[0]!;
  const imageAt = all.indexOf(img);
  const image = checkSample(img.value, pathName(img.path));
  const [h, w] = sizeOf(image);
  const leaves: Leaf[] = [];
  for (const l of all) {
    if (l === img) continue;
    if (!isTarget(l.value)) {
      leaves.push(l);
      continue;
    }
    const name = pathName(l.path);
    const kind = l.value.kind;
    const t: Target =
      kind === "boxes"
        ? checkBoundingBoxes(l.value, name)
        : kind === "keypoints"
          ? checkKeyPoints(l.value, name)
          : checkMask(l.value, name);
    const size = t.kind === "mask" ? maskSize(t) : t.canvasSize;
    if (size[0] !== h || size[1] !== w) {
      throw new RangeError(
        `${name}${t.kind === "mask" ? " (shape [..., H, W])" : ".canvasSize"} is [${size.join(", ")}] but the image at ${pathName(img.path)} is ${h}x${w} (height x width): they must match`,
      );
    }
    leaves.push({ path: l.path, value: t });
  }
  const state: TargetState = { leaves, labels: findLabels(skeleton, leaves) };
  // Each slot by its path: the same array for the leaves made here, its text for copies.
  const slotOf = new Map<Path | string, number>();
  all.forEach((l, i) => {
    slotOf.set(l.path, i);
    slotOf.set(pathKey(l.path), i);
  });
  return {
    image,
    state,
    rebuild: (out, s) => {
      // Slot i is all[i]: the image, the snapshots, and whatever the state moved (by path).
      const values = all.map((l) => l.value);
      values[imageAt] = out;
      for (const l of leaves) values[slotOf.get(l.path)!] = l.value;
      for (const l of s?.leaves ?? []) {
        const i = slotOf.get(l.path) ?? slotOf.get(pathKey(l.path));
        if (i !== undefined) values[i] = l.value;
      }
      return fill(skeleton, values);
    },
  };
}

/** The state with every target leaf replaced by fn(target). */
export function mapTargets(state: TargetState, fn: (t: Target, path: Path) => Target): TargetState {
  return { ...state, leaves: state.leaves.map((l) => (isTarget(l.value) ? { path: l.path, value: fn(l.value, l.path) } : l)) };
}

/** The state without masks (for drawing params: nothing there needs pixels). */
export function withoutMasks(state: TargetState): TargetState {
  const keep = state.leaves.map((l) => !(isTarget(l.value) && l.value.kind === "mask"));
  const leaves = state.leaves.filter((_, i) => keep[i]);
  const labels = state.labels < 0 || !keep[state.labels] ? -1 : leaves.indexOf(state.leaves[state.labels]!);
  return { leaves, labels };
}

/** The first target of a kind (torchvision's get_bounding_boxes / get_keypoints), with its index. */
export function firstTarget<K extends Target["kind"]>(
  state: TargetState | undefined,
  kind: K,
): { index: number; value: Extract<Target, { kind: K }> } | null {
  if (!state) return null;
  const index = state.leaves.findIndex((l) => isTarget(l.value) && l.value.kind === kind);
  return index < 0 ? null : { index, value: state.leaves[index]!.value as Extract<Target, { kind: K }> };
}

/** Whether the state holds any target. */
export function hasTargets(state: TargetState | null | undefined): boolean {
  return !!state && state.leaves.some((l) => isTarget(l.value));
}

/** For transforms torchvision refuses targets in (FiveCrop, TenCrop, the auto-augment family): a TypeError naming the first target. */
export function refuseTargets(state: TargetState, type: string): TargetState {
  const t = state.leaves.find((l) => isTarget(l.value));
  if (t)
    throw new TypeError(
      `${type} does not support bounding boxes, masks or key points (as torchvision), found ${(t.value as Target).kind} at ${pathName(t.path)}`,
    );
  return state;
}
