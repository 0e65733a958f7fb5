/** Channels an image may have: grey, RGB or RGBA. */
export type Channels = 1 | 3 | 4;

/** An 8-bit image, HWC, rows tightly packed: `data.length === width * height * channels`. */
export interface Image {
  width: number;
  height: number;
  channels: Channels;
  data: Uint8Array;
}

/** A float32 tensor in CHW (or NCHW) layout, ready for onnxruntime-web, tfjs or transformers.js. */
export interface Tensor {
  shape: number[];
  data: Float32Array;
}

/** What a transform's output is made of, without the pixels. */
export type Meta =
  | { kind: "image"; width: number; height: number; channels: Channels }
  | { kind: "tensor"; shape: number[] };

/** Largest width or height accepted. */
export const MAX_SIDE = 32768;
/** Largest width * height accepted (2^27, e.g. 16384 x 8192). */
export const MAX_PIXELS = 2 ** 27;

/** True when `x` is a {@link Tensor} rather than an {@link Image}. */
export function isTensor(x: Image | Tensor): x is Tensor {
  return (x as Tensor).shape !== undefined && (x as Tensor).data instanceof Float32Array;
}

/** The {@link Meta} describing an image or tensor. */
export function metaOf(x: Image | Tensor): Meta {
  return isTensor(x) ? { kind: "tensor", shape: [...x.shape] } : { kind: "image", width: x.width, height: x.height, channels: x.channels };
}

/**
 * Converts browser `ImageData` (RGBA) to an {@link Image}, sharing no memory: 4 channels by
 * default, `{ channels: 3 }` drops alpha (Pillow's RGBA -> RGB, what an RGB pipeline wants from a
 * canvas), `{ channels: 1 }` is Pillow's luma (RGBA -> L: `(19595 r + 38470 g + 7471 b + 32768) >> 16`).
 */
export function fromImageData(d: { width: number; height: number; data: Uint8ClampedArray | Uint8Array }, options: { channels?: Channels } = {}): Image {
  const channels = options.channels ?? 4;
  if (channels !== 1 && channels !== 3 && channels !== 4) throw new RangeError(`options.channels must be 1, 3 or 4, got ${describe(channels)}`);
  const rgba = checkImage({ width: d.width, height: d.height, channels: 4, data: new Uint8Array(d.data) }, "imageData");
  if (channels === 4) return rgba;
  const n = d.width * d.height;
  const s = rgba.data;
  const out = new Uint8Array(n * channels);
  for (let i = 0, p = 0; i < n; i++, p += 4) {
    if (channels === 3) {
      out[i * 3] = s[p]!;
      out[i * 3 + 1] = s[p + 1]!;
      out[i * 3 + 2] = s[p + 2]!;
    } else {
      out[i] = (s[p]! * 19595 + s[p + 1]! * 38470 + s[p + 2]! * 7471 + 0x8000) >>> 16;
    }
  }
  return { width: d.width, height: d.height, channels, data: out };
}

/** Converts an {@link Image} of any channel count to RGBA bytes for `new ImageData(...)`. */
export function toRGBA(img: Image): Uint8ClampedArray {
  checkImage(img);
  const n = img.width * img.height;
  const out = new Uint8ClampedArray(n * 4);
  const s = img.data;
  for (let i = 0; i < n; i++) {
    const o = i * 4;
    if (img.channels === 1) {
      out[o] = out[o + 1] = out[o + 2] = s[i]!;
      out[o + 3] = 255;
    } else {
      const p = i * img.channels;
      out[o] = s[p]!;
      out[o + 1] = s[p + 1]!;
      out[o + 2] = s[p + 2]!;
      out[o + 3] = img.channels === 4 ? s[p + 3]! : 255;
    }
  }
  return out;
}

/** Checks a width or height; `name` goes into the error. */
export function checkSide(v: unknown, name: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > MAX_SIDE) {
    throw new RangeError(`${name} must be an integer in [1, ${MAX_SIDE}], got ${describe(v)}`);
  }
  return v;
}

/** Checks width x height against the pixel limit. */
export function checkArea(width: number, height: number, name: string): void {
  if (width * height > MAX_PIXELS) {
    throw new RangeError(`${name} is ${width}x${height} = ${width * height} pixels, over the limit of ${MAX_PIXELS}`);
  }
}

/** Validates an {@link Image} and returns it; every message names `name` and the bad field. */
export function checkImage(img: unknown, name = "img"): Image {
  if (typeof img !== "object" || img === null) throw new TypeError(`${name} must be an Image { width, height, channels, data }, got ${describe(img)}`);
  const i = img as Partial<Image>;
  checkSide(i.width, `${name}.width`);
  checkSide(i.height, `${name}.height`);
  if (i.channels !== 1 && i.channels !== 3 && i.channels !== 4) throw new RangeError(`${name}.channels must be 1, 3 or 4, got ${describe(i.channels)}`);
  if (!(i.data instanceof Uint8Array)) throw new TypeError(`${name}.data must be a Uint8Array (Uint8ClampedArray is not accepted; wrap it with new Uint8Array(x.buffer)), got ${describe(i.data)}`);
  checkArea(i.width!, i.height!, name);
  const want = i.width! * i.height! * i.channels;
  if (i.data.length !== want) {
    throw new RangeError(`${name}.data has ${i.data.length} bytes, but ${i.width}x${i.height}x${i.channels} needs ${want}`);
  }
  return img as Image;
}

/** Validates a CHW {@link Tensor} and returns it. */
export function checkTensor(t: unknown, name = "tensor"): Tensor {
  if (typeof t !== "object" || t === null) throw new TypeError(`${name} must be a Tensor { shape, data }, got ${describe(t)}`);
  const x = t as Partial<Tensor>;
  if (!Array.isArray(x.shape) || x.shape.length < 1 || !x.shape.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new TypeError(`${name}.shape must be an array of positive integers, got ${describe(x.shape)}`);
  }
  if (!(x.data instanceof Float32Array)) throw new TypeError(`${name}.data must be a Float32Array, got ${describe(x.data)}`);
  const want = x.shape.reduce((a, b) => a * b, 1);
  if (x.data.length !== want) throw new RangeError(`${name}.data has ${x.data.length} values, but shape [${x.shape.join(", ")}] needs ${want}`);
  return t as Tensor;
}

/** A short, safe rendering of a value for error messages. */
export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return v.length > 6 ? `an array of length ${v.length}` : `[${v.map(describe).join(", ")}]`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as ArrayLike<number>).length})`;
  switch (typeof v) {
    case "number":
    case "boolean":
    case "bigint":
      return String(v);
    case "string":
      return JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v);
    case "undefined":
      return "undefined";
    case "function":
      return "a function";
    default:
      return (v as object).constructor?.name === "Object" ? "an object" : `a ${(v as object).constructor?.name ?? "value"}`;
  }
}
