// Maps execute.ts's steps (the same fusion, the same ResamplePlans) to GPU stages, or says
// why the GPU cannot run them yet.
import type { Channels, Meta } from "../image.js";
import { identityPlan, type ResamplePlan } from "../functional/resample.js";
import { fillBytes, type PaddingMode } from "../functional/args.js";
import type { Op, OpArgs } from "../ir/ops.js";
import { lower as lowerSteps } from "../ir/execute.js";
import { opLut } from "./colorTables.js";

/** The image flowing between stages: its size only (the bytes live on the GPU). */
export interface ImageShape {
  width: number;
  height: number;
  channels: Channels;
}

/** One GPU stage, reading the previous stage's output (the input image first). */
export type Stage =
  | { kind: "extract"; top: number; left: number; height: number; width: number; mode: PaddingMode; fill: Uint8Array }
  | { kind: "resample"; plan: ResamplePlan }
  /** Per-channel u8 tables (the kernel's, src/gpu/colorTables.ts): `tables` holds one 256-byte table per colour channel (1 grey, 3 RGB and RGBA; alpha is copied). */
  | { kind: "lut"; tables: Uint8Array }
  /** Output channel k is input channel perm[k] (colorPermute). */
  | { kind: "permute"; perm: number[] };

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

/** The GPU stages for `ops` on an image of shape `input`: execute()'s own steps (src/ir/execute.ts). */
export function lower(input: ImageShape, ops: readonly Op[]): Lowered {
  const { steps, metas } = lowerSteps({ kind: "image", ...input }, ops);
  const stages: Stage[] = [];
  const shapes: ImageShape[] = [input];
  steps.forEach((step, i) => {
    const from = metas[i]!;
    const to = metas[i + 1]!;
    if (step.kind === "resample") stages.push({ kind: "resample", plan: step.plan });
    else if (step.op.op === "window" && from.kind === "image") {
      const op = step.op;
      stages.push({
        kind: "extract",
        top: op.top,
        left: op.left,
        height: op.height,
        width: op.width,
        mode: op.mode,
        fill: fillBytes(op.fill, from.channels),
      });
    } else if (step.op.op === "call" && from.kind === "image") {
      const stage = colorStage(step.op.name, step.op.args, from.channels);
      if (!stage) throw new GpuUnsupported(`${describeOp(step.op, from)} has no WebGPU shader yet`);
      stages.push(stage);
    } else throw new GpuUnsupported(`${describeOp(step.op, from)} has no WebGPU shader yet`);
    shapes.push(
      to.kind === "image"
        ? { width: to.width, height: to.height, channels: to.channels }
        : { width: to.shape[2]!, height: to.shape[1]!, channels: to.shape[0] as Channels },
    );
  });
  // No pixel work at all: the output is a copy of the input (an identity resample copies).
  if (stages.length === 0) {
    stages.push({ kind: "resample", plan: identityPlan(input) });
    shapes.push(input);
  }
  return { stages, shapes, out: metas[metas.length - 1]! };
}

/**
 * The map stage of an image-independent colour op: a lookup table (brightness, invert,
 * posterize, solarize), or a channel permutation; null for the ops that read the image first.
 */
function colorStage(name: string, args: OpArgs, channels: Channels): Stage | null {
  if (name === "permuteChannels") return { kind: "permute", perm: [...(args.permutation as number[])] };
  const lut = opLut(name, args);
  if (!lut) return null;
  // One table per colour channel, as throughLut repeats it (alpha is copied, not mapped).
  const cc = channels === 1 ? 1 : 3;
  const tables = new Uint8Array(cc * 256);
  for (let ch = 0; ch < cc; ch++) tables.set(lut, ch * 256);
  return { kind: "lut", tables };
}

function describeOp(op: Op, on: Meta): string {
  if (op.op === "call") return `the ${JSON.stringify(op.name)} op`;
  return `a standalone ${op.op} op${on.kind === "tensor" ? " on a tensor" : ""}`;
}
