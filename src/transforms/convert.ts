// Type and mode conversions of torchvision v2: ToImage, ToDtype, ToPureTensor, RGB, Identity.
// Pixels in the kernel (assembly/targets.ts): u8 <-> f32 with torchvision's scale factors, and
// the RGB channel change.
import { checkImage, checkTensor, describe, type Image, type Meta, type Tensor } from "../image.js";
import { targetKernel } from "../targets/kernel.js";
import { mapTargets, type TargetState } from "../targets/sample.js";
import { boxSize, isTarget, type Mask } from "../targets/types.js";
import { Deterministic } from "./base.js";
import { defineOp, type Op, type OpArgs } from "../ir/ops.js";
import { define, parseArgs, type CtorArgs, type Declaration } from "./declare.js";
import * as K from "./kinds.js";

const IdentityDecl = {
  name: "Identity",
  family: "conversions",
  summary: "returns its input",
  positional: [],
  fields: {},
} satisfies Declaration;

/** Passes everything through unchanged (torchvision Identity). */
export class Identity extends Deterministic {
  readonly type = "Identity";

  /** Takes no arguments (any is an error). */
  constructor(...args: []) {
    super();
    parseArgs(IdentityDecl, args);
  }
  ops(): Op[] {
    return [];
  }
}

const ToImageDecl = {
  name: "ToImage",
  family: "conversions",
  summary: "makes the input an image (lockstep's already are: a no-op, for one-to-one translation)",
  positional: [],
  fields: {},
} satisfies Declaration;

/**
 * torchvision's ToImage: makes the input an image. lockstep's images are already images (u8 HWC,
 * or a CHW f32 tensor after ToTensor / ToDtype), so nothing changes; it is here so torchvision
 * pipelines translate one to one.
 */
export class ToImage extends Deterministic {
  readonly type = "ToImage";

  /** Takes no arguments (any is an error). */
  constructor(...args: []) {
    super();
    parseArgs(ToImageDecl, args);
  }
  ops(): Op[] {
    return [];
  }
}

// ---------------------------------------------------------------------------------------
// ToDtype

/** Image dtypes: "uint8" (an Image, HWC) and "float32" (a Tensor, CHW). */
export type ImageDtype = "uint8" | "float32";
/** Mask dtypes. */
export type MaskDtype = "uint8" | "int32";
/** ToDtype's target: a dtype for the image, or one per kind of input (as torchvision's dict; missing: unchanged). */
export type DtypeSpec = ImageDtype | { image?: ImageDtype; mask?: MaskDtype };

interface DtypeArgs extends OpArgs {
  dtype: ImageDtype;
  scale: boolean;
}

const SCALE_TO_FLOAT = Math.fround(1 / 255); // torchvision: image.to(float32).mul_(1.0 / 255)
const SCALE_TO_U8 = Math.fround(255 + 1.0 - 1e-3); // torchvision: image.mul(255 + 1 - 1e-3).to(uint8)

defineOp<DtypeArgs>("toDtype", {
  meta: (a, meta) => {
    if (a.dtype === "float32") return meta.kind === "image" ? { kind: "tensor", shape: [meta.channels, meta.height, meta.width] } : meta;
    if (meta.kind === "image") return meta;
    const s = meta.shape;
    const c = s[0]!;
    if (s.length !== 3 || (c !== 1 && c !== 3 && c !== 4))
      throw new RangeError(
        `ToDtype("uint8"): the tensor must be [C, H, W] with 1, 3 or 4 channels to become an image, got [${s.join(", ")}]`,
      );
    return { kind: "image", width: s[2]!, height: s[1]!, channels: c as 1 | 3 | 4 };
  },
  check: (a) =>
    a.dtype !== "uint8" && a.dtype !== "float32"
      ? `dtype must be "uint8" or "float32", got ${describe(a.dtype)}`
      : typeof a.scale !== "boolean"
        ? "scale must be a boolean"
        : null,
  run: (x, a) => {
    const { exports: k, arena } = targetKernel();
    if (a.dtype === "float32") {
      if ("shape" in x) return { shape: [...x.shape], data: x.data.slice() };
      const img = checkImage(x);
      const n = img.width * img.height * img.channels;
      arena.reset();
      const src = arena.put(img.data);
      const dst = arena.alloc(n * 4);
      k.u8ToF32(src, img.width, img.height, img.channels, a.scale ? SCALE_TO_FLOAT : 1, dst);
      return { shape: [img.channels, img.height, img.width], data: arena.takeF32(dst, n) } satisfies Tensor;
    }
    if (!("shape" in x)) return { ...x, data: x.data.slice() };
    const t = checkTensor(x);
    const [c, h, w] = t.shape as [number, number, number];
    const n = c * h * w;
    arena.reset();
    const src = arena.putF32(t.data);
    const dst = arena.alloc(n);
    k.f32ToU8(src, w, h, c, a.scale ? SCALE_TO_U8 : 1, dst);
    return { width: w, height: h, channels: c as 1 | 3 | 4, data: arena.takeU8(dst, n) } satisfies Image;
  },
});

function checkDtype(v: unknown): DtypeSpec {
  const img = (d: unknown, name: string): ImageDtype => {
    if (d !== "uint8" && d !== "float32") throw new RangeError(`${name} must be "uint8" or "float32", got ${describe(d)}`);
    return d;
  };
  if (typeof v === "string") return img(v, "dtype");
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new TypeError(`dtype must be "uint8", "float32" or { image, mask }, got ${describe(v)}`);
  const o = v as Record<string, unknown>;
  const out: { image?: ImageDtype; mask?: MaskDtype } = {};
  for (const key of Object.keys(o)) {
    if (key === "image") out.image = img(o.image, "dtype.image");
    else if (key === "mask") {
      if (o.mask !== "uint8" && o.mask !== "int32") throw new RangeError(`dtype.mask must be "uint8" or "int32", got ${describe(o.mask)}`);
      out.mask = o.mask;
    } else throw new RangeError(`dtype.${key}: unknown key (dtype takes { image, mask })`);
  }
  return out;
}

function convertMask(m: Mask, to: MaskDtype): Mask {
  if (to === "int32") return m.data instanceof Int32Array ? m : { ...m, data: Int32Array.from(m.data) };
  // torch's .to(uint8) keeps the low 8 bits
  return m.data instanceof Uint8Array ? m : { ...m, data: Uint8Array.from(m.data, (v) => v & 255) };
}

/**
 * Converts the image to `dtype` (torchvision ToDtype): "float32" makes a CHW tensor, scaled by
 * 1/255 with `scale: true` (torchvision's multiply, which differs from ToTensor's division in
 * 126 of the 256 byte values); "uint8" turns a CHW tensor back into an image (times 255.999 and
 * truncated with scale, saturated). `{ image, mask }` converts masks too ("uint8" / "int32").
 */
export class ToDtype extends Deterministic {
  readonly type = "ToDtype";
  readonly dtype: DtypeSpec;
  readonly scale: boolean;

  /** torchvision's `(dtype, scale)`, or `(dtype, { scale })`. */
  constructor(...args: CtorArgs<{ dtype: DtypeSpec; scale: boolean }, typeof ToDtypeDecl.positional>) {
    super();
    const o = parseArgs<{ dtype: DtypeSpec; scale: boolean }>(ToDtypeDecl, args);
    this.dtype = checkDtype(o.dtype);
    this.scale = o.scale;
  }

  private imageDtype(): ImageDtype | undefined {
    return typeof this.dtype === "string" ? this.dtype : this.dtype.image;
  }

  ops(_: null, meta: Meta): Op[] {
    const d = this.imageDtype();
    if (d === undefined || (d === "uint8" ? meta.kind === "image" : meta.kind === "tensor")) return [];
    return [{ op: "call", name: "toDtype", args: { dtype: d, scale: this.scale } }];
  }

  override mapTargets(_: null, __: Meta, state: TargetState): TargetState {
    const md = typeof this.dtype === "string" ? undefined : this.dtype.mask;
    if (md === undefined) return state;
    return mapTargets(state, (t) => (t.kind === "mask" ? convertMask(t, md) : t));
  }
}

// ---------------------------------------------------------------------------------------
// ToPureTensor, RGB

const ToPureTensorDecl = {
  name: "ToPureTensor",
  family: "conversions",
  summary: "strips the target types (boxes, masks, key points become plain tensors); put it last",
  positional: [],
  fields: {},
} satisfies Declaration;

/**
 * torchvision's ToPureTensor: strips the target types. Boxes and key points become
 * `{ shape, data }` Float32 tensors ([N, 4|5|8], the key points' shape), masks `{ shape, data }`;
 * the image is unchanged. Put it last: what follows no longer sees targets.
 */
export class ToPureTensor extends Deterministic {
  readonly type = "ToPureTensor";

  /** Takes no arguments (any is an error). */
  constructor(...args: []) {
    super();
    parseArgs(ToPureTensorDecl, args);
  }
  ops(): Op[] {
    return [];
  }
  override mapTargets(_: null, __: Meta, state: TargetState): TargetState {
    return {
      ...state,
      leaves: state.leaves.map((l) => {
        const v = l.value;
        if (!isTarget(v)) return l;
        const shape = v.kind === "boxes" ? [v.data.length / boxSize(v.format), boxSize(v.format)] : [...v.shape];
        return { path: l.path, value: { shape, data: v.data } };
      }),
    };
  }
}

defineOp<OpArgs>("rgb", {
  meta: (_, meta) => {
    if (meta.kind !== "image") throw new TypeError("RGB expects an image (u8 HWC), got a tensor: place it before ToTensor");
    return { ...meta, channels: 3 };
  },
  check: () => null,
  run: (x) => {
    const img = checkImage(x);
    if (img.channels === 3) return { ...img, data: img.data.slice() };
    const { exports: k, arena } = targetKernel();
    const n = img.width * img.height;
    arena.reset();
    const src = arena.put(img.data);
    const dst = arena.alloc(n * 3);
    k.toRGB(src, n, img.channels, dst);
    return { width: img.width, height: img.height, channels: 3, data: arena.takeU8(dst, n * 3) } satisfies Image;
  },
});

const RGBDecl = {
  name: "RGB",
  family: "conversions",
  summary: "to RGB: grey repeated to 3 channels, RGBA drops alpha",
  positional: [],
  fields: {},
} satisfies Declaration;

/** Converts the image to RGB (torchvision RGB): grey is repeated to 3 channels, RGBA drops alpha (as PIL's convert("RGB")). */
export class RGB extends Deterministic {
  readonly type = "RGB";

  /** Takes no arguments (any is an error). */
  constructor(...args: []) {
    super();
    parseArgs(RGBDecl, args);
  }
  ops(_: null, meta: Meta): Op[] {
    if (meta.kind !== "image") throw new TypeError("RGB expects an image (u8 HWC), got a tensor: place it before ToTensor");
    return meta.channels === 3 ? [] : [{ op: "call", name: "rgb", args: {} }];
  }
}

const ToDtypeDecl = {
  name: "ToDtype",
  family: "conversions",
  summary: "the image's dtype (and masks' with `{ image, mask }`); `scale` maps value ranges",
  positional: ["dtype", "scale"] as const,
  fields: {
    dtype: {
      kind: K.custom(
        '"uint8", "float32" or `{ image, mask }`',
        {
          anyOf: [
            { enum: ["uint8", "float32"] },
            {
              type: "object",
              properties: { image: { enum: ["uint8", "float32"] }, mask: { enum: ["uint8", "int32"] } },
              additionalProperties: false,
            },
          ],
        },
        (v) => checkDtype(v),
        [1, true, null],
        ["float64"],
        true,
      ),
      required: true,
    },
    scale: { kind: K.bool, default: false },
  },
} satisfies Declaration;

define(Identity, IdentityDecl);
define(ToImage, ToImageDecl);
define(ToPureTensor, ToPureTensorDecl);
define(RGB, RGBDecl);
define(ToDtype, ToDtypeDecl);
