// fast-check arbitraries for the fuzz suite: valid inputs of every kind the public API takes,
// mixed with hostile ones (wrong types, NaN, huge sizes, getters that change or throw, proxies,
// detached and shared buffers, typed arrays of the wrong kind).
import fc from "fast-check";
import type { Image, Tensor } from "../../src/index.js";

/** What hostile getters and traps throw: the caller's own error, allowed to pass through. */
export class HostileError extends Error {
  constructor() {
    super("hostile getter threw");
    this.name = "HostileError";
  }
}

const throwing = () => {
  throw new HostileError();
};

/** Values no argument accepts (or only some do), built fresh on each draw. */
export const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, undefined, NaN, Infinity, -Infinity, -0, -1, 0.5, 2 ** 31, 2 ** 32, 2 ** 53, 1e308, -1e308, "", "3", "abc", true, false, 3n),
  fc.constant(null).map(() => [] as unknown),
  fc.constant(null).map(() => [null] as unknown),
  fc.constant(null).map(() => ({}) as unknown),
  fc.constant(null).map(() => Symbol("s") as unknown),
  fc.constant(null).map(() => (() => 1) as unknown),
  fc.constant(null).map(() => new Uint8ClampedArray(12) as unknown),
  fc.constant(null).map(() => new Float64Array(3) as unknown),
  fc.constant(null).map(() => new Int8Array(12) as unknown),
  fc.constant(null).map(() => new DataView(new ArrayBuffer(8)) as unknown),
  fc.constant(null).map(() => Object.defineProperty({}, "length", { get: throwing }) as unknown),
  // Throws on every string key (symbols answer undefined: fast-check itself asks for one).
  fc.constant(null).map(() => new Proxy({}, { get: (_, k) => (typeof k === "symbol" ? undefined : throwing()), has: (_, k) => (typeof k === "symbol" ? false : throwing()), ownKeys: throwing }) as unknown),
  fc.constant(null).map(() => new Proxy([1, 2, 3], { get: (t, k) => (k === "length" ? 2 ** 31 : Reflect.get(t, k)) }) as unknown),
  fc.constant(null).map(() => {
    const o: Record<string, unknown> = {};
    o.self = o;
    return o as unknown;
  }),
  fc.array(fc.oneof(fc.integer({ min: -5, max: 40 }), fc.double()), { maxLength: 5 }) as fc.Arbitrary<unknown>,
);

/** Mostly `valid`, sometimes hostile. */
export const maybe = <T>(valid: fc.Arbitrary<T>, hostileWeight = 1): fc.Arbitrary<unknown> =>
  fc.oneof({ arbitrary: valid as fc.Arbitrary<unknown>, weight: 6 }, { arbitrary: hostile, weight: hostileWeight });

const channels = fc.constantFrom<1 | 3 | 4>(1, 3, 4);

/** Where an image's bytes live: a plain array, a view into a larger buffer, a SharedArrayBuffer, a Node Buffer. */
type Backing = "plain" | "offset" | "shared" | "buffer";

function makeData(n: number, seed: number, backing: Backing): Uint8Array {
  let d: Uint8Array;
  if (backing === "shared") d = new Uint8Array(new SharedArrayBuffer(n));
  else if (backing === "offset") d = new Uint8Array(new ArrayBuffer(n + 13), 7, n);
  else if (backing === "buffer") d = Buffer.alloc(n);
  else d = new Uint8Array(n);
  let s = seed | 1;
  for (let i = 0; i < n; i++) {
    s = Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5;
    d[i] = s >>> 24;
  }
  return d;
}

/** A valid small image (1..24 px a side), its bytes in any kind of memory. */
export const image: fc.Arbitrary<Image> = fc
  .record({ width: fc.integer({ min: 1, max: 24 }), height: fc.integer({ min: 1, max: 24 }), channels, seed: fc.integer(), backing: fc.constantFrom<Backing>("plain", "plain", "offset", "shared", "buffer") })
  .map(({ width, height, channels, seed, backing }) => ({ width, height, channels, data: makeData(width * height * channels, seed, backing) }));

/** An image whose field `field` answers honestly `honest` times, then `bad`. */
function twoFaced(img: Image, field: keyof Image, bad: unknown, honest: number): Image {
  let reads = 0;
  const o = { ...img } as Record<string, unknown>;
  Object.defineProperty(o, field, { enumerable: true, get: () => (reads++ < honest ? img[field] : bad) });
  return o as unknown as Image;
}

/** Images that are not what they claim: lying getters, detached buffers, wrong sizes, proxies. */
export const badImage: fc.Arbitrary<unknown> = fc.oneof(
  fc.tuple(image, fc.constantFrom<keyof Image>("width", "height", "channels", "data"), fc.constantFrom<unknown>(32768, -7, 2 ** 31, 0, 4, 1, 2, new Uint8Array(3), new Uint8Array(70000), null), fc.integer({ min: 0, max: 6 })).map(([i, f, b, h]) => twoFaced(i, f, b, h) as unknown),
  image.map((i) => {
    const data = i.data.buffer instanceof ArrayBuffer ? i.data : new Uint8Array(i.data.length);
    structuredClone(data.buffer, { transfer: [data.buffer as ArrayBuffer] }); // detaches it
    return { ...i, data } as unknown;
  }),
  image.map((i) => ({ ...i, width: i.width + 1 }) as unknown),
  image.map((i) => ({ ...i, width: 32768, height: 32768 }) as unknown),
  image.map((i) => ({ ...i, data: new Uint8ClampedArray(i.data) }) as unknown),
  image.map((i) => ({ ...i, data: new Proxy(i.data, {}) }) as unknown),
  image.map((i) => new Proxy(i, { get: (t, k) => Reflect.get(t, k) }) as unknown),
  image.map((i) => Object.defineProperty({ ...i }, "data", { get: throwing }) as unknown),
  hostile,
);

/** Mostly valid images, sometimes bad ones. */
export const anyImage: fc.Arbitrary<unknown> = fc.oneof({ arbitrary: image as fc.Arbitrary<unknown>, weight: 5 }, { arbitrary: badImage, weight: 2 });

/** A valid CHW (or NCHW) float tensor. */
export const tensor: fc.Arbitrary<Tensor> = fc
  .record({ n: fc.constantFrom(0, 0, 1, 2), c: fc.constantFrom(1, 3, 4), h: fc.integer({ min: 1, max: 16 }), w: fc.integer({ min: 1, max: 16 }), shared: fc.boolean() })
  .map(({ n, c, h, w, shared }) => {
    const shape = n ? [n, c, h, w] : [c, h, w];
    const len = shape.reduce((a, b) => a * b, 1);
    const data = shared ? new Float32Array(new SharedArrayBuffer(len * 4)) : new Float32Array(len);
    for (let i = 0; i < len; i++) data[i] = ((i * 37) % 101) / 101;
    return { shape, data };
  });

export const anyTensor: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: tensor as fc.Arbitrary<unknown>, weight: 5 },
  { arbitrary: tensor.map((t) => ({ ...t, shape: [...t.shape, 2] }) as unknown), weight: 1 },
  { arbitrary: tensor.map((t) => ({ ...t, data: new Float64Array(t.data) }) as unknown), weight: 1 },
  { arbitrary: hostile, weight: 1 },
);

export const int = (min: number, max: number) => maybe(fc.integer({ min, max }));
export const num = (min: number, max: number) => maybe(fc.double({ min, max, noNaN: true }));
export const bool = maybe(fc.boolean());
/** Sizes as torchvision takes them, including ones over the limits. */
export const size = maybe(fc.oneof(fc.integer({ min: 1, max: 40 }), fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 })), fc.constantFrom<unknown>(32768, [32768, 20000], [20000, 32768], [1], [0, 4], [1, 2, 3])));
export const fill = maybe(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 4 })));
export const padding = maybe(fc.oneof(fc.integer({ min: 0, max: 12 }), fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 4 }), fc.constantFrom<unknown>(16000, [16000, 1], 32768)));
export const interpolation = maybe(fc.constantFrom("nearest", "bilinear", "bicubic", "lanczos"));
export const paddingMode = maybe(fc.constantFrom("constant", "edge", "reflect", "symmetric", "wrap"));
export const point = maybe(fc.tuple(fc.integer({ min: -5, max: 40 }), fc.integer({ min: -5, max: 40 })));
export const corners = maybe(fc.array(point, { minLength: 4, maxLength: 4 }));
export const key = maybe(fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff })));

/** An options object with some of `fields` (each drawn from its arbitrary), or a hostile value. */
export function options(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  const rec = fc.record(fields, { requiredKeys: [] }) as fc.Arbitrary<unknown>;
  return fc.oneof({ arbitrary: rec, weight: 6 }, { arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: hostile, weight: 1 });
}

/** An `out` buffer: mostly absent, sometimes of some length and kind. */
export const out = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 6 },
  { arbitrary: fc.integer({ min: 0, max: 2000 }).map((n) => new Uint8Array(n) as unknown), weight: 1 },
  { arbitrary: fc.integer({ min: 0, max: 2000 }).map((n) => new Float32Array(n) as unknown), weight: 1 },
  { arbitrary: hostile, weight: 1 },
);
