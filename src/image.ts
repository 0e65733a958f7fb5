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
export type Meta = { kind: "image"; width: number; height: number; channels: Channels } | { kind: "tensor"; shape: number[] };

/** Largest width or height accepted. */
export const MAX_SIDE = 32768;
/** Largest width * height accepted (2^27, e.g. 16384 x 8192). */
export const MAX_PIXELS = 2 ** 27;

/** True when `x` is a {@link Tensor} rather than an {@link Image}. */
export function isTensor(x: Image | Tensor): x is Tensor {
  return typeof x === "object" && x !== null && (x as Tensor).shape !== undefined && (x as Tensor).data instanceof Float32Array;
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
export function fromImageData(
  d: { width: number; height: number; data: Uint8ClampedArray | Uint8Array },
  options: { channels?: Channels } = {},
): Image {
  if (typeof options !== "object" || options === null || Array.isArray(options))
    throw new TypeError(`options must be an object like { channels: 3 } (or left out), got ${describe(options)}`);
  const channels: unknown = options.channels ?? 4;
  if (channels !== 1 && channels !== 3 && channels !== 4)
    throw new RangeError(`options.channels must be 1, 3 or 4, got ${describe(channels)}`);
  if (typeof d !== "object" || d === null)
    throw new TypeError(`imageData must be an ImageData { width, height, data }, got ${describe(d)}`);
  // Each field read once; the size is checked before anything is copied.
  const raw: unknown = d.data;
  const view = viewOf(raw, "Uint8ClampedArray", "imageData.data") ?? viewOf(raw, "Uint8Array", "imageData.data");
  if (!view) throw new TypeError(`imageData.data must be a Uint8ClampedArray (ImageData's) or a Uint8Array, got ${describe(raw)}`);
  const rgba = checkImage({ width: d.width, height: d.height, channels: 4, data: view }, "imageData");
  const { width, height } = rgba;
  if (channels === 4) return { width, height, channels, data: rgba.data.slice() };
  const n = width * height;
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
  return { width, height, channels, data: out };
}

/** Converts an {@link Image} of any channel count to RGBA bytes for `new ImageData(...)`. */
export function toRGBA(img: Image): Uint8ClampedArray {
  img = checkImage(img);
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

// The engine's own typed-array getters: they read internal slots, so a Proxy, a subclass or an
// own `length` property cannot make a check and a later use see different memory.
const TypedArrayProto = Object.getPrototypeOf(Uint8Array.prototype) as object;
const intrinsic = (key: PropertyKey) => Object.getOwnPropertyDescriptor(TypedArrayProto, key)!.get!;
const taTag = intrinsic(Symbol.toStringTag);
const taBuffer = intrinsic("buffer");
const taOffset = intrinsic("byteOffset");
const taLength = intrinsic("length");

/**
 * A plain `Uint8Array`, `Float32Array` or `Int32Array` viewing the same memory as `v` when `v`
 * really is one (a `Uint8ClampedArray` is viewed as a `Uint8Array`; Node's Buffer included),
 * read once through the engine's getters; null otherwise. Throws a TypeError naming `name`
 * when its buffer has been detached (transferred).
 */
export function viewOf(v: unknown, kind: "Uint8Array" | "Uint8ClampedArray", name: string): Uint8Array | null;
export function viewOf(v: unknown, kind: "Float32Array", name: string): Float32Array | null;
export function viewOf(v: unknown, kind: "Int32Array", name: string): Int32Array | null;
export function viewOf(
  v: unknown,
  kind: "Uint8Array" | "Uint8ClampedArray" | "Float32Array" | "Int32Array",
  name: string,
): Uint8Array | Float32Array | Int32Array | null {
  if (typeof v !== "object" || v === null || taTag.call(v) !== kind) return null;
  const buffer = taBuffer.call(v) as ArrayBufferLike;
  const offset = taOffset.call(v) as number;
  const length = taLength.call(v) as number;
  try {
    return kind === "Float32Array"
      ? new Float32Array(buffer, offset, length)
      : kind === "Int32Array"
        ? new Int32Array(buffer, offset, length)
        : new Uint8Array(buffer, offset, length);
  } catch {
    throw new TypeError(`${name} is a ${kind} whose buffer was detached (transferred to a worker or closed); pass a live one`);
  }
}

/**
 * The bytes of `v`, a `Uint8Array` (Node's Buffer included) or an `ArrayBuffer`, as a plain
 * `Uint8Array` over the same memory, read once through the engine's getters (a Proxy or an
 * overridden `length` cannot make a check and a later use disagree); null for anything else.
 * Throws a TypeError naming `name` for a detached (transferred) buffer.
 */
export function bytesOf(v: unknown, name: string): Uint8Array | null {
  if (v instanceof ArrayBuffer) {
    try {
      return new Uint8Array(v);
    } catch {
      throw new TypeError(`${name} is an ArrayBuffer that was detached (transferred to a worker or closed); pass a live one`);
    }
  }
  return viewOf(v, "Uint8Array", name);
}

/**
 * Validates an {@link Image} and returns a snapshot of it: a new plain object whose fields were
 * each read once and whose `data` is a plain view of the same bytes. Use the snapshot, never the
 * argument again: getters that answer differently on a second read cannot reach the kernel.
 * Every message names `name` and the bad field.
 */
export function checkImage(img: unknown, name = "img"): Image {
  if (typeof img !== "object" || img === null)
    throw new TypeError(`${name} must be an Image { width, height, channels, data }, got ${describe(img)}`);
  const i = img as Partial<Image>;
  const width = checkSide(i.width, `${name}.width`);
  const height = checkSide(i.height, `${name}.height`);
  const channels = i.channels;
  if (channels !== 1 && channels !== 3 && channels !== 4)
    throw new RangeError(`${name}.channels must be 1, 3 or 4, got ${describe(channels)}`);
  const raw = i.data;
  const data = viewOf(raw, "Uint8Array", `${name}.data`);
  if (!data)
    throw new TypeError(
      `${name}.data must be a Uint8Array (Uint8ClampedArray is not accepted; wrap it with new Uint8Array(x.buffer)), got ${describe(raw)}`,
    );
  checkArea(width, height, name);
  const want = width * height * channels;
  if (data.length !== want) {
    throw new RangeError(`${name}.data has ${data.length} bytes, but ${width}x${height}x${channels} needs ${want}`);
  }
  return { width, height, channels, data };
}

/** Most dimensions a tensor may have. */
const MAX_DIMS = 8;

/** Validates a {@link Tensor} and returns a snapshot of it (see {@link checkImage}). */
export function checkTensor(t: unknown, name = "tensor"): Tensor {
  if (typeof t !== "object" || t === null) throw new TypeError(`${name} must be a Tensor { shape, data }, got ${describe(t)}`);
  const x = t as Partial<Tensor>;
  const rawShape: unknown = x.shape;
  const badShape = () => new TypeError(`${name}.shape must be an array of 1 to ${MAX_DIMS} positive integers, got ${describe(rawShape)}`);
  if (!Array.isArray(rawShape)) throw badShape();
  const n = rawShape.length;
  if (typeof n !== "number" || n < 1 || n > MAX_DIMS) throw badShape();
  const shape: number[] = [];
  for (let d = 0; d < n; d++) shape.push(rawShape[d] as number);
  if (!shape.every((d) => typeof d === "number" && Number.isSafeInteger(d) && d >= 1)) throw badShape();
  const raw = x.data;
  const data = viewOf(raw, "Float32Array", `${name}.data`);
  if (!data) throw new TypeError(`${name}.data must be a Float32Array, got ${describe(raw)}`);
  const want = shape.reduce((a, b) => a * b, 1);
  if (data.length !== want) throw new RangeError(`${name}.data has ${data.length} values, but shape [${shape.join(", ")}] needs ${want}`);
  return { shape, data };
}

/** Validates an Image or a Tensor (whichever `x` claims to be) and returns its snapshot. */
export function checkSample(x: unknown, name = "input"): Image | Tensor {
  return isTensor(x as Image | Tensor) ? checkTensor(x, name) : checkImage(x, name);
}

/** A short, safe rendering of a value for error messages (never throws, whatever `v` is). */
export function describe(v: unknown): string {
  try {
    return describeValue(v);
  } catch {
    return "a value that cannot be inspected";
  }
}

function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return v.length > 6 ? `an array of length ${v.length}` : `[${v.map(describe).join(", ")}]`;
  if (ArrayBuffer.isView(v)) {
    const tag = taTag.call(v) as string | undefined;
    return tag ? `${tag}(${taLength.call(v) as number})` : `a ${v.constructor.name}`;
  }
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
    case "symbol":
      return "a symbol";
    default: {
      const ctor = (v as object).constructor as { name?: unknown } | undefined;
      const cname = typeof ctor?.name === "string" ? ctor.name : "";
      return cname === "Object" ? "an object" : cname ? `a ${cname}` : "an object";
    }
  }
}
