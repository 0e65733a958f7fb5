// The small instruction set transforms lower to. Params are data; ops are what runs.
import { checkArea, MAX_PIXELS, MAX_SIDE, type Meta } from "../image.js";
import type { Interpolation, PaddingMode } from "../functional/args.js";
import { checkSemantics, type Semantics } from "../functional/semantics.js";
import type { Image, Tensor } from "../image.js";
import type { Resident } from "../functional/color.js";

/** JSON-like op arguments. */
export type OpArgs = { [key: string]: unknown };

/**
 * How to run an op family registered with {@link defineOp}: colour, warps, filters and
 * the like plug in here without touching the executor.
 */
export interface OpSpec<A extends OpArgs = OpArgs> {
  /** The output meta; throw a TypeError when the input kind does not fit. */
  meta(args: A, meta: Meta): Meta;
  /** Checks args built from possibly hostile params; return a message when invalid. */
  check(args: A): string | null;
  /** Runs the op on a validated input. */
  run(x: Image | Tensor, args: A): Image | Tensor;
  /**
   * Optional: the same op on an image already in kernel memory, for ops that keep the
   * image's shape; consecutive such ops run with one copy in and one out (./resident.ts).
   */
  resident?(r: Resident, args: A): void;
}

const specs = new Map<string, OpSpec>();

/** Registers an op family under `name`; transforms then emit `{ op: "call", name, args }`. */
export function defineOp<A extends OpArgs>(name: string, spec: OpSpec<A>): void {
  if (specs.has(name)) throw new Error(`op ${name} is already defined`);
  specs.set(name, spec as unknown as OpSpec);
}

/** The spec of a registered op. */
export function opSpec(name: string): OpSpec {
  const s = specs.get(name);
  if (!s) throw new RangeError(`unknown op ${JSON.stringify(name)}`);
  return s;
}

/**
 * One pixel operation. `window` is crop and pad in one: a rectangle, the border filled by
 * `mode`. `semantics` (absent: "pil") picks Pillow's resampler / ToTensor's v / 255, or
 * ("tensor") torch's uint8 resize / v2's ToDtype(scale=True).
 */
export type Op =
  | { op: "window"; top: number; left: number; height: number; width: number; mode: PaddingMode; fill: number[] }
  | { op: "resize"; size: [number, number]; interpolation: Interpolation; antialias: boolean; semantics?: Semantics }
  | { op: "hflip" }
  | { op: "vflip" }
  | { op: "toTensor"; semantics?: Semantics }
  | { op: "normalize"; mean: number[]; std: number[] }
  | { op: "call"; name: string; args: OpArgs };

/** A crop of `box` with zeros where it leaves the image (CenterCrop, RandomResizedCrop, RandomIoUCrop). */
export function cropWindow(box: { top: number; left: number; height: number; width: number }, channels: number): Op {
  const { top, left, height, width } = box;
  return { op: "window", top, left, height, width, mode: "constant", fill: new Array<number>(channels).fill(0) };
}

/** An `height` x `width` image padded by `[l, t, r, b]`, the border filled by `mode` (Pad, RandomZoomOut). */
export function padWindow(padding: readonly number[], height: number, width: number, mode: PaddingMode, fill: number[]): Op {
  const [l = 0, t = 0, r = 0, b = 0] = padding;
  return { op: "window", top: -t, left: -l, height: height + t + b, width: width + l + r, mode, fill };
}

/** Most values a tensor flowing through a pipeline may hold: a 4-channel image at the pixel limit. */
export const MAX_TENSOR_VALUES = MAX_PIXELS * 4;

/**
 * The meta an op produces. Throws when the op does not fit its input, or when its output would
 * be over the size limits: every pipeline size is checked here, before any memory is touched.
 */
export function opMeta(op: Op, meta: Meta): Meta {
  const m = rawOpMeta(op, meta);
  const what = `the output of ${op.op === "call" ? op.name : op.op}`;
  if (m.kind === "image") {
    checkArea(m.width, m.height, what);
  } else {
    const n = m.shape.reduce((a, b) => a * b, 1);
    if (!(n <= MAX_TENSOR_VALUES))
      throw new RangeError(`${what} has shape [${m.shape.join(", ")}] = ${n} values, over the limit of ${MAX_TENSOR_VALUES}`);
  }
  return m;
}

function rawOpMeta(op: Op, meta: Meta): Meta {
  if (op.op === "call") return opSpec(op.name).meta(op.args, meta);
  if (op.op === "normalize") {
    if (meta.kind !== "tensor") throw new TypeError("Normalize expects a tensor: put ToTensor before it");
    return meta;
  }
  if (meta.kind !== "image") throw new TypeError(`${op.op} expects an image (u8), got a tensor: place it before ToTensor`);
  switch (op.op) {
    case "window":
      return { ...meta, width: op.width, height: op.height };
    case "resize":
      return { ...meta, width: op.size[1], height: op.size[0] };
    case "toTensor":
      return { kind: "tensor", shape: [meta.channels, meta.height, meta.width] };
    default:
      return meta;
  }
}

const isInt = (v: unknown, lo: number, hi: number): boolean => typeof v === "number" && Number.isInteger(v) && v >= lo && v <= hi;

/** Checks an op built from (possibly hostile) params before it reaches the kernel. */
export function checkOp(op: Op, where: string): void {
  const bad = (what: string): never => {
    throw new RangeError(`${where}: invalid ${op.op} op: ${what}`);
  };
  switch (op.op) {
    case "window":
      if (!isInt(op.top, -(2 ** 30), 2 ** 30) || !isInt(op.left, -(2 ** 30), 2 ** 30)) bad("top/left must be integers");
      if (!isInt(op.height, 1, MAX_SIDE) || !isInt(op.width, 1, MAX_SIDE)) bad(`height/width must be integers in [1, ${MAX_SIDE}]`);
      if (!Array.isArray(op.fill) || !op.fill.every((v) => isInt(v, 0, 255))) bad("fill must be integers in [0, 255]");
      break;
    case "resize":
      if (!Array.isArray(op.size) || op.size.length !== 2 || !op.size.every((v) => isInt(v, 1, MAX_SIDE)))
        bad(`size must be [h, w] in [1, ${MAX_SIDE}]`);
      if (op.semantics !== undefined && op.semantics !== "pil" && op.semantics !== "tensor") bad(`semantics must be "pil" or "tensor"`);
      break;
    case "toTensor":
      if (op.semantics !== undefined) checkSemantics(op.semantics, `${where}: toTensor op semantics`);
      break;
    case "call": {
      const why = opSpec(op.name).check(op.args);
      if (why !== null) throw new RangeError(`${where}: invalid ${op.name} op: ${why}`);
      break;
    }
    case "normalize":
      if (!op.std.every((s) => Number.isFinite(s) && s !== 0) || !op.mean.every(Number.isFinite))
        bad("mean/std must be finite, std non-zero");
      break;
  }
}
