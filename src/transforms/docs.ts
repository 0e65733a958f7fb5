// What the declarations say, written out: the JSON Schema of pipeline JSON (shipped as
// lockstep/schema.json, written at build by scripts/bundle.mjs) and the README's table of
// transforms. tests/declarations.test.ts checks both against a fresh generation.
import type { Json } from "./base.js";
import type { Declaration, JsonSchema } from "./declare.js";
import { declarations } from "./declare.js";
import "./index.js";

/** The JSON Schema (draft 2020-12) of a pipeline: one transform object, or a list of them (a Compose). */
export function pipelineSchema(decls: readonly Declaration[] = declarations()): JsonSchema {
  const defs: Record<string, Json> = {};
  for (const d of decls) {
    const properties: Record<string, Json> = { type: { const: d.name } };
    const required = ["type"];
    for (const [k, f] of Object.entries(d.fields)) {
      if (f.kind.runtimeOnly) continue;
      const p: JsonSchema = { ...f.kind.schema, description: f.doc ?? f.kind.text.replace(/`/g, "") };
      if (f.default !== undefined) p.default = f.default;
      properties[k] = p;
      if (f.required) required.push(k);
    }
    defs[d.name] = {
      type: "object",
      description: `${d.name}: ${d.summary.replace(/`/g, "")}`,
      properties,
      required,
      additionalProperties: false,
    };
  }
  defs.transform = { oneOf: decls.map((d) => ({ $ref: `#/$defs/${d.name}` })) };
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "lockstep pipeline",
    description:
      "What Transform.toJSON() writes and fromJSON() reads: a transform object, or a list of them (a Compose). Generated from the transforms' declarations (src/transforms/declare.ts).",
    anyOf: [{ $ref: "#/$defs/transform" }, { type: "array", items: { $ref: "#/$defs/transform" } }],
    $defs: defs,
  };
}

/** lockstep/schema.json's text. */
export function pipelineSchemaText(): string {
  return JSON.stringify(pipelineSchema(), null, 2) + "\n";
}

const cell = (s: string): string => s.replace(/\|/g, "\\|");

/** A field as the README states it: `name` kind = default. */
function fieldText(name: string, d: Declaration): string {
  const f = d.fields[name]!;
  const dflt = f.required ? " (required)" : f.default === undefined ? "" : ` = \`${JSON.stringify(f.default)}\``;
  return `\`${name}\`: ${f.kind.text}${dflt}`;
}

/** The README's table of transforms, one row per declaration, grouped by family. */
export function transformsTable(decls: readonly Declaration[] = declarations()): string {
  const rows = [...decls].sort((a, b) => a.family.localeCompare(b.family) || a.name.localeCompare(b.name));
  const lines = [
    "| transform | torchvision's positional order | fields (any also by name, in an options object) | what it does |",
    "|---|---|---|---|",
  ];
  for (const d of rows) {
    const pos = d.positional.length ? `\`(${d.positional.join(", ")})\`` : "none";
    const fields =
      Object.keys(d.fields)
        .map((k) => fieldText(k, d))
        .join("; ") || "none";
    lines.push(`| \`${d.name}\` (${d.family}) | ${pos} | ${cell(fields)} | ${cell(d.summary)} |`);
  }
  return lines.join("\n") + "\n";
}

/** The README markers around the generated table. */
export const TABLE_BEGIN =
  "<!-- transforms:begin (generated from the declarations by `npx tsx scripts/declarations.ts`; do not edit by hand) -->";
export const TABLE_END = "<!-- transforms:end -->";
