// One declaration per transform: its name, its fields (kind, default, torchvision's
// positional order). The constructor's argument parsing and checks, config()/toJSON(),
// fromJSON, the JSON Schema (lockstep/schema.json) and the README's table are all read
// from it, so a field is stated once. The kinds are small valibot-style validators that
// also know their JSON Schema and a few wrong values (tests/declarations.test.ts feeds them
// to every constructor).
import { describe } from "../image.js";
import { didYouMean } from "../functional/args.js";
import type { Json } from "./json.js";

/** A JSON Schema fragment (draft 2020-12). */
export type JsonSchema = { [key: string]: Json };

/** What values a field takes: a check naming the argument, its JSON Schema and README text. */
export interface Kind {
  /** How the README states the kind, e.g. `number in [0, 1]`. */
  readonly text: string;
  /** The JSON Schema of the kind's JSON form. */
  readonly schema: JsonSchema;
  /** Throws a TypeError or RangeError whose message names `name` when `v` is not of the kind. */
  check(v: unknown, name: string): void;
  /** Values of a wrong JavaScript type (each must be refused). */
  readonly wrongType: readonly unknown[];
  /** Values of the right type but out of range (each must be refused with a RangeError). */
  readonly outOfRange: readonly unknown[];
  /** Whether a plain object can be a value (then an options object is told apart by its keys). */
  readonly objectValue?: boolean;
  /** Whether JSON cannot carry the kind (functions, transforms in memory): left out of the schema's value checks. */
  readonly runtimeOnly?: boolean;
}

/** One field of a transform. */
export interface Field {
  readonly kind: Kind;
  /** The value when the argument is left out; absent for a required field. */
  readonly default?: Json;
  /** Whether the field must be given. */
  readonly required?: boolean;
  /** One line for the README and the schema's description. */
  readonly doc?: string;
}

/** Everything stated once about a transform. */
export interface Declaration {
  /** The torchvision class name, also the `type` in JSON. */
  readonly name: string;
  /** One line: what it does. */
  readonly summary: string;
  /** The README table's family. */
  readonly family: string;
  /** The fields in torchvision's positional order (all may also be given by name in the options object). */
  readonly positional: readonly string[];
  /** Every field, in toJSON()'s order. */
  readonly fields: Readonly<Record<string, Field>>;
}

/** The arguments a constructor takes for fields `O` and torchvision's positional order `K`: any prefix of the positional values, then optionally an options object. */
export type CtorArgs<O, K extends readonly (keyof O)[]> =
  Prefixes<Values<O, K>> extends infer P ? (P extends unknown[] ? [...P, Partial<O>?] : never) : never;
type Values<O, K extends readonly (keyof O)[]> = { -readonly [I in keyof K]: O[K[I]] | undefined };
type Prefixes<T extends unknown[]> = T extends [...infer H, unknown] ? T | Prefixes<H> : T;

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

/**
 * Reads a constructor's arguments against its declaration: torchvision's positional values,
 * then optionally an options object (any field by name). Refuses unknown keys (with a "did
 * you mean"), a field given twice, extra positionals, null options and missing required
 * fields, checks every given value with its kind, and fills in the declared defaults.
 */
export function parseArgs<T extends object = Record<string, unknown>>(decl: Declaration, args: ArrayLike<unknown>): T {
  const names = Object.keys(decl.fields);
  const pos = decl.positional;
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  let options: Record<string, unknown> | null = null;
  if (n > 0) {
    const last = args[n - 1];
    const at = n - 1;
    const fieldAt = at < pos.length ? decl.fields[pos[at]!] : undefined;
    // Where a field takes plain objects (fill's { image, mask }, ToDtype's dtype), an object is
    // the options when it uses a field name or misspells one.
    const optionsLike = (o: Record<string, unknown>) =>
      Object.keys(o).every((k) => names.includes(k)) || Object.keys(o).some((k) => names.includes(k) || didYouMean(k, names) !== "");
    if (isPlainObject(last) && (!fieldAt?.kind.objectValue || optionsLike(last))) {
      options = last;
      n--;
    } else if (last === null && at >= pos.length) {
      throw new TypeError(`${decl.name} options must be an object (or left out), got null`);
    }
  }
  if (n > pos.length) {
    const takes =
      pos.length === 0
        ? "no positional arguments"
        : `at most ${pos.length} positional argument${pos.length > 1 ? "s" : ""} (${pos.join(", ")})`;
    throw new TypeError(
      `${decl.name} takes ${takes} and an options object, got ${describe(args[pos.length])} as argument ${pos.length + 1}`,
    );
  }
  const out: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    const v = args[i];
    if (isPlainObject(v) && !decl.fields[pos[i]!]!.kind.objectValue)
      throw new TypeError(
        `${decl.name}: the options object must be the last argument, but argument ${i + 2} (${describe(args[i + 1])}) follows it`,
      );
    if (v !== undefined) out[pos[i]!] = v;
  }
  const positional = new Set(Object.keys(out));
  if (options) {
    for (const k of Object.keys(options)) {
      if (!names.includes(k)) {
        const allowed = names.length ? `options: ${names.join(", ")}` : "it takes no options";
        throw new RangeError(`unknown ${decl.name} option "${k}"${didYouMean(k, names)} (${allowed})`);
      }
      const v = options[k];
      if (v === undefined) continue;
      if (k in out) throw new TypeError(`${decl.name}: ${k} given twice (as argument ${pos.indexOf(k) + 1} and in the options object)`);
      out[k] = v;
    }
  }
  const result: Record<string, unknown> = {};
  for (const k of names) {
    const f = decl.fields[k]!;
    if (k in out) {
      if (out[k] === null && positional.has(k)) {
        // A positional null where the kind takes none: most often an options object that was null.
        // (null by name keeps the kind's own error, as fromJSON always gave.)
        try {
          f.kind.check(null, k);
        } catch (e) {
          throw new TypeError(
            `${decl.name} options must be an object (or left out), and ${k} (argument ${pos.indexOf(k) + 1}) cannot be null: ${(e as Error).message}; ${decl.name} takes options { ${names.join(", ")} }${pos.length ? ` or torchvision's positional (${pos.join(", ")})` : ""}`,
          );
        }
      }
      f.kind.check(out[k], k);
      result[k] = out[k];
    } else if (f.required) {
      // The kind's own message ("size must be ..., got undefined") names the field, as fromJSON paths expect.
      try {
        f.kind.check(undefined, k);
      } catch (e) {
        throw new TypeError(
          `${(e as Error).message} (${decl.name} needs ${k}${pos.includes(k) ? ` as argument ${pos.indexOf(k) + 1} or` : ""} in the options object)`,
        );
      }
      throw new TypeError(
        `${k} is required (${decl.name} needs ${k}${pos.includes(k) ? ` as argument ${pos.indexOf(k) + 1} or` : ""} in the options object)`,
      );
    } else {
      result[k] = f.default === undefined ? undefined : structuredClone(f.default);
    }
  }
  return result as T;
}

const known = new Map<Function, Declaration>();

/** Ties a transform class to its declaration (config() and fromJSON read it from there). */
export function declare<C extends Function>(ctor: C, decl: Declaration): C {
  known.set(ctor, decl);
  return ctor;
}

/** The declaration of a transform class, walking up the prototype chain; undefined if none. */
export function declarationOf(ctor: Function): Declaration | undefined {
  for (let c: unknown = ctor; typeof c === "function"; c = Object.getPrototypeOf(c)) {
    const d = known.get(c as Function);
    if (d) return d;
  }
  return undefined;
}

/** The JSON form of a declared transform's fields, read from the instance under the same names. */
export function configOf(decl: Declaration, t: object): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const k of jsonFields(decl)) out[k] = (t as Record<string, Json>)[k]!;
  return out;
}

/** The fields JSON carries (functions and other runtime-only values are not among them). */
export function jsonFields(decl: Declaration): string[] {
  return Object.keys(decl.fields).filter((k) => !decl.fields[k]!.kind.runtimeOnly);
}

/**
 * Declares a transform class: its constructor, config(), fromJSON (by default `new ctor(fields)`,
 * the options-object form), the JSON Schema and the README table all read `decl`.
 */
export function define(ctor: Function, decl: Declaration, create?: TransformSpec["create"]): void {
  declare(ctor, decl);
  const make = create ?? ((f: Record<string, Json>) => new (ctor as unknown as new (o: object) => object)(f));
  register(decl.name, { fields: jsonFields(decl), create: make, declaration: decl });
}

/** How to build one transform type from its JSON fields. */
export interface TransformSpec {
  /** The constructor's JSON fields; any other key is an error. */
  fields: readonly string[];
  /** Builds the transform; `path` is where nested transforms sit, for their errors. */
  create(fields: Record<string, Json>, path: string): object;
  /** The transform's declaration (fields' kinds, defaults, positional order), when it has one. */
  declaration?: Declaration;
}

const registry = new Map<string, TransformSpec>();

/** The spec registered under `type`, if any. */
export function specOf(type: string): TransformSpec | undefined {
  return registry.get(type);
}

/** Makes a transform type known to `fromJSON`; a name already taken is a RangeError (a silent overwrite would change what saved pipelines mean). */
export function register(type: string, spec: TransformSpec): void {
  if (typeof type !== "string" || type === "") throw new TypeError(`register: type must be a non-empty string, got ${describe(type)}`);
  if (registry.has(type))
    throw new RangeError(`register: a transform named ${JSON.stringify(type)} is already registered; pick another name`);
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
