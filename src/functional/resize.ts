import { checkSide, describe, type Image } from "../image.js";
import { checkOptions, checkInt, checkInterpolation, type Interpolation, type Size } from "./args.js";
import { crop, type OutOptions } from "./geometry.js";
import { checkInput, runResample, type ResamplePlan } from "./resample.js";
import { resizedSize } from "./size.js";
import { checkSemantics, type Semantics } from "./semantics.js";

/** Options of {@link resize} and {@link resizedCrop}. */
export interface ResizeOptions extends OutOptions {
  /** "pil" (default: Pillow's resampler) or "tensor" (torch's uint8 resize, torchvision v2's). */
  semantics?: Semantics;
  /** "nearest", "bilinear" (default) or "bicubic". */
  interpolation?: Interpolation;
  /** Widen the filter when downscaling, as Pillow always does (default true). */
  antialias?: boolean;
  /** With a single-number size: cap on the longer side. */
  maxSize?: number;
}

function options(opts: ResizeOptions): { interpolation: Interpolation; antialias: boolean; semantics: Semantics } {
  const interpolation = checkInterpolation(opts.interpolation ?? "bilinear", "interpolation");
  const antialias = opts.antialias ?? true;
  if (typeof antialias !== "boolean") throw new TypeError(`antialias must be a boolean, got ${describe(antialias)}`);
  return { interpolation, antialias, semantics: checkSemantics(opts.semantics) };
}

/** The plan that resizes the in-bounds box of an image to [h, w]. */
export function resizePlan(
  box: ResamplePlan["box"],
  size: [number, number],
  interpolation: Interpolation,
  antialias: boolean,
  semantics: Semantics = "pil",
): ResamplePlan {
  return {
    box,
    size,
    window: { top: 0, left: 0, height: size[0], width: size[1] },
    interpolation,
    antialias,
    hflip: false,
    vflip: false,
    tensor: null,
    semantics,
  };
}

/**
 * Resizes (torchvision F.resize): "pil" with Pillow's resampler, bytes equal to torchvision
 * on PIL images; "tensor" with torch's uint8 kernel, as torchvision v2 on uint8 tensors
 * (nearest: torch's `nearest`). `size`: a number (the shorter side, keeping the aspect
 * ratio) or [h, w].
 */
export function resize(img: Image, size: Size, opts: ResizeOptions = {}): Image {
  opts = checkOptions(opts);
  // A KernelImage input is read in place, a KernelImage out written in place (and returned).
  const im = checkInput(img);
  const { interpolation, antialias, semantics } = options(opts);
  const hw = resizedSize(im.height, im.width, size, opts.maxSize);
  const box = { top: 0, left: 0, height: im.height, width: im.width };
  return runResample(im, resizePlan(box, hw, interpolation, antialias, semantics), opts.out) as Image;
}

/** Crops (top, left, height, width), then resizes to `size` (torchvision F.resized_crop). */
export function resizedCrop(
  img: Image,
  top: number,
  left: number,
  height: number,
  width: number,
  size: Size,
  opts: ResizeOptions = {},
): Image {
  opts = checkOptions(opts);
  const im = checkInput(img);
  checkInt(top, "top", -(2 ** 30), 2 ** 30);
  checkInt(left, "left", -(2 ** 30), 2 ** 30);
  checkSide(height, "height");
  checkSide(width, "width");
  const { interpolation, antialias, semantics } = options(opts);
  const hw = resizedSize(height, width, size, opts.maxSize);
  const inside = top >= 0 && left >= 0 && top + height <= im.height && left + width <= im.width;
  if (inside) return runResample(im, resizePlan({ top, left, height, width }, hw, interpolation, antialias, semantics), opts.out) as Image;
  const c = crop(im as Image, top, left, height, width);
  return runResample(c, resizePlan({ top: 0, left: 0, height, width }, hw, interpolation, antialias, semantics), opts.out) as Image;
}
