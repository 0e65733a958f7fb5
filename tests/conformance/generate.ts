// Generates tests/conformance/vectors.json from the Node build (the TypeScript sources through tsx):
//
//   npm run conformance:generate            write the file (deliberately: review the diff)
//   npm run conformance:generate -- --check  exit 1 when the committed file differs
//
// The generator FAILS when a registered transform type has no parameterisations in table.ts, so
// every new transform joins the conformance suite. Photos are decoded through lockstep/io and
// downscaled with lockstep's own resize; synthetic inputs are stored as formulas.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as lockstep from "../../src/index.js";
import { decode } from "../../src/io/index.js";
import { buildTargetSample, computeCase, computeDecode, computeTargetCase, registerLambdas, type Case, type DecodeCase, type InputSpec, type Lockstep, type Vectors } from "./compute.js";
import { ADDED, DECODES, KEYS, KEYS_PER_PHOTO, PHOTOS, SYNTHETIC, TABLE, TARGET_KEYS, TARGET_SAMPLES, TARGET_TABLE, TARGETS_ONLY } from "./table.js";

export const VECTORS_FILE = fileURLToPath(new URL("./vectors.json", import.meta.url));
const samples = new URL("../../samples/", import.meta.url);

/** Every transform type named anywhere in a pipeline's JSON. */
export function typesIn(json: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(json)) json.forEach((x) => typesIn(x, into));
  else if (typeof json === "object" && json !== null) {
    const o = json as Record<string, unknown>;
    if (typeof o.type === "string") into.add(o.type);
    for (const v of Object.values(o)) if (typeof v === "object") typesIn(v, into);
  }
  return into;
}

/** Checks the table against registeredTypes(): every type has >= 2 parameterisations, and no stale entries. */
export function checkTable(registered: string[]): void {
  const problems: string[] = [];
  for (const t of registered) {
    if (TARGETS_ONLY.includes(t)) {
      const n = TARGET_TABLE.filter((r) => typesIn(r.json).has(t)).length;
      if (n < 2) problems.push(`transform "${t}" needs targets and has ${n} pipelines in TARGET_TABLE (needs at least 2)`);
      continue;
    }
    const rows = TABLE[t];
    if (!rows || rows.length < 2) {
      problems.push(`transform "${t}" is registered but has ${rows?.length ?? 0} parameterisations in tests/conformance/table.ts (needs at least 2)`);
      continue;
    }
    rows.forEach((row, i) => {
      if (!typesIn(row).has(t)) problems.push(`TABLE.${t}[${i}] does not use ${t}`);
    });
  }
  for (const t of Object.keys(TABLE)) if (!registered.includes(t)) problems.push(`TABLE.${t}: no transform "${t}" is registered (renamed or removed?)`);
  for (const t of ADDED) if (!registered.includes(t)) problems.push(`ADDED: no transform "${t}" is registered`);
  if (problems.length) throw new Error(`conformance table out of date:\n  - ${problems.join("\n  - ")}\nAdd parameterisations, then run \`npm run conformance:generate\`.`);
}

function toBase64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("base64");
}

/** Builds the vectors (inputs, pipelines, cases with their answers) from the current sources. */
export async function generateVectors(): Promise<Vectors> {
  await lockstep.ready();
  const lib = lockstep as unknown as Lockstep;
  registerLambdas(lib);
  const registered = lockstep.registeredTypes();
  checkTable(registered);

  const inputs: Record<string, InputSpec> = {};
  for (const p of PHOTOS) {
    const img = await decode(readFileSync(new URL(p.file, samples)));
    const small = lockstep.F.resize(img, p.size, { interpolation: "bilinear", antialias: true });
    inputs[p.name] = { width: small.width, height: small.height, channels: small.channels, source: `samples/${p.file} (${img.width}x${img.height}) decoded by lockstep/io, resized to ${small.width}x${small.height} (bilinear, antialias)`, base64: toBase64(small.data) };
  }
  SYNTHETIC.forEach((s, i) => (inputs[s.name] = { width: s.width, height: s.height, channels: s.channels, synthetic: i }));
  const names = Object.keys(inputs);
  const images = (await import("./compute.js")).decodeInputs({ inputs });

  const pipelines: Vectors["pipelines"] = [];
  // Types in ADDED come last, so the cases of the earlier ones keep their numbers and keys.
  const order = [...registered.filter((t) => !ADDED.includes(t)), ...ADDED];
  for (const t of order) (TABLE[t] ?? []).forEach((json, k) => pipelines.push({ name: `${t}#${k}`, transform: t, json }));
  const imagePipelines = pipelines.length;
  for (const r of TARGET_TABLE) pipelines.push({ name: `targets:${r.name}`, transform: [...typesIn(r.json)].filter((t) => t !== "Compose").join("+"), json: r.json });

  const cases: Case[] = [];
  let rot = 0;
  for (const [j, p] of pipelines.slice(0, imagePipelines).entries()) {
    let t: ReturnType<Lockstep["fromJSON"]>;
    try {
      t = lib.fromJSON(p.json);
    } catch (e) {
      throw new Error(`conformance table: ${p.name} is not a valid pipeline: ${(e as Error).message}`);
    }
    let ok = 0;
    for (const name of names) {
      const nkeys = t.random && inputs[name]!.base64 !== undefined ? KEYS_PER_PHOTO : 1;
      for (let k = 0; k < nkeys; k++) {
        const [seed, epoch, index] = KEYS[(rot + k * 3) % KEYS.length]!;
        const got = await computeCase(lib, t, images.get(name)!, { seed, epoch, index });
        const c: Case = { pipeline: j, input: name, seed, epoch, index };
        if (got.error !== undefined) c.error = got.error;
        else {
          ok++;
          Object.assign(c, { out: got.out, params: got.params, sha256: got.sha256 });
        }
        cases.push(c);
      }
      rot++;
    }
    if (ok < 3) throw new Error(`conformance table: ${p.name} succeeds on only ${ok} cases; give it parameters that fit the inputs`);
  }
  // Target cases: each target pipeline on its samples under TARGET_KEYS keys.
  const targetCases: Case[] = [];
  TARGET_TABLE.forEach((r, k) => {
    r.samples.forEach((name, si) => {
      for (let q = 0; q < TARGET_KEYS; q++) {
        const [seed, epoch, index] = KEYS[(k + si * 2 + q * 3) % KEYS.length]!;
        targetCases.push({ pipeline: imagePipelines + k, input: name, seed, epoch, index });
      }
    });
  });
  for (const c of targetCases) {
    const t = lib.fromJSON(pipelines[c.pipeline]!.json);
    const got = await computeTargetCase(t, buildTargetSample(TARGET_SAMPLES[c.input]!, images), c);
    if (got.error !== undefined) c.error = got.error;
    else Object.assign(c, { out: got.out, params: got.params, sha256: got.sha256, targets: got.targets });
  }
  for (const [k, r] of TARGET_TABLE.entries()) {
    const cs = targetCases.filter((c) => c.pipeline === imagePipelines + k);
    const refuse = r.name.startsWith("refuse-");
    if (refuse ? cs.some((c) => !c.error) : cs.filter((c) => !c.error).length < 3) throw new Error(`conformance table: target pipeline ${r.name} ${refuse ? "must refuse every sample" : "succeeds on fewer than 3 cases"}: ${JSON.stringify(cs.find((c) => c.error && !refuse) ?? cs[0])}`);
  }
  return {
    about: "lockstep conformance vectors: every case must give these bytes on every platform. Generated by `npm run conformance:generate` (tests/conformance/generate.ts); do not edit by hand.",
    version: 1,
    inputs,
    pipelines,
    cases,
    targetSamples: TARGET_SAMPLES,
    targetCases,
    decodes: await generateDecodes({ ...lib, decode: decode as never }),
  };
}

/** The decode cases of {@link DECODES}: each file (damaged as listed) in each mode. */
async function generateDecodes(lib: Lockstep): Promise<DecodeCase[]> {
  const root = new URL("../../", import.meta.url);
  const out: DecodeCase[] = [];
  for (const d of DECODES) {
    let bytes = new Uint8Array(readFileSync(new URL(d.file, root)));
    let name = d.file.replace(/^tests\/codec\//, "");
    if (d.cut !== undefined) {
      bytes = bytes.slice(0, d.cut);
      name += ` cut at ${d.cut}`;
    }
    if (d.flip !== undefined) {
      bytes = bytes.slice();
      bytes[d.flip]! ^= 0x40;
      name += ` byte ${d.flip} flipped`;
    }
    for (const mode of d.modes) {
      const c: DecodeCase = { name, base64: toBase64(bytes), mode, orient: d.orient ?? false };
      const got = await computeDecode(lib, c);
      if (got.error !== undefined) c.error = got.error;
      else Object.assign(c, { out: got.out, sha256: got.sha256 });
      out.push(c);
    }
  }
  return out;
}

/** The file's text: one line per input, pipeline and case, so diffs stay readable. */
export function serialize(v: Vectors): string {
  const lines: string[] = ["{"];
  lines.push(`"about": ${JSON.stringify(v.about)},`);
  lines.push(`"version": ${v.version},`);
  const ins = Object.entries(v.inputs).map(([k, s]) => `  ${JSON.stringify(k)}: ${JSON.stringify(s)}`);
  lines.push(`"inputs": {\n${ins.join(",\n")}\n},`);
  lines.push(`"pipelines": [\n${v.pipelines.map((p) => "  " + JSON.stringify(p)).join(",\n")}\n],`);
  lines.push(`"cases": [\n${v.cases.map((c) => "  " + JSON.stringify(c)).join(",\n")}\n],`);
  if (v.targetSamples && v.targetCases) {
    const ts = Object.entries(v.targetSamples).map(([k, s]) => `  ${JSON.stringify(k)}: ${JSON.stringify(s)}`);
    lines.push(`"targetSamples": {\n${ts.join(",\n")}\n},`);
    lines.push(`"targetCases": [\n${v.targetCases.map((c) => "  " + JSON.stringify(c)).join(",\n")}\n],`);
  }
  lines.push(`"decodes": [\n${(v.decodes ?? []).map((c) => "  " + JSON.stringify(c)).join(",\n")}\n]`);
  lines.push("}");
  return lines.join("\n") + "\n";
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = serialize(await generateVectors());
  if (process.argv.includes("--check")) {
    let old = "";
    try {
      old = readFileSync(VECTORS_FILE, "utf8");
    } catch {}
    if (old !== text) {
      console.error("tests/conformance/vectors.json differs from the generator's output; run `npm run conformance:generate` if the change is deliberate");
      process.exit(1);
    }
    console.log("tests/conformance/vectors.json is up to date");
  } else {
    writeFileSync(VECTORS_FILE, text);
    const v = JSON.parse(text) as Vectors;
    console.log(`wrote ${VECTORS_FILE}: ${v.pipelines.length} pipelines, ${Object.keys(v.inputs).length} inputs, ${v.cases.length} cases (${v.cases.filter((c) => c.error).length} expected errors), ${v.targetCases?.length ?? 0} target cases, ${v.decodes?.length ?? 0} decodes, ${(text.length / 1024).toFixed(0)} KiB`);
  }
}
