// Fill values of the padding and warping transforms: one number, one per channel, or (as
// torchvision's fill dict {tv_tensors.Image: ..., tv_tensors.Mask: ...}) one for the image and
// one for masks.
import { describe } from "../image.js";
import { fillBytes } from "../functional/args.js";

/** A fill: a number, one per channel, or `{ image, mask }` (each optional, default 0). */
export type Fill = number | number[] | { image?: number | number[]; mask?: number };

function checkImageFill(fill: unknown, name: string): number | number[] {
  // Range check now; the channel count is checked when applied.
  if (Array.isArray(fill) && [1, 3, 4].includes(fill.length)) fillBytes(fill, fill.length as 1 | 3 | 4, name);
  else if (typeof fill === "number") fillBytes(fill, 1, name);
  else
    throw new TypeError(
      `${name} must be an integer in [0, 255] or an array of 1, 3 or 4 of them${name === "fill" ? ", or { image, mask }" : ""}, got ${describe(fill)}`,
    );
  return Array.isArray(fill) ? [...(fill as number[])] : fill;
}

/** Validates a fill as constructors take it and returns its JSON form. */
export function fillJSON(fill: unknown): Fill {
  if (typeof fill === "object" && fill !== null && !Array.isArray(fill)) {
    const o = fill as Record<string, unknown>;
    for (const k of Object.keys(o))
      if (k !== "image" && k !== "mask") throw new RangeError(`fill.${k}: unknown key (fill takes { image, mask })`);
    const out: { image?: number | number[]; mask?: number } = {};
    if (o.image !== undefined) out.image = checkImageFill(o.image, "fill.image");
    if (o.mask !== undefined) {
      if (typeof o.mask !== "number" || !Number.isInteger(o.mask) || o.mask < -(2 ** 31) || o.mask >= 2 ** 31)
        throw new RangeError(`fill.mask must be a 32-bit integer, got ${describe(o.mask)}`);
      out.mask = o.mask;
    }
    return out;
  }
  return checkImageFill(fill, "fill");
}

/** The fill bytes for an image of `c` channels. */
export function imageFill(fill: Fill, c: number): number[] {
  const v = typeof fill === "object" && !Array.isArray(fill) ? (fill.image ?? 0) : fill;
  return Array.from(fillBytes(v, c as 1 | 3 | 4, "fill"));
}

/** The fill for masks: the number, the `mask` entry, or null for a per-channel fill (which masks cannot take). */
export function maskFill(fill: Fill): number | null {
  if (typeof fill === "number") return fill;
  if (Array.isArray(fill)) return fill.length === 1 ? fill[0]! : null;
  return fill.mask ?? 0;
}
