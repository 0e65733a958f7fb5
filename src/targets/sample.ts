// Structured samples, as torchvision v2 takes them: an image plus targets in plain objects and
// arrays ({ image, boxes, labels }, [image, { boxes, labels }], ...). The sample is flattened
// into leaves; the image and the targets are transformed, every other leaf (labels, ids, file
// names) passes through untouched, and the structure is rebuilt around the results.
import { describe, isTensor, type Image, type Tensor } from "../image.js";
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
  return "sample" + path.map((p) => (typeof p === "number" ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`)).join("");
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
  return (o.data instanceof Uint8Array && typeof o.width === "number" && typeof o.height === "number") || (o.data instanceof Float32Array && Array.isArray(o.shape));
}

function walk(v: unknown, path: Path, out: Leaf[], depth: number): void {
  if (depth > 32) throw new RangeError(`${pathName(path)}: a sample may nest at most 32 levels`);
  // Arrays of plain values (labels: [3, 1, 7]) are leaves, as tensors are in torchvision.
  const flatArray = Array.isArray(v) && v.every((x) => typeof x !== "object" || x === null);
  if (isImageLike(v) || isTarget(v) || flatArray || !(Array.isArray(v) || isPlainObject(v))) {
    out.push({ path, value: v });
    return;
  }
  if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i], out, depth + 1));
  else for (const k of Object.keys(v)) walk(v[k], [...path, k], out, depth + 1);
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

function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(root)) {
    const copy = [...root];
    copy[head as number] = setAt(root[head as number], rest, value);
    return copy;
  }
  const obj = root as Record<string, unknown>;
  return { ...obj, [head as string]: setAt(obj[head as string], rest, value) };
}

/** The [height, width] of an image or CHW tensor. */
function sizeOf(x: Image | Tensor): [number, number] {
  return isTensor(x) ? [x.shape[x.shape.length - 2] ?? 1, x.shape[x.shape.length - 1] ?? 1] : [x.height, x.width];
}

/**
 * Splits a sample: a bare Image or Tensor, or plain objects / arrays holding exactly one
 * image and any targets. Validates every target and that its size matches the image's.
 */
export function splitSample(input: unknown): Split {
  if (isImageLike(input)) return { image: input, state: null, rebuild: (image) => image };
  if (!(Array.isArray(input) || isPlainObject(input))) {
    throw new TypeError(`input must be an Image { width, height, channels, data }, a Tensor, or a sample (plain object or array) holding one, got ${describe(input)}`);
  }
  const all: Leaf[] = [];
  walk(input, [], all, 0);
  const images = all.filter((l) => isImageLike(l.value));
  if (images.length === 0) {
    const found = all.filter((l) => isTarget(l.value)).map((l) => `${(l.value as Target).kind} at ${pathName(l.path)}`);
    throw new TypeError(`the sample has no image: expected one Image { width, height, channels, data } in it (e.g. { image, boxes, labels })${found.length ? `; found ${found.join(", ")}` : ""}`);
  }
  if (images.length > 1) throw new TypeError(`the sample holds ${images.length} images (${images.map((l) => pathName(l.path)).join(", ")}); a sample holds one image and its targets`);
  const img = images[0]!;
  const leaves = all.filter((l) => l !== img);
  const [h, w] = sizeOf(img.value as Image | Tensor);
  for (const l of leaves) {
    if (!isTarget(l.value)) continue;
    const name = pathName(l.path);
    const t = l.value;
    if (t.kind === "boxes") checkBoundingBoxes(t, name);
    else if (t.kind === "keypoints") checkKeyPoints(t, name);
    else checkMask(t, name);
    const size = t.kind === "mask" ? maskSize(t) : t.canvasSize;
    if (size[0] !== h || size[1] !== w) {
      throw new RangeError(`${name}${t.kind === "mask" ? " (shape [..., H, W])" : ".canvasSize"} is [${size.join(", ")}] but the image at ${pathName(img.path)} is ${h}x${w} (height x width): they must match`);
    }
  }
  const state: TargetState = { leaves, labels: findLabels(input, leaves) };
  return {
    image: img.value as Image | Tensor,
    state,
    rebuild: (image, s) => {
      let out = setAt(input, img.path, image);
      for (const l of s?.leaves ?? []) out = setAt(out, l.path, l.value);
      return out;
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
export function firstTarget<K extends Target["kind"]>(state: TargetState | undefined, kind: K): { index: number; value: Extract<Target, { kind: K }> } | null {
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
  if (t) throw new TypeError(`${type} does not support bounding boxes, masks or key points (as torchvision), found ${(t.value as Target).kind} at ${pathName(t.path)}`);
  return state;
}
