// Validation of pipeline JSON, which may come from anywhere: every error names the path.
import { describe } from "../image.js";
import type { Json, Transform, TransformJSON } from "./base.js";
import { didYouMean } from "../functional/args.js";
import type { Declaration } from "./declare.js";

const BANNED = new Set(["__proto__", "constructor", "prototype"]);
const PATHED = Symbol("lockstep.pathed");

/** How to build one transform type from its JSON fields. */
export interface TransformSpec {
  /** The constructor's JSON fields; any other key is an error. */
  fields: readonly string[];
  /** Builds the transform; `path` is where nested transforms sit, for their errors. */
  create(fields: Record<string, Json>, path: string): Transform;
  /** The transform's declaration (fields' kinds, defaults, positional order), when it has one. */
  declaration?: Declaration;
}

const registry = new Map<string, TransformSpec>();

/** Makes a transform type known to {@link fromJSON}; a name already taken is a RangeError (a silent overwrite would change what saved pipelines mean). */
export function register(type: string, spec: TransformSpec): void {
  if (typeof type !== "string" || type === "") throw new TypeError(`register: type must be a non-empty string, got ${describe(type)}`);
  if (registry.has(type)) throw new RangeError(`register: a transform named ${JSON.stringify(type)} is already registered; pick another name`);
  registry.set(type, spec);
}

/** The declarations of the registered transforms that have one, sorted by name. */
export function declarations(): Declaration[] {
  return registeredTypes().flatMap((t) => {
    const d = registry.get(t)!.declaration;
    return d ? [d] : [];
  });
}

/** The registered transform type names. */
export function registeredTypes(): string[] {
  return [...registry.keys()].sort();
}

function pathed<E extends Error>(e: E): E {
  (e as unknown as Record<symbol, boolean>)[PATHED] = true;
  return e;
}

function rethrow(e: unknown, path: string): never {
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
    throw pathed(new RangeError(`${path.startsWith("$") ? "pipeline JSON" : path.split(/[.[]/)[0]} nests more than ${maxDepth} levels deep (or contains a cycle), at ${where}`));
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
    if (BANNED.has(k)) throw pathed(new TypeError(`${path}: the key "${k}" is not allowed${path.startsWith("$") ? " in pipeline JSON" : ""}`));
    out[k] = snapshot((v as Record<string, unknown>)[k], `${path}.${k}`, depth + 1, maxDepth);
  }
  return out;
}

/** Builds a transform from JSON at `path` (used for nested transforms too). */
export function transformFromJSON(json: unknown, path: string): Transform {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw pathed(new TypeError(`${path}: expected a transform object like {"type": "RandomCrop", ...}, got ${describe(json)}`));
  }
  const obj = json as Record<string, Json>;
  const type = obj.type;
  if (typeof type !== "string") throw pathed(new TypeError(`${path}.type: expected a transform name string, got ${describe(type)}`));
  const spec = registry.get(type);
  if (!spec) throw pathed(new RangeError(`${path}.type: unknown transform ${JSON.stringify(type.slice(0, 60))}; known: ${registeredTypes().join(", ")}`));
  const fields: Record<string, Json> = Object.create(null) as Record<string, Json>;
  for (const k of Object.keys(obj)) {
    if (k === "type") continue;
    if (!spec.fields.includes(k)) throw pathed(new RangeError(`${path}.${k}: unknown field for ${type}${didYouMean(k, spec.fields)} (allowed: ${spec.fields.join(", ") || "none"})`));
    fields[k] = obj[k]!;
  }
  try {
    return spec.create(fields, path);
  } catch (e) {
    rethrow(e, path);
  }
}

/**
 * Rebuilds a pipeline from `toJSON()` output (an object or a JSON string); a bare list of
 * transforms is a Compose of them. Every field is validated; errors are TypeError/RangeError
 * naming the path, e.g. `$.transforms[1].size`.
 */
export function fromJSON(json: string | TransformJSON | Json): Transform {
  let value: unknown = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json);
    } catch (e) {
      throw new SyntaxError(`fromJSON: not valid JSON: ${(e as Error).message}`);
    }
  }
  const v = snapshot(value, "$", 0);
  if (Array.isArray(v)) return transformFromJSON({ type: "Compose", transforms: v }, "$");
  return transformFromJSON(v, "$");
}

/** The array of transforms in `fields.transforms`, each built at its path. */
export function childTransforms(v: Json | undefined, path: string): Transform[] {
  if (!Array.isArray(v)) throw pathed(new TypeError(`${path}.transforms: expected an array of transforms, got ${describe(v)}`));
  return v.map((x, i) => transformFromJSON(x, `${path}.transforms[${i}]`));
}
