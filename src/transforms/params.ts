import { describe, type Meta } from "../image.js";
import { checkFinite } from "../functional/args.js";

/** Throws a clear error when recorded params (which may come from JSON) have the wrong shape. */
export function expectParams(ok: boolean, type: string, want: string, got: unknown): void {
  if (!ok) throw new TypeError(`${type}: params must be ${want}, got ${describe(got)}`);
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
export const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

/** The meta of an image input. */
export type ImageMeta = Extract<Meta, { kind: "image" }>;

/** The input's meta when it is an image; otherwise a TypeError saying to place `type` before ToTensor. */
export function imageMeta(meta: Meta, type: string): ImageMeta {
  if (meta.kind !== "image") throw new TypeError(`${type} expects an image (u8 HWC), got a tensor: place it before ToTensor`);
  return meta;
}

/** Checks a boolean option; an omitted one (undefined) takes `dflt`. */
export function checkBool(v: unknown, name: string, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== "boolean") throw new TypeError(`${name} must be a boolean, got ${describe(v)}`);
  return v;
}

/** Checks a probability in [0, 1]. */
export function checkProbability(p: unknown, name = "p"): number {
  const v = checkFinite(p, name);
  if (v < 0 || v > 1) throw new RangeError(`${name} must be a probability in [0, 1], got ${v}`);
  return v;
}
