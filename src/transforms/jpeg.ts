// JPEG (torchvision v2): compression artefacts at a fixed or drawn quality, encoded and decoded
// in the kernel (src/functional/jpeg.ts), so the bytes are the same everywhere.
import { describe, type Image, type Meta } from "../image.js";
import { checkJpegImage, checkQuality, jpeg } from "../functional/jpeg.js";
import { Transform, type Context, type Json } from "./base.js";
import { defineOp, type Op, type OpArgs } from "../ir/ops.js";
import { expectParams, imageMeta, isInt, isObject, type ImageMeta } from "./params.js";
import { define, parseArgs, type CtorArgs, type Declaration } from "./declare.js";
import * as K from "./kinds.js";

interface JpegArgs extends OpArgs {
  quality: number;
}

/** An image meta JPEG can code: 1 or 3 channels (torchvision's encode_jpeg refuses others). */
function jpegMeta(meta: Meta): ImageMeta {
  const m = imageMeta(meta, "JPEG");
  if (m.channels !== 1 && m.channels !== 3) {
    throw new RangeError(`JPEG expects a grey or RGB image (1 or 3 channels, as torchvision's encode_jpeg), got ${m.channels} channels`);
  }
  return m;
}

defineOp<JpegArgs>("jpeg", {
  meta: (_, meta) => jpegMeta(meta),
  check: (a) =>
    isInt(a.quality) && a.quality >= 1 && a.quality <= 100 ? null : `quality must be an integer in [1, 100], got ${describe(a.quality)}`,
  run: (x, a) => jpeg(checkJpegImage(x as Image, "input"), a.quality),
});

/** Params of {@link JPEG}: the quality drawn for this sample. */
export interface JpegParams {
  [k: string]: Json;
  quality: number;
}

const JPEGDecl = {
  name: "JPEG",
  family: "compression",
  summary: "encodes and decodes with libjpeg's baseline at `quality` (an integer, or drawn from `[min, max]`)",
  positional: ["quality"] as const,
  fields: {
    quality: {
      kind: K.numberOrPair(
        "an integer in [1, 100] or `[min, max]`",
        (v, n) =>
          typeof v === "number"
            ? checkQuality(v, n)
            : [checkQuality((v as number[])[0], `${n}[0]`), checkQuality((v as number[])[1], `${n}[1]`)],
        [0, 101, 50.5, [90, 10]],
      ),
      required: true,
    },
  },
} satisfies Declaration;

/**
 * Applies JPEG compression and decompression (torchvision v2 JPEG): `quality` is an integer in
 * [1, 100], or [min, max] to draw one per sample uniformly from min..max inclusive (as
 * torchvision's `torch.randint(min, max + 1)`). Grey or RGB images (u8, before ToTensor); the
 * file is torchvision's encode_jpeg(img, quality) and its decode libjpeg-turbo's, both
 * computed in the kernel.
 */
export class JPEG extends Transform<JpegParams> {
  readonly type = "JPEG";
  readonly random: boolean;
  readonly quality: [number, number];

  /** torchvision's `(quality)`: an integer in [1, 100] or [min, max]. */
  constructor(...args: CtorArgs<{ quality: number | [number, number] }, typeof JPEGDecl.positional>) {
    super();
    const { quality } = parseArgs<{ quality: number | [number, number] }>(JPEGDecl, args);
    if (typeof quality === "number") {
      const q = checkQuality(quality);
      this.quality = [q, q];
    } else {
      if (!Array.isArray(quality) || quality.length !== 2)
        throw new TypeError(`quality must be an integer in [1, 100] or [min, max], got ${describe(quality)}`);
      const [a, b] = [checkQuality(quality[0], "quality[0]"), checkQuality(quality[1], "quality[1]")];
      if (a > b) throw new RangeError(`quality must be [min, max] with min <= max, got [${a}, ${b}]`);
      this.quality = [a, b];
    }
    this.random = this.quality[0] !== this.quality[1];
  }

  makeParams(ctx: Context, meta: Meta): JpegParams {
    jpegMeta(meta);
    return { quality: this.random ? ctx.rng.randint(this.quality[0], this.quality[1] + 1) : this.quality[0] };
  }

  ops(params: JpegParams, meta: Meta): Op[] {
    jpegMeta(meta);
    expectParams(
      isObject(params) && isInt(params.quality) && params.quality >= 1 && params.quality <= 100,
      this.type,
      "{ quality: integer in [1, 100] }",
      params,
    );
    return [{ op: "call", name: "jpeg", args: { quality: params.quality } }];
  }

  protected override config(): Record<string, Json> {
    return { quality: this.random ? [this.quality[0], this.quality[1]] : this.quality[0] };
  }
}

define(JPEG, JPEGDecl);
