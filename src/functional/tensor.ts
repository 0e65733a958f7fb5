import { kernel } from "../kernel/instance.js";
import { checkImage, checkTensor, describe, type Image, type Tensor } from "../image.js";
import { checkOut } from "./resample.js";
import { checkOptions } from "./args.js";
import { checkSemantics, type Semantics } from "./semantics.js";

/**
 * Converts u8 HWC to f32 CHW in [0, 1]: "pil" as torchvision's ToTensor (v / 255), "tensor"
 * as v2's ToDtype(torch.float32, scale=True) (v * float(1 / 255), which differs for 126 of
 * the 256 values).
 */
export function toTensor(img: Image, opts: { out?: Float32Array; semantics?: Semantics } = {}): Tensor {
  opts = checkOptions(opts);
  img = checkImage(img);
  const semantics = checkSemantics(opts.semantics);
  const { exports: k, arena } = kernel();
  const c = img.channels;
  const n = img.data.length;
  arena.reset();
  const src = arena.put(img.data);
  const norm = arena.putF32([...new Array<number>(c).fill(0), ...new Array<number>(c).fill(1)]);
  const dst = arena.alloc(n * 4);
  if (semantics === "tensor") k.toTensorScaled(src, img.width, img.height, c, norm, dst);
  else k.toTensor(src, img.width, img.height, c, norm, dst);
  return { shape: [c, img.height, img.width], data: arena.takeF32(dst, n, checkOut(opts.out, Float32Array, n)) };
}

/** Checks mean/std for `channels` channels; std must be non-zero (as torchvision). */
export function checkMeanStd(mean: unknown, std: unknown, channels?: number): { mean: number[]; std: number[] } {
  const check = (v: unknown, name: string): number[] => {
    // Length first: every() on a sparse array of length 2^32 - 1 would walk all of it.
    if (!Array.isArray(v) || !(v.length >= 1 && v.length <= 65536) || !v.every((x) => typeof x === "number" && Number.isFinite(x))) {
      throw new TypeError(`${name} must be a non-empty array of finite numbers, got ${describe(v)}`);
    }
    return v as number[];
  };
  let m = check(mean, "mean");
  let s = check(std, "std");
  if (s.some((x) => x === 0)) throw new RangeError(`std must not contain 0 (division by zero), got ${describe(s)}`);
  if (channels !== undefined) {
    const fit = (v: number[], name: string): number[] => {
      if (v.length === channels) return v;
      if (v.length === 1) return new Array<number>(channels).fill(v[0]!);
      throw new RangeError(`${name} has ${v.length} values, but the input has ${channels} channel${channels === 1 ? "" : "s"}`);
    };
    m = fit(m, "mean");
    s = fit(s, "std");
  }
  return { mean: m, std: s };
}

/**
 * (x - mean[c]) / std[c] per channel in f32, as torchvision's Normalize, on a CHW or NCHW
 * tensor. Returns a new tensor unless `inplace`.
 */
export function normalize(tensor: Tensor, mean: number[], std: number[], opts: { inplace?: boolean } = {}): Tensor {
  const inplace = checkOptions(opts).inplace === true;
  const given = tensor;
  tensor = checkTensor(tensor);
  const shape = tensor.shape;
  if (shape.length !== 3 && shape.length !== 4)
    throw new RangeError(`normalize needs a CHW or NCHW tensor, got shape [${shape.join(", ")}]`);
  const c = shape[shape.length - 3]!;
  const ms = checkMeanStd(mean, std, c);
  const plane = shape[shape.length - 1]! * shape[shape.length - 2]!;
  const planes = tensor.data.length / plane;
  const { exports: k, arena } = kernel();
  arena.reset();
  const data = arena.putF32(tensor.data);
  const means = arena.putF32(Array.from({ length: planes }, (_, p) => ms.mean[p % c]!));
  const stds = arena.putF32(Array.from({ length: planes }, (_, p) => ms.std[p % c]!));
  k.normalize(data, planes, plane, means, stds);
  const out = arena.takeF32(data, tensor.data.length, inplace ? tensor.data : undefined);
  // In place: the caller's own tensor back (the snapshot's data views its memory).
  return inplace ? given : { shape: [...shape], data: out };
}
