import { describe } from "../image.js";

/** Throws a clear error when recorded params (which may come from JSON) have the wrong shape. */
export function expectParams(ok: boolean, type: string, want: string, got: unknown): void {
  if (!ok) throw new TypeError(`${type}: params must be ${want}, got ${describe(got)}`);
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
export const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);
