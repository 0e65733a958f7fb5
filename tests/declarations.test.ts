// The transforms' declarations (src/transforms/declare.ts) drive their constructors, toJSON,
// fromJSON, lockstep/schema.json and the README's table. These tests are generated from the
// declarations: every constructor gets every field with a wrong type, out of range, under a
// misspelled key, plus extra positionals and null options, and must refuse each with a
// TypeError/RangeError naming the argument. torchvision's positional forms must give
// torchvision's behaviour: the conformance vectors' bytes and params (themselves pinned to
// torchvision by the parity fixtures) and the params of the examples.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readFileSync } from "node:fs";
import * as lib from "../src/index.js";
import { declarations } from "../src/transforms/declare.js";
import { declarationOf, type Declaration } from "../src/transforms/declare.js";
import { fnDeclarationOf } from "../src/functional/declare.js";
import { pipelineSchemaText, TABLE_BEGIN, TABLE_END, transformsTable } from "../src/transforms/docs.js";
import { computeCase, decodeInputs, registerLambdas, type Lockstep, type Vectors } from "./conformance/compute.js";
import { VECTORS_FILE } from "./conformance/generate.js";
import { rejects } from "./helpers/check.js";

await lib.ready();
registerLambdas(lib as unknown as Lockstep);
const vectors = JSON.parse(readFileSync(VECTORS_FILE, "utf8")) as Vectors;
const root = new URL("../", import.meta.url);

type Ctor = new (...args: unknown[]) => lib.Transform;
const ctorOf = (name: string): Ctor => (lib as unknown as Record<string, Ctor>)[name]!;

/**
 * A valid options object per transform: a conformance pipeline of that type, rebuilt by fromJSON,
 * its fields read back (children as instances; Lambda's runtime-only fn given).
 */
function validOptions(d: Declaration): Record<string, unknown> {
  const found = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(found).find((x) => x !== undefined);
    if (typeof v !== "object" || v === null) return undefined;
    if ((v as { type?: unknown }).type === d.name) return v;
    return found((v as { transforms?: unknown }).transforms);
  };
  const json = vectors.pipelines.map((p) => found(p.json)).find((x) => x !== undefined);
  assert.ok(json, `${d.name} is in a conformance pipeline`);
  const t = lib.fromJSON(json as lib.Json) as lib.Transform & { transforms?: lib.Transform[]; fn?: unknown };
  const o: Record<string, unknown> = { ...t.toJSON() };
  delete o.type;
  if ("transforms" in d.fields) o.transforms = t.transforms;
  if (d.name === "Lambda") o.fn = t.fn;
  return o;
}

/** Whether `k`'s kind takes null (then null there is a value, not a refused options object). */
const takesNull = (d: Declaration, k: string): boolean => {
  try {
    d.fields[k]!.kind.check(null, k);
    return true;
  } catch {
    return false;
  }
};

/** The positional form of `o`: torchvision's order, then what is left as options. */
function positionalForm(d: Declaration, o: Record<string, unknown>): unknown[] {
  const args = d.positional.map((k) => o[k]);
  const rest = Object.fromEntries(Object.entries(o).filter(([k]) => !d.positional.includes(k)));
  return Object.keys(rest).length ? [...args, rest] : args;
}

/** A misspelling of `k`: its last letter dropped (or doubled when short). */
const misspell = (k: string): string => (k.length > 3 ? k.slice(0, -1) : k + k.slice(-1));

const decls = declarations();

test("every registered transform is declared, and the declarations cover every constructor field", () => {
  assert.is(decls.length, lib.registeredTypes().length);
  for (const d of decls) {
    assert.ok(typeof ctorOf(d.name) === "function", `${d.name} is exported`);
    assert.is(declarationOf(ctorOf(d.name)), d, `${d.name}'s class reads its declaration`);
    for (const k of d.positional) assert.ok(k in d.fields, `${d.name}: positional ${k} is a field`);
  }
});

for (const d of decls) {
  test(`${d.name}: the options object and torchvision's positional form build the same transform; bad arguments are refused by name`, () => {
    const C = ctorOf(d.name);
    const o = validOptions(d);
    const json = JSON.stringify(new C(o).toJSON());
    assert.is(JSON.stringify(new C(...positionalForm(d, o)).toJSON()), json, "positional form");
    // Every prefix of the positional values, the rest by name.
    for (let n = 0; n <= d.positional.length; n++) {
      const head = d.positional.slice(0, n).map((k) => o[k]);
      const rest = Object.fromEntries(Object.entries(o).filter(([k]) => !d.positional.slice(0, n).includes(k)));
      assert.is(JSON.stringify(new C(...head, rest).toJSON()), json, `${n} positional values, then options`);
    }
    for (const [k, f] of Object.entries(d.fields)) {
      for (const v of f.kind.wrongType) {
        rejects(() => new C({ ...o, [k]: v }), Error, new RegExp(`\\b${k}\\b`));
        const e = (() => {
          try {
            new C({ ...o, [k]: v });
          } catch (err) {
            return err;
          }
        })();
        assert.ok(e instanceof TypeError || e instanceof RangeError, `${d.name}.${k} = ${String(v)}: a TypeError or RangeError`);
      }
      for (const v of f.kind.outOfRange) rejects(() => new C({ ...o, [k]: v }), RangeError, new RegExp(`\\b${k}\\b`));
      const typo = misspell(k);
      if (!(typo in d.fields))
        rejects(() => new C({ ...o, [typo]: o[k] }), RangeError, new RegExp(`unknown ${d.name} option "${typo}".*did you mean "${k}"`));
    }
    rejects(() => new C({ ...o, bogus: 1 }), RangeError, new RegExp(`unknown ${d.name} option "bogus"`));
    const full = d.positional.map((k) => o[k]);
    rejects(
      () => new C(...full, 7, {}),
      TypeError,
      new RegExp(`${d.name} takes (at most ${d.positional.length} positional argument|no positional arguments)`),
    );
    rejects(() => new C(...full, null), TypeError, /null/);
    if (d.positional.length && !takesNull(d, d.positional[0]!))
      rejects(() => new C(null), TypeError, new RegExp(`\\b${d.positional[0]}\\b`));
    const given = d.positional[0];
    if (given !== undefined && !f0(d).kind.objectValue)
      rejects(() => new C(o[given], { [given]: o[given] }), TypeError, new RegExp(`${given} given twice`));
  });
}

const f0 = (d: Declaration) => d.fields[d.positional[0]!]!;

test("MixUp and CutMix (keyword-only) refuse positionals, unknown and misspelled keys", () => {
  for (const C of [lib.MixUp, lib.CutMix]) {
    const d = declarationOf(C)!;
    assert.is(new C({ alpha: 0.5 }).alpha, 0.5);
    rejects(() => new (C as unknown as Ctor)(0.5), TypeError, new RegExp(`${d.name} takes no positional arguments`));
    rejects(() => new C({ alph: 0.5 } as never), RangeError, /did you mean "alpha"/);
    rejects(() => new C({ alpha: "1" } as never), RangeError, /alpha/);
    rejects(() => new C(null as never), TypeError, /null/);
  }
});

test("torchvision's positional forms give the conformance vectors' bytes and params", async () => {
  const inputs = decodeInputs(vectors);
  let checked = 0;
  const types = new Set<string>();
  const expected = new Set(vectors.pipelines.map((p) => (p.json as { type: string }).type).filter((t) => t !== "Lambda"));
  for (const c of vectors.cases) {
    const p = vectors.pipelines[c.pipeline]!;
    const d = decls.find((x) => x.name === (p.json as { type?: string }).type);
    if (!d || d.name === "Lambda" || c.error !== undefined) continue;
    const t = lib.fromJSON(p.json as lib.Json) as lib.Transform & { transforms?: lib.Transform[] };
    const o: Record<string, unknown> = { ...t.toJSON() };
    delete o.type;
    if (t.transforms) o.transforms = t.transforms;
    const built = new (ctorOf(d.name))(...positionalForm(d, o));
    const got = await computeCase(lib as unknown as Lockstep, built as never, inputs.get(c.input)!, c);
    assert.is(got.error, undefined, `${p.name}: ${String(got.message)}`);
    assert.is(got.sha256, c.sha256, `${p.name}/${c.input}: bytes`);
    assert.equal(got.params, c.params, `${p.name}/${c.input}: params`);
    checked++;
    types.add(d.name);
  }
  assert.equal([...types].sort(), [...expected].sort(), `positional forms of every top-level transform type checked (${checked} cases)`);
});

test("the issue's examples behave like torchvision", () => {
  const img = { width: 20, height: 16, channels: 3 as const, data: new Uint8Array(20 * 16 * 3) };
  // CIFAR's RandomCrop(32, 4): padding 4 on every side.
  const crop = new lib.RandomCrop(32, 4);
  assert.equal(crop.padding, [4, 4, 4, 4]);
  assert.equal(
    crop.sample({ width: 32, height: 32 }, { seed: 1 }),
    new lib.RandomCrop(32, { padding: 4 }).sample({ width: 32, height: 32 }, { seed: 1 }),
  );
  assert.is(new lib.Resize(256, "bicubic").interpolation, "bicubic");
  assert.is(new lib.RandomRotation(30, "bilinear").interpolation, "bilinear");
  const affine = new lib.RandomAffine([-30, 30], [0.1, 0.1], [0.8, 1.2], 10);
  assert.equal(
    [affine.degrees, affine.translate, affine.scale, affine.shear],
    [
      [-30, 30],
      [0.1, 0.1],
      [0.8, 1.2],
      [-10, 10],
    ],
  );
  assert.is(new lib.RandomHorizontalFlip({ p: 0.3 }).p, 0.3);
  assert.is(new lib.RandomHorizontalFlip(0.3).p, 0.3);
  rejects(
    () => new lib.RandomAffine(10, { translat: [0.1, 0.1] } as never),
    RangeError,
    /unknown RandomAffine option "translat" \(did you mean "translate"\?\)/,
  );
  rejects(() => new lib.ColorJitter({ brightnes: 0.4 } as never), RangeError, /did you mean "brightness"/);
  // apply / sample / replay options: unknown keys and null are refused by name.
  const flip = new lib.RandomHorizontalFlip();
  rejects(() => flip.apply(img, { seed: 1, index: 0, bogus: 1 } as never), RangeError, /unknown options key "bogus"/);
  rejects(() => flip.apply(img, { seed: 1, indx: 0 } as never), RangeError, /unknown options key "indx" \(did you mean "index"\?\)/);
  rejects(() => flip.apply(img, null as never), TypeError, /options must be an object/);
  rejects(() => flip.sample(img, { seed: 1, out: new Uint8Array(1) } as never), RangeError, /unknown options key "out"/);
  const { record } = flip.applyWithRecord(img, { seed: 1 });
  rejects(
    () => flip.replay(img, record, { outt: null } as never),
    RangeError,
    /unknown replay options key "outt" \(did you mean "out"\?\)/,
  );
  // A bare list in fromJSON is a Compose.
  const pipe = lib.fromJSON([{ type: "RandomHorizontalFlip", p: 1 }]);
  assert.is(pipe.type, "Compose");
  assert.equal(pipe.apply(img, { seed: 0 }), lib.F.hflip(img));
});

const fns = Object.entries(lib.F).filter(([, f]) => typeof f === "function" && fnDeclarationOf(f)) as [
  string,
  (...a: unknown[]) => unknown,
][];

test("every F.* function is declared", () => {
  const undeclared = Object.entries(lib.F)
    .filter(([, f]) => typeof f === "function" && !fnDeclarationOf(f))
    .map(([k]) => k);
  assert.equal(undeclared, []);
  assert.ok(fns.length >= 30, `${fns.length} functional ops`);
});

for (const [name, f] of fns) {
  test(`F.${name}: unknown and misspelled options, extra positionals, null options and fields given twice are refused by name`, () => {
    const d = fnDeclarationOf(f)!;
    const zeros = (n: number) => new Array<number>(n).fill(0);
    rejects(() => f(...zeros(d.positional.length), { bogus: 1 }), RangeError, new RegExp(`F\\.${name}: unknown option "bogus"`));
    rejects(
      () => f(...zeros(d.positional.length), 7),
      TypeError,
      new RegExp(`F\\.${name} takes at most ${d.positional.length} positional`),
    );
    rejects(() => f(...zeros(d.positional.length), null), TypeError, /options must be an object/);
    const allowed = [...d.positional.slice(d.implPositional), ...d.options];
    for (const k of allowed) {
      const typo = misspell(k);
      if (!allowed.includes(typo))
        rejects(
          () => f(...zeros(d.implPositional), { [typo]: 0 }),
          RangeError,
          new RegExp(`unknown option "${typo}" \\(did you mean "${k}"\\?\\)`),
        );
    }
    d.positional.forEach((k, i) => {
      if (i >= d.implPositional) rejects(() => f(...zeros(i + 1), { [k]: 0 }), TypeError, new RegExp(`${k} given twice`));
    });
  });
}

test("F.*: torchvision's positional calls equal the options calls", () => {
  const img = { width: 12, height: 9, channels: 3 as const, data: Uint8Array.from({ length: 12 * 9 * 3 }, (_, i) => (i * 37) % 251) };
  const warped = lib.F.affine(img, 30, [1, 0], 1.2, [0, 0]);
  assert.equal(warped, lib.F.affine(img, { angle: 30, translate: [1, 0], scale: 1.2, shear: [0, 0] }));
  assert.not.equal(warped.data, img.data, "the image is warped, not returned unchanged");
  assert.equal(
    lib.F.affine(img, 10, [0, 0], 1, 5, "bilinear", 9, [3, 4]),
    lib.F.affine(img, { angle: 10, translate: [0, 0], scale: 1, shear: 5, interpolation: "bilinear", fill: 9, center: [3, 4] }),
  );
  assert.equal(
    lib.F.rotate(img, 30, "bilinear", true, null, 7),
    lib.F.rotate(img, 30, { interpolation: "bilinear", expand: true, fill: 7 }),
  );
  assert.equal(lib.F.pad(img, 2, 7, "reflect"), lib.F.pad(img, 2, { fill: 7, paddingMode: "reflect" }));
  assert.equal(lib.F.resize(img, 6, "bicubic"), lib.F.resize(img, 6, { interpolation: "bicubic" }));
  assert.not.equal(lib.F.resize(img, 6, "bicubic").data, lib.F.resize(img, 6).data);
  assert.equal(
    lib.F.resizedCrop(img, 1, 2, 5, 6, 4, "nearest", false),
    lib.F.resizedCrop(img, 1, 2, 5, 6, 4, { interpolation: "nearest", antialias: false }),
  );
  assert.equal(lib.F.tenCrop(img, 4, true), lib.F.tenCrop(img, 4, { verticalFlip: true }));
  const corners: [number, number][] = [
    [0, 0],
    [11, 0],
    [11, 8],
    [0, 8],
  ];
  const moved: [number, number][] = [
    [1, 0],
    [10, 1],
    [11, 7],
    [0, 8],
  ];
  assert.equal(
    lib.F.perspective(img, corners, moved, "nearest", 3),
    lib.F.perspective(img, corners, moved, { interpolation: "nearest", fill: 3 }),
  );
  const t = lib.F.toTensor(img);
  assert.equal(lib.F.normalize(t, [0.5], [0.25], false), lib.F.normalize(t, [0.5], [0.25], { inplace: false }));
  assert.equal(lib.F.erase(t, 1, 1, 2, 2, 0.5, false), lib.F.erase(t, 1, 1, 2, 2, 0.5, { inplace: false }));
  assert.equal(
    lib.F.gaussianNoise(t, 0.1, 0.2, false, { key: [1, 2] }),
    lib.F.gaussianNoise(t, { key: [1, 2], mean: 0.1, sigma: 0.2, clip: false }),
  );
});

test("register() refuses a name already taken", async () => {
  const { register } = await import("../src/transforms/declare.js");
  rejects(() => register("RandomCrop", { fields: [], create: () => new lib.Identity() }), RangeError, /"RandomCrop" is already registered/);
  assert.ok(lib.fromJSON({ type: "RandomCrop", size: 4 }) instanceof lib.RandomCrop);
});

test("README's transforms table is the declarations' (npx tsx scripts/declarations.ts rewrites it)", () => {
  const text = readFileSync(new URL("README.md", root), "utf8");
  const a = text.indexOf(TABLE_BEGIN);
  const b = text.indexOf(TABLE_END);
  assert.ok(a >= 0 && b > a, "README.md has the transforms:begin/end markers");
  assert.fixture(text.slice(a + TABLE_BEGIN.length + 1, b), transformsTable());
});

test("lockstep/schema.json (dist/schema.json, written at build) is the declarations' schema, and describes every conformance pipeline", () => {
  const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as { exports: Record<string, unknown> };
  assert.is(pkg.exports["./schema.json"], "./dist/schema.json");
  const built = new URL("dist/schema.json", root);
  assert.ok(existsSync(built), "dist/schema.json exists: run npm run build:ts");
  assert.fixture(readFileSync(built, "utf8"), pipelineSchemaText());
  // The schema's own structure against real pipelines (no validator dependency): every object
  // with a `type` names a definition, its keys are the definition's properties, its required keys present.
  const schema = JSON.parse(pipelineSchemaText()) as { $defs: Record<string, { properties: Record<string, unknown>; required: string[] }> };
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (typeof v !== "object" || v === null || typeof (v as { type?: unknown }).type !== "string") return;
    const o = v as Record<string, unknown>;
    const def = schema.$defs[o.type as string];
    assert.ok(def, `schema defines ${String(o.type)}`);
    for (const k of Object.keys(o)) assert.ok(k in def!.properties, `${String(o.type)}.${k} is in the schema`);
    for (const k of def!.required) assert.ok(k in o, `${String(o.type)}.${k} is present`);
    if (Array.isArray(o.transforms)) o.transforms.forEach(walk);
  };
  for (const p of vectors.pipelines) walk(p.json);
});

test.run();
