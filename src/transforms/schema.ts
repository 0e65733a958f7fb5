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

/** Rejects prototype-polluting keys anywhere in a JSON value. */
function checkKeys(v: unknown, path: string): void {
  if (Array.isArray(v)) {
    v.forEach((x, i) => checkKeys(x, `${path}[${i}]`));
  } else if (typeof v === "object" && v !== null) {
    for (const k of Object.keys(v)) {
      if (BANNED.has(k)) throw pathed(new TypeError(`${path}: the key "${k}" is not allowed in pipeline JSON`));
      checkKeys((v as Record<string, unknown>)[k], `${path}.${k}`);
    }
  }
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
  checkKeys(value, "$");
  if (Array.isArray(value)) return transformFromJSON({ type: "Compose", transforms: value }, "$");
  return transformFromJSON(value, "$");
}

/** The array of transforms in `fields.transforms`, each built at its path. */
export function childTransforms(v: Json | undefined, path: string): Transform[] {
  if (!Array.isArray(v)) throw pathed(new TypeError(`${path}.transforms: expected an array of transforms, got ${describe(v)}`));
  return v.map((x, i) => transformFromJSON(x, `${path}.transforms[${i}]`));
}
