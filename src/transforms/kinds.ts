// The kinds of values transform fields take (see declare.ts): each a check naming the
// argument, its JSON Schema, its README text and a few wrong values for the generated tests.
// Checks reuse the functional ops' argument checks, so messages are the same everywhere.
import { describe, MAX_SIDE } from "../image.js";
import { checkFinite, checkInt, checkInterpolation, checkPadding, checkPaddingMode, checkSize } from "../functional/args.js";
import { checkProbability } from "./params.js";
import { fillJSON } from "./fill.js";
import type { Json } from "./base.js";
import type { JsonSchema, Kind } from "./declare.js";

const NOT_NUMBERS: readonly unknown[] = ["1", true, {}];

/** A kind from its parts. */
export function kind(k: Kind): Kind {
  return k;
}

/** true or false. */
export const bool: Kind = kind({
  text: "boolean",
  schema: { type: "boolean" },
  check(v, name) {
    if (typeof v !== "boolean") throw new TypeError(`${name} must be a boolean, got ${describe(v)}`);
  },
  wrongType: [1, "true", null],
  outOfRange: [],
});

/** A probability in [0, 1]. */
export const prob: Kind = kind({
  text: "number in [0, 1]",
  schema: { type: "number", minimum: 0, maximum: 1 },
  check: (v, name) => void checkProbability(v, name),
  wrongType: NOT_NUMBERS,
  outOfRange: [1.5, -0.1, NaN],
});

/** An integer in [min, max]. */
export function int(min: number, max: number): Kind {
  return kind({
    text: `integer in [${min}, ${max}]`,
    schema: { type: "integer", minimum: min, maximum: max },
    check: (v, name) => void checkInt(v, name, min, max),
    wrongType: NOT_NUMBERS,
    outOfRange: [min - 1, max + 1, min + 0.5],
  });
}

/** A finite number, optionally in [min, max] (or (min, max] when `exclusiveMin`). */
export function num(min = -Infinity, max = Infinity, exclusiveMin = false): Kind {
  const fmt = (x: number) => (Math.abs(x) >= 1e6 ? x.toExponential().replace("e+", "e") : String(x));
  const lo = Number.isFinite(min) ? `${exclusiveMin ? "(" : "["}${fmt(min)}` : "";
  const text =
    lo && Number.isFinite(max)
      ? `number in ${lo}, ${fmt(max)}]`
      : lo
        ? `number ${exclusiveMin ? ">" : ">="} ${fmt(min)}`
        : Number.isFinite(max)
          ? `number <= ${fmt(max)}`
          : "number";
  const schema: JsonSchema = { type: "number" };
  if (Number.isFinite(min)) schema[exclusiveMin ? "exclusiveMinimum" : "minimum"] = min;
  if (Number.isFinite(max)) schema.maximum = max;
  return kind({
    text,
    schema,
    check(v, name) {
      const x = checkFinite(v, name);
      if (x < min || (exclusiveMin && x === min) || x > max)
        throw new RangeError(`${name} must be ${text.replace(/^number /, "")}, got ${x}`);
    },
    wrongType: NOT_NUMBERS,
    outOfRange: [...(Number.isFinite(min) ? [min - 1] : []), ...(Number.isFinite(max) ? [max + 1] : []), Infinity],
  });
}

/** One of a few strings (or null). */
export function oneOf(...values: readonly (string | null)[]): Kind {
  const list = values.map((v) => JSON.stringify(v));
  const text = list.length > 1 ? `${list.slice(0, -1).join(", ")} or ${list[list.length - 1]}` : list[0]!;
  return kind({
    text,
    schema: { enum: [...values] },
    check(v, name) {
      if (!values.includes(v as string))
        throw new (typeof v === "string" || v === null ? RangeError : TypeError)(`${name} must be ${text}, got ${describe(v)}`);
    },
    wrongType: [1, true],
    outOfRange: ["bogus"],
  });
}

/** `k`, or null. */
export function nullable(k: Kind): Kind {
  return kind({
    ...k,
    text: `${k.text}, or null`,
    schema: { anyOf: [k.schema, { type: "null" }] },
    check: (v, name) => (v === null ? undefined : k.check(v, name)),
    wrongType: k.wrongType.filter((v) => v !== null),
  });
}

/**
 * A kind whose check is the transform's own (relational checks, several shapes): `check`
 * must refuse every value the schema does not describe.
 */
export function custom(
  text: string,
  schema: JsonSchema,
  check: (v: unknown, name: string) => unknown,
  wrongType: readonly unknown[],
  outOfRange: readonly unknown[] = [],
  objectValue = false,
): Kind {
  return kind({ text, schema, check: (v, name) => void check(v, name), wrongType, outOfRange, objectValue });
}

const sideSchema: JsonSchema = { type: "integer", minimum: 1, maximum: MAX_SIDE };
const numberSchema: JsonSchema = { type: "number" };
/** A JSON Schema for a fixed-length array. */
export const tuple = (item: JsonSchema, min: number, max = min): JsonSchema => ({
  type: "array",
  items: item,
  minItems: min,
  maxItems: max,
});

/** A size: one integer or [h, w] (or [s]). */
export const size: Kind = custom(
  "`s` or `[h, w]`",
  { anyOf: [sideSchema, tuple(sideSchema, 1, 2)] },
  (v, n) => checkSize(v, n),
  ["32", true, [1, 2, 3]],
  [0, [0, 4], MAX_SIDE + 1],
);

/** Padding: n, [n], [left/right, top/bottom] or [left, top, right, bottom]. */
export const padding: Kind = custom(
  "`n`, `[lr, tb]` or `[l, t, r, b]`",
  {
    anyOf: [
      { type: "integer", minimum: 0, maximum: MAX_SIDE },
      { type: "array", items: { type: "integer", minimum: 0, maximum: MAX_SIDE }, minItems: 1, maxItems: 4 },
    ],
  },
  (v, n) => checkPadding(v, n),
  ["4", true, [1, 2, 3]],
  [-1, [1, -2]],
);

const byte: JsonSchema = { type: "integer", minimum: 0, maximum: 255 };
const imageFillSchema: JsonSchema = { anyOf: [byte, { type: "array", items: byte, minItems: 1, maxItems: 4 }] };
/** A fill: a byte, one per channel, or `{ image, mask }`. */
export const fill: Kind = custom(
  "byte, per-channel bytes or `{ image, mask }`",
  {
    anyOf: [
      imageFillSchema,
      { type: "object", properties: { image: imageFillSchema, mask: { type: "integer" } }, additionalProperties: false },
    ],
  },
  (v) => fillJSON(v),
  ["0", true, [1, 2]],
  [256, -1, [0, 0, 300]],
  true,
);

/** "nearest", "bilinear" or "bicubic". */
export const interpolation: Kind = custom(
  '"nearest", "bilinear" or "bicubic"',
  { enum: ["nearest", "bilinear", "bicubic"] },
  (v, n) => checkInterpolation(v, n),
  [1, true],
  ["lanczos"],
);

/** The border rule of pads. */
export const paddingMode: Kind = custom(
  '"constant", "edge", "reflect" or "symmetric"',
  { enum: ["constant", "edge", "reflect", "symmetric"] },
  (v, n) => checkPaddingMode(v, n),
  [1, true],
  ["wrap"],
);

/** [min, max] of finite numbers with min <= max (and both > 0 when `positive`). */
export function range(positive: boolean): Kind {
  return custom(
    positive ? "`[min, max]`, both > 0" : "`[min, max]`",
    tuple(positive ? { type: "number", exclusiveMinimum: 0 } : numberSchema, 2),
    (v, name) => {
      if (!Array.isArray(v) || v.length !== 2) throw new TypeError(`${name} must be [min, max], got ${describe(v)}`);
      const [a, b] = [checkFinite(v[0], `${name}[0]`), checkFinite(v[1], `${name}[1]`)];
      if (positive && !(a > 0 && b > 0)) throw new RangeError(`${name} values must be > 0, got [${a}, ${b}]`);
      if (a > b) throw new RangeError(`${name} must be [min, max] with min <= max, got [${a}, ${b}]`);
    },
    [1, "1", [1]],
    [[2, 1], [NaN, 1], ...(positive ? [[0, 1]] : [])],
  );
}

/** A number or [min, max] (how torchvision takes degrees, sigma, ...): `check` checks the range; `text` reads "a number or `[min, max]`". */
export function numberOrPair(text: string, check: (v: unknown, name: string) => unknown, outOfRange: readonly unknown[]): Kind {
  return custom(
    text,
    { anyOf: [numberSchema, tuple(numberSchema, 2)] },
    (v, name) => {
      if (typeof v !== "number" && !(Array.isArray(v) && v.length === 2))
        throw new TypeError(`${name} must be ${text.replace(/`/g, "")}, got ${describe(v)}`);
      check(v, name);
    },
    ["1", true, [1, 2, 3]],
    outOfRange,
  );
}

/** A function (not JSON: fromJSON rebuilds it from a registered name). */
export const fn: Kind = kind({
  text: "function",
  schema: {},
  check(v, name) {
    if (typeof v !== "function") throw new TypeError(`${name} must be a function, got ${describe(v)}`);
  },
  wrongType: [1, "f", null],
  outOfRange: [],
  runtimeOnly: true,
});

/** A string (names, labels getters). */
export const string: Kind = kind({
  text: "string",
  schema: { type: "string" },
  check(v, name) {
    if (typeof v !== "string") throw new TypeError(`${name} must be a string, got ${describe(v)}`);
  },
  wrongType: [1, true],
  outOfRange: [],
});

/** The JSON of a kind's value as given (for kinds whose JSON form is the value itself). */
export const asJson = (v: unknown): Json => v as Json;
