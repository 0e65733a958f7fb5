// JSON values, pipeline JSON's shape and the bounded, read-once copy every JSON input goes
// through first. A leaf: transforms/base.ts, the declarations and fromJSON all build on it.

/** JSON values: what params, records and configs are made of. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A transform as JSON: its type name and its constructor's fields. */
export interface TransformJSON {
  type: string;
  [field: string]: Json;
}

const BANNED = new Set(["__proto__", "constructor", "prototype"]);
const PATHED = Symbol("lockstep.pathed");

/** Marks an error as already naming its path (rethrow leaves it as it is). */
export function pathed<E extends Error>(e: E): E {
  (e as unknown as Record<symbol, boolean>)[PATHED] = true;
  return e;
}

/** Rethrows `e` prefixed with `path` (once: a pathed error passes through). */
export function rethrow(e: unknown, path: string): never {
  if (e instanceof Error && (e as unknown as Record<symbol, boolean>)[PATHED]) throw e;
  const msg = e instanceof Error ? e.message : String(e);
  const Ctor = e instanceof RangeError ? RangeError : TypeError;
  throw pathed(new Ctor(`${path}.${msg}`));
}

/**
 * Deepest nesting of arrays and objects in pipeline JSON: two levels per container (its object
 * and its transforms array) up to MAX_DEPTH containers, plus room for fields like [[x, y], ...].
 */
export const MAX_JSON_DEPTH = 2 * 64 + 8;

/** Longest array in pipeline JSON or a record (a 4096 x 4096 LinearTransformation fits). */
export const MAX_JSON_ARRAY = 2 ** 24;

/**
 * A plain copy of a JSON value: every property read once (getters and proxies cannot answer
 * differently later), prototype-polluting keys refused, nesting bounded (cycles included).
 * Values that are not JSON (functions, symbols, class instances other than arrays) are kept as
 * they are for the fields' own checks to refuse by name.
 */
export function snapshot(v: unknown, path: string, depth = 0, maxDepth = MAX_JSON_DEPTH): unknown {
  if (typeof v !== "object" || v === null) return v;
  if (depth > maxDepth) {
    const where = path.length > 80 ? `${path.slice(0, 40)}…${path.slice(-30)}` : path;
    throw pathed(
      new RangeError(
        `${path.startsWith("$") ? "pipeline JSON" : path.split(/[.[]/)[0]} nests more than ${maxDepth} levels deep (or contains a cycle), at ${where}`,
      ),
    );
  }
  if (Array.isArray(v)) {
    const n = v.length;
    if (!(n <= MAX_JSON_ARRAY)) throw pathed(new RangeError(`${path}: an array of length ${n}, over the limit of ${MAX_JSON_ARRAY}`));
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) out.push(snapshot(v[i], `${path}[${i}]`, depth + 1, maxDepth));
    return out;
  }
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) return v;
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(v)) {
    if (BANNED.has(k))
      throw pathed(new TypeError(`${path}: the key "${k}" is not allowed${path.startsWith("$") ? " in pipeline JSON" : ""}`));
    out[k] = snapshot((v as Record<string, unknown>)[k], `${path}.${k}`, depth + 1, maxDepth);
  }
  return out;
}
