// Lowers a sample's ops to GPU stages with the same fusion as src/transforms/execute.ts
// (the same ResamplePlans, so the same kernel semantics), or says why the GPU cannot run
// them yet. The byte-equality tests (tests/gpu.test.ts) catch any drift between the two.
import type { Channels, Image, Meta } from "../image.js";
import { identityPlan, type ResamplePlan } from "../functional/resample.js";
import { fillBytes, type PaddingMode } from "../functional/args.js";
import type { Op } from "../transforms/ops.js";

/** The image flowing between stages: its size only (the bytes live on the GPU). */
export interface ImageShape {
  width: number;
  height: number;
  channels: Channels;
}

/** One GPU stage, reading the previous stage's output (the input image first). */
export type Stage =
  | { kind: "extract"; top: number; left: number; height: number; width: number; mode: PaddingMode; fill: Uint8Array }
  | { kind: "resample"; plan: ResamplePlan };

/** A sample lowered for the GPU: its stages and the shape of what each produces. */
export interface Lowered {
  stages: Stage[];
  /** shapes[i] is the input of stage i; the last entry is the output (as an image shape). */
  shapes: ImageShape[];
  /** The output: an image, or a CHW tensor when the last stage ends in ToTensor. */
  out: Meta;
}

/** Thrown (and caught by the backend selection) when an op has no GPU shader yet. */
export class GpuUnsupported extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GpuUnsupported";
  }
}

function resized(p: ResamplePlan): boolean {
  return p.size[0] !== p.box.height || p.size[1] !== p.box.width;
}

function fullWindow(p: ResamplePlan): boolean {
  return p.window.top === 0 && p.window.left === 0 && p.window.height === p.size[0] && p.window.width === p.size[1];
}

// A copy of execute.ts's fold: keep the two in step.
function fold(plan: ResamplePlan, op: Op): boolean {
  if (plan.tensor) {
    if (op.op !== "normalize" || plan.tensor.mean.some((m) => m !== 0) || plan.tensor.std.some((s) => s !== 1)) return false;
    plan.tensor = { mean: [...op.mean], std: [...op.std] };
    return true;
  }
  const H = plan.window.height;
  const W = plan.window.width;
  switch (op.op) {
    case "hflip":
      plan.hflip = !plan.hflip;
      return true;
    case "vflip":
      plan.vflip = !plan.vflip;
      return true;
    case "toTensor":
      plan.tensor = { mean: [], std: [] };
      return true;
    case "window": {
      if (op.top < 0 || op.left < 0 || op.top + op.height > H || op.left + op.width > W) return false;
      const top = plan.vflip ? H - op.top - op.height : op.top;
      const left = plan.hflip ? W - op.left - op.width : op.left;
      if (!resized(plan)) {
        plan.box = { top: plan.box.top + plan.window.top + top, left: plan.box.left + plan.window.left + left, height: op.height, width: op.width };
        plan.size = [op.height, op.width];
        plan.window = { top: 0, left: 0, height: op.height, width: op.width };
      } else {
        plan.window = { top: plan.window.top + top, left: plan.window.left + left, height: op.height, width: op.width };
      }
      return true;
    }
    case "resize":
      if (resized(plan) || plan.hflip || plan.vflip || !fullWindow(plan)) return false;
      plan.size = [...op.size];
      plan.window = { top: 0, left: 0, height: op.size[0], width: op.size[1] };
      plan.interpolation = op.interpolation;
      plan.antialias = op.antialias;
      return true;
    default:
      return false;
  }
}

function isIdentity(plan: ResamplePlan, img: ImageShape): boolean {
  return !plan.tensor && !plan.hflip && !plan.vflip && !resized(plan) && plan.box.width === img.width && plan.box.height === img.height;
}

/** execute.ts's finishPlan checks, then the plan with one mean and std per channel. */
function finished(plan: ResamplePlan, img: ImageShape): ResamplePlan {
  if (!plan.tensor) return plan;
  const c = img.channels;
  const fit = (v: number[], d: number) => (v.length === 0 ? new Array<number>(c).fill(d) : v.length === 1 ? new Array<number>(c).fill(v[0]!) : v);
  if (plan.tensor.mean.length > 1 && plan.tensor.mean.length !== c) throw new RangeError(`Normalize has ${plan.tensor.mean.length} means, but the image has ${c} channels`);
  if (plan.tensor.std.length > 1 && plan.tensor.std.length !== c) throw new RangeError(`Normalize has ${plan.tensor.std.length} stds, but the image has ${c} channels`);
  return { ...plan, tensor: { mean: fit(plan.tensor.mean, 0), std: fit(plan.tensor.std, 1) } };
}

function opPlan(img: ImageShape, op: Op): ResamplePlan | null {
  const p = identityPlan({ ...img, data: new Uint8Array(0) } as Image);
  if (op.op === "resize") {
    p.size = [...op.size];
    p.window = { top: 0, left: 0, height: op.size[0], width: op.size[1] };
    p.interpolation = op.interpolation;
    p.antialias = op.antialias;
    return p;
  }
  if (op.op === "hflip") p.hflip = true;
  else if (op.op === "vflip") p.vflip = true;
  else if (op.op === "toTensor") p.tensor = { mean: [], std: [] };
  else return null;
  return p;
}

function describeOp(op: Op): string {
  return op.op === "call" ? `the ${JSON.stringify(op.name)} op` : `a standalone ${op.op} op`;
}

/**
 * The GPU stages for `ops` on an image of shape `input`, following execute()'s loop step by
 * step. Throws GpuUnsupported for ops without a shader (registered "call" ops, a Normalize
 * that does not fuse into ToTensor).
 */
export function lower(input: ImageShape, ops: readonly Op[]): Lowered {
  const stages: Stage[] = [];
  const shapes: ImageShape[] = [input];
  let tensor = false;
  let x: ImageShape = input;
  let plan: ResamplePlan | null = null;
  let base: ImageShape | null = null;
  const emit = (s: Stage, next: ImageShape): void => {
    stages.push(s);
    shapes.push(next);
    x = next;
  };
  const emitPlan = (p: ResamplePlan, img: ImageShape): void => {
    const f = finished(p, img);
    emit({ kind: "resample", plan: f }, { width: f.window.width, height: f.window.height, channels: img.channels });
    if (f.tensor) tensor = true;
  };
  const flush = (): void => {
    if (plan && base && !isIdentity(plan, base)) emitPlan(plan, base);
    plan = null;
    base = null;
  };
  const runOne = (op: Op): void => {
    if (tensor) throw new GpuUnsupported(`${describeOp(op)} on a tensor has no WebGPU shader yet`);
    if (op.op === "window") {
      emit({ kind: "extract", top: op.top, left: op.left, height: op.height, width: op.width, mode: op.mode, fill: fillBytes(op.fill, x.channels) }, { width: op.width, height: op.height, channels: x.channels });
      return;
    }
    const p = opPlan(x, op);
    if (!p) throw new GpuUnsupported(`${describeOp(op)} has no WebGPU shader yet`);
    emitPlan(p, x);
  };
  for (const op of ops) {
    if (op.op === "call") throw new GpuUnsupported(`${describeOp(op)} has no WebGPU shader yet`);
    if (!tensor || plan) {
      if (!plan) {
        base = x;
        plan = identityPlan({ ...x, data: new Uint8Array(0) } as Image);
      }
      if (fold(plan, op)) continue;
      flush();
      if (!tensor) {
        base = x;
        plan = identityPlan({ ...x, data: new Uint8Array(0) } as Image);
        if (fold(plan, op)) continue;
        plan = null;
        base = null;
      }
    }
    runOne(op);
  }
  if (plan && base) {
    if (!isIdentity(plan, base)) emitPlan(plan, base);
  }
  // No pixel work at all: the output is a copy of the input (an identity resample copies).
  if (stages.length === 0) emitPlan(identityPlan({ ...input, data: new Uint8Array(0) } as Image), input);
  const last = shapes[shapes.length - 1]!;
  const out: Meta = tensor ? { kind: "tensor", shape: [last.channels, last.height, last.width] } : { kind: "image", ...last };
  return { stages, shapes, out };
}
