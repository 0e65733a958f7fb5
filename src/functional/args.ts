// Argument checks shared by the functional ops: each names the argument and the allowed range.
import { describe, MAX_SIDE, type Channels } from "../image.js";

/** Interpolation modes, named as torchvision's InterpolationMode values. */
export const InterpolationMode = { NEAREST: "nearest", BILINEAR: "bilinear", BICUBIC: "bicubic" } as const;
/** One of {@link InterpolationMode}'s values. */
export type Interpolation = (typeof InterpolationMode)[keyof typeof InterpolationMode];

/** How `pad` fills the border, as torchvision's padding_mode. */
export type PaddingMode = "constant" | "edge" | "reflect" | "symmetric";

/** A size as torchvision takes it: one number (the shorter side, or a square) or [h, w]. */
export type Size = number | [number] | [number, number];

/**
 * An options argument: `{}` when undefined (a default parameter does not catch null), the object
 * itself otherwise; a TypeError naming `name` for null, arrays and non-objects.
 */
export function checkOptions<T extends object>(v: T | null | undefined, name = "options"): T {
  if (v === undefined) return {} as T;
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new TypeError(`${name} must be an object (or left out), got ${describe(v)}`);
  return v;
}

export function checkInt(v: unknown, name: string, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${describe(v)}`);
  }
  return v;
}

export function checkFinite(v: unknown, name: string): number {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new RangeError(`${name} must be a finite number, got ${describe(v)}`);
  return v;
}

export function checkInterpolation(v: unknown, name = "interpolation"): Interpolation {
  if (v !== "nearest" && v !== "bilinear" && v !== "bicubic") {
    throw new RangeError(`${name} must be "nearest", "bilinear" or "bicubic", got ${describe(v)}`);
  }
  return v;
}

export function checkPaddingMode(v: unknown, name = "paddingMode"): PaddingMode {
  if (v !== "constant" && v !== "edge" && v !== "reflect" && v !== "symmetric") {
    throw new RangeError(`${name} must be "constant", "edge", "reflect" or "symmetric", got ${describe(v)}`);
  }
  return v;
}

/** A size as [h, w] when given as a pair, or [s] for a single number (meaning depends on the op). */
export function checkSize(v: unknown, name = "size"): [number] | [number, number] {
  if (typeof v === "number") return [checkInt(v, name, 1, MAX_SIDE)];
  if (Array.isArray(v) && (v.length === 1 || v.length === 2)) {
    return v.map((x, i) => checkInt(x, `${name}[${i}]`, 1, MAX_SIDE)) as [number] | [number, number];
  }
  throw new TypeError(`${name} must be a positive integer or [h, w], got ${describe(v)}`);
}

/** A square or [h, w] size (crops). */
export function checkHW(v: unknown, name = "size"): [number, number] {
  const s = checkSize(v, name);
  return s.length === 1 ? [s[0], s[0]] : s;
}

/** Fill bytes for each channel from a number or a per-channel array of integers in [0, 255]. */
export function fillBytes(fill: unknown, channels: Channels, name = "fill"): Uint8Array {
  const out = new Uint8Array(channels);
  if (typeof fill === "number") {
    out.fill(checkInt(fill, name, 0, 255));
    return out;
  }
  if (Array.isArray(fill) && (fill.length === channels || fill.length === 1)) {
    for (let c = 0; c < channels; c++) out[c] = checkInt(fill[fill.length === 1 ? 0 : c], `${name}[${c}]`, 0, 255);
    return out;
  }
  throw new TypeError(`${name} must be an integer in [0, 255] or an array of ${channels} of them, got ${describe(fill)}`);
}

/** Padding as torchvision: n, [n], [left/right, top/bottom] or [left, top, right, bottom]; returns [l, t, r, b]. */
export function checkPadding(v: unknown, name = "padding"): [number, number, number, number] {
  const arr = typeof v === "number" ? [v] : v;
  if (!Array.isArray(arr) || ![1, 2, 4].includes(arr.length)) {
    throw new TypeError(`${name} must be an integer, [n], [leftRight, topBottom] or [left, top, right, bottom], got ${describe(v)}`);
  }
  const p = arr.map((x, i) => checkInt(x, arr === v ? `${name}[${i}]` : name, 0, MAX_SIDE));
  if (p.length === 1) return [p[0]!, p[0]!, p[0]!, p[0]!];
  if (p.length === 2) return [p[0]!, p[1]!, p[0]!, p[1]!];
  return p as [number, number, number, number];
}

/** Python's round(): halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** Levenshtein distance, capped (names are short). */
function distance(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  let prev = Array.from({ length: lb.length + 1 }, (_, j) => j);
  for (let i = 1; i <= la.length; i++) {
    const cur = [i];
    for (let j = 1; j <= lb.length; j++)
      cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (la[i - 1] === lb[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return prev[lb.length]!;
}

/** ` (did you mean "x"?)` for the closest of `names` when it is close to `key` (snake_case welcome), else "". */
export function didYouMean(key: string, names: readonly string[]): string {
  const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  let best = "";
  let bestD = Infinity;
  for (const n of names) {
    const d = Math.min(distance(key, n), distance(camel, n));
    if (d < bestD) [best, bestD] = [n, d];
  }
  const close = bestD <= Math.max(1, Math.floor(Math.min(key.length, best.length) / 3)) || (key.length >= 4 && best.startsWith(key));
  return best && close ? ` (did you mean "${best}"?)` : "";
}

/**
 * An options object's keys checked against `allowed`: an unknown key is a RangeError naming it
 * (with a "did you mean"); null or a non-object is a TypeError. `undefined` passes.
 */
export function checkOptionKeys(opts: unknown, allowed: readonly string[], what: string): void {
  if (opts === undefined) return;
  if (typeof opts !== "object" || opts === null || Array.isArray(opts))
    throw new TypeError(`${what} must be an object (or left out), got ${describe(opts)}`);
  for (const k of Object.keys(opts)) {
    if (!allowed.includes(k)) throw new RangeError(`unknown ${what} key "${k}"${didYouMean(k, allowed)} (allowed: ${allowed.join(", ")})`);
  }
}
