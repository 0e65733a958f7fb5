// Pipeline JSON to transforms (fromJSON): the JSON may come from anywhere, so every error names
// its path; the names resolve through the registry in ./declare.ts.
import { describe } from "../image.js";
import type { Transform } from "./base.js";
import { didYouMean } from "../functional/args.js";
import { pathed, rethrow, snapshot, type Json, type TransformJSON } from "./json.js";
import { registeredTypes, specOf } from "./declare.js";

/** Builds a transform from JSON at `path` (used for nested transforms too). */
export function transformFromJSON(json: unknown, path: string): Transform {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw pathed(new TypeError(`${path}: expected a transform object like {"type": "RandomCrop", ...}, got ${describe(json)}`));
  }
  const obj = json as Record<string, Json>;
  const type = obj.type;
  if (typeof type !== "string") throw pathed(new TypeError(`${path}.type: expected a transform name string, got ${describe(type)}`));
  const spec = specOf(type);
  if (!spec)
    throw pathed(
      new RangeError(`${path}.type: unknown transform ${JSON.stringify(type.slice(0, 60))}; known: ${registeredTypes().join(", ")}`),
    );
  const fields: Record<string, Json> = Object.create(null) as Record<string, Json>;
  for (const k of Object.keys(obj)) {
    if (k === "type") continue;
    if (!spec.fields.includes(k))
      throw pathed(
        new RangeError(
          `${path}.${k}: unknown field for ${type}${didYouMean(k, spec.fields)} (allowed: ${spec.fields.join(", ") || "none"})`,
        ),
      );
    fields[k] = obj[k]!;
  }
  try {
    // Every registered create builds a Transform (define() and register()'s callers); the
    // registry, below transforms/base.ts, types it as an object.
    return spec.create(fields, path) as Transform;
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
