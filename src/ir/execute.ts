// Runs ops on a sample. Consecutive in-bounds crops, one resize, flips and the final
// ToTensor(+Normalize) fuse into one kernel pass with no intermediate image; the bytes are
// those of running the ops one by one (executeEach), which the tests check.
import { checkSample, isTensor, metaOf, type Image, type Meta, type Tensor } from "../image.js";
import * as F from "../functional/index.js";
import { window as windowOp } from "../functional/geometry.js";
import { fillBytes } from "../functional/args.js";
import { checkOut, identityPlan, runResample, type ResamplePlan } from "../functional/resample.js";
import { opMeta, opSpec, type Op } from "./ops.js";
import { hasResident, runResident, takeHeld } from "./resident.js";
import { kernel } from "../kernel/instance.js";
import { isHeld, type HeldImage } from "../kernel/arena.js";
import { addressOf, isKernelImage, kernelMeta, type KernelImage } from "../kernel/image.js";
import { kernelOut } from "../functional/resample.js";
type ImageMeta = Extract<Meta, { kind: "image" }>;

/** An image or a tensor: what flows through a pipeline. */
export type Sample = Image | Tensor;

function fullWindow(p: ResamplePlan): boolean {
  return p.window.top === 0 && p.window.left === 0 && p.window.height === p.size[0] && p.window.width === p.size[1];
}

function resized(p: ResamplePlan): boolean {
  return p.size[0] !== p.box.height || p.size[1] !== p.box.width;
}

/** Runs one op alone with the functional API. */
function runOne(x: Sample, op: Op): Sample {
  if (op.op === "call") return opSpec(op.name).run(x, op.args);
  if (op.op === "normalize") return F.normalize(x as Tensor, op.mean, op.std);
  const img = x as Image;
  switch (op.op) {
    case "window":
      return windowOp(img, op.top, op.left, op.height, op.width, op.mode, fillBytes(op.fill, img.channels));
    case "resize": {
      const box = { top: 0, left: 0, height: img.height, width: img.width };
      return runResample(img, {
        ...identityPlan(img),
        box,
        size: op.size,
        window: { top: 0, left: 0, height: op.size[0], width: op.size[1] },
        interpolation: op.interpolation,
        antialias: op.antialias,
        semantics: op.semantics ?? "pil",
      }) as Image;
    }
    case "hflip":
      return F.hflip(img);
    case "vflip":
      return F.vflip(img);
    case "toTensor":
      return F.toTensor(img, { semantics: op.semantics ?? "pil" });
  }
}

/** Reference executor: every op on its own. */
export function executeEach(input: Sample, ops: readonly Op[]): Sample {
  let x = input;
  for (const op of ops) x = runOne(x, op);
  return x === input ? copy(x) : x;
}

function copy(x: Sample): Sample {
  return isTensor(x) ? { shape: [...x.shape], data: x.data.slice() } : { ...x, data: x.data.slice() };
}

/** Tries to fold `op` into `plan` (over an image of the plan's current size); false if it cannot. */
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
      // The bytes-to-f32 step follows the op's semantics; a resize already planned keeps its own.
      if (resized(plan) && (plan.semantics ?? "pil") !== (op.semantics ?? "pil")) return false;
      plan.tensor = { mean: [], std: [] };
      plan.semantics = op.semantics ?? "pil";
      return true;
    case "window": {
      if (op.top < 0 || op.left < 0 || op.top + op.height > H || op.left + op.width > W) return false;
      // Undo the pending flips: a crop of a mirrored image is the mirrored crop.
      const top = plan.vflip ? H - op.top - op.height : op.top;
      const left = plan.hflip ? W - op.left - op.width : op.left;
      if (!resized(plan)) {
        plan.box = {
          top: plan.box.top + plan.window.top + top,
          left: plan.box.left + plan.window.left + left,
          height: op.height,
          width: op.width,
        };
        plan.size = [op.height, op.width];
        plan.window = { top: 0, left: 0, height: op.height, width: op.width };
      } else {
        plan.window = { top: plan.window.top + top, left: plan.window.left + left, height: op.height, width: op.width };
      }
      return true;
    }
    case "resize":
      // One resize per pass, and only before flips (Pillow's rounding is not mirror-symmetric).
      if (resized(plan) || plan.hflip || plan.vflip || !fullWindow(plan)) return false;
      plan.size = [...op.size];
      plan.window = { top: 0, left: 0, height: op.size[0], width: op.size[1] };
      plan.interpolation = op.interpolation;
      plan.antialias = op.antialias;
      plan.semantics = op.semantics ?? "pil";
      return true;
    default:
      return false;
  }
}

function isIdentity(plan: ResamplePlan, img: { width: number; height: number }): boolean {
  return !plan.tensor && !plan.hflip && !plan.vflip && !resized(plan) && plan.box.width === img.width && plan.box.height === img.height;
}

/** The plan with one mean and std per channel, checked against the channel count. */
function finished(plan: ResamplePlan, c: number): ResamplePlan {
  if (!plan.tensor) return plan;
  const fit = (v: number[], d: number) =>
    v.length === 0 ? new Array<number>(c).fill(d) : v.length === 1 ? new Array<number>(c).fill(v[0]!) : v;
  if (plan.tensor.mean.length > 1 && plan.tensor.mean.length !== c)
    throw new RangeError(`Normalize has ${plan.tensor.mean.length} means, but the image has ${c} channel${c === 1 ? "" : "s"}`);
  if (plan.tensor.std.length > 1 && plan.tensor.std.length !== c)
    throw new RangeError(`Normalize has ${plan.tensor.std.length} stds, but the image has ${c} channel${c === 1 ? "" : "s"}`);
  return { ...plan, tensor: { mean: fit(plan.tensor.mean, 0), std: fit(plan.tensor.std, 1) } };
}

/**
 * Merges a window that lies inside the previous window's output into it: every pixel of the
 * inner window is the outer window's border rule applied to the input at the summed offset,
 * so one window gives the same bytes (pad-then-crop, zoom-out then an IoU crop) without the
 * large intermediate canvas.
 */
function mergeWindows(ops: readonly Op[]): readonly Op[] {
  if (!ops.some((op, i) => op.op === "window" && ops[i + 1]?.op === "window")) return ops;
  const out: Op[] = [];
  for (const op of ops) {
    const prev = out[out.length - 1];
    if (
      op.op === "window" &&
      prev?.op === "window" &&
      op.top >= 0 &&
      op.left >= 0 &&
      op.top + op.height <= prev.height &&
      op.left + op.width <= prev.width
    ) {
      out[out.length - 1] = { ...prev, top: prev.top + op.top, left: prev.left + op.left, height: op.height, width: op.width };
    } else out.push(op);
  }
  return out;
}

/** One step of execution: a fused resampler pass, or an op that runs on its own. */
export type Step = { kind: "resample"; plan: ResamplePlan } | { kind: "op"; op: Op };

/**
 * Splits ops into steps, fusing what can be fused. Every backend runs these same steps,
 * so fusion can never make backends disagree. `metas[i]` describes step i's input and the
 * last entry the output.
 */
export function lower(input: Meta, allOps: readonly Op[]): { steps: Step[]; metas: Meta[] } {
  const ops = mergeWindows(allOps);
  const steps: Step[] = [];
  const metas: Meta[] = [input];
  let x = input;
  let plan: ResamplePlan | null = null;
  let base: ImageMeta | null = null;
  const push = (step: Step, next: Meta): void => {
    steps.push(step);
    metas.push(next);
    x = next;
  };
  const flush = (): void => {
    if (plan && base && !isIdentity(plan, base)) {
      const f = finished(plan, base.channels);
      const w = f.window;
      push(
        { kind: "resample", plan: f },
        f.tensor
          ? { kind: "tensor", shape: [base.channels, w.height, w.width] }
          : { kind: "image", width: w.width, height: w.height, channels: base.channels },
      );
    }
    plan = null;
    base = null;
  };
  for (const op of ops) {
    if (x.kind === "image" || plan) {
      if (!plan) {
        base = x as ImageMeta;
        plan = identityPlan(base);
      }
      if (fold(plan, op)) continue;
      flush();
      if (x.kind === "image") {
        base = x;
        plan = identityPlan(base);
        if (fold(plan, op)) continue;
        plan = null;
        base = null;
      }
    }
    push({ kind: "op", op }, opMeta(op, x));
  }
  flush();
  return { steps, metas };
}

/**
 * Runs ops, fusing what can be fused. `out` receives the final bytes when given (a
 * Uint8Array for an image result, a Float32Array for a tensor, or a KernelImage of the result's
 * size, written in place and returned). A {@link HeldImage} or {@link KernelImage} input is read
 * in place by a first resampler pass or in-kernel chain, and copied out otherwise (a held image
 * is used up; a KernelImage is only read).
 */
export function execute(input: Sample | HeldImage | KernelImage, ops: readonly Op[], out?: Uint8Array | Float32Array): Sample;
export function execute(
  input: Sample | HeldImage | KernelImage,
  ops: readonly Op[],
  out?: Uint8Array | Float32Array | KernelImage,
): Sample | KernelImage;
export function execute(
  input: Sample | HeldImage | KernelImage,
  ops: readonly Op[],
  out?: Uint8Array | Float32Array | KernelImage,
): Sample | KernelImage {
  if (isKernelImage(input)) addressOf(input, "input");
  const start: Sample | HeldImage | KernelImage = inKernel(input) ? input : checkSample(input, "input");
  let x = start;
  const { steps, metas } = lower(inKernel(x) ? kernelMeta(x) : metaOf(x), ops);
  if (isKernelImage(out)) {
    // Checked before any work: usable, and the result's size.
    const m = metas[metas.length - 1]!;
    kernelOut(out, m.kind === "image" ? [m.height, m.width, m.channels] : null);
  }
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (inKernel(x) && step.kind === "op" && !hasResident(step.op)) x = takeKernel(x);
    if (step.kind === "op") {
      if (!isTensor(x as Sample) && hasResident(step.op)) {
        // A run of ops that can stay in kernel memory: one copy in, one out.
        let j = i;
        while (j + 1 < steps.length && steps[j + 1]!.kind === "op" && hasResident((steps[j + 1] as { op: Op }).op)) j++;
        const run = steps.slice(i, j + 1).map((s) => (s as { op: Op }).op);
        const last = j === steps.length - 1;
        x = runResident(x as Image | HeldImage | KernelImage, run, last ? (out as Uint8Array | KernelImage | undefined) : undefined);
        if (last && out) return x;
        i = j;
        continue;
      }
      x = runOne(x as Sample, step.op);
      continue;
    }
    const last = i === steps.length - 1;
    x = runResample(x as Image | HeldImage | KernelImage, step.plan, last ? out : undefined);
    if (last && out) return x;
  }
  if (isKernelImage(out)) {
    if (isKernelImage(x)) {
      // No step ran: the input's pixels, moved inside kernel memory.
      kernel().arena.move(addressOf(out, "out"), addressOf(x, "input"), x.width * x.height * x.channels);
      return out;
    }
    const img = (isHeld(x) ? takeHeld(x) : x) as Image;
    out.pixels.set(img.data);
    return out;
  }
  // No step ran: the snapshot still views the caller's bytes (a kernel image is copied out).
  if (inKernel(x)) x = takeKernel(x);
  else if (x === start) x = copy(x as Sample);
  const r = x as Sample;
  if (out) {
    const o = isTensor(r) ? checkOut(out, Float32Array, r.data.length)! : checkOut(out, Uint8Array, r.data.length)!;
    o.set(r.data);
    r.data = o as typeof r.data;
  }
  return r;
}

/** Whether `v` is an image in kernel memory (held by the Loader, or a KernelImage). */
function inKernel(v: unknown): v is HeldImage | KernelImage {
  return isHeld(v) || isKernelImage(v);
}

/** An image in kernel memory copied out into a plain Image (a held one is used up). */
function takeKernel(x: HeldImage | KernelImage): Image {
  return isHeld(x) ? takeHeld(x) : x.toImage();
}
