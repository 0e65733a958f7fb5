// The conformance vector file (tests/conformance/vectors.json): it is exactly what the generator
// makes from the current sources, it covers every registered transform, and the comparison that
// every platform runs (tests/platforms.test.ts) catches a wrong byte, wrong params or a missing error,
// on the wasm rows and on the WebGPU rows (Dawn on SwiftShader here: tests/helpers/gpu-env.ts).
import "./helpers/gpu-env.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import * as lockstep from "../src/index.js";
import { setAdapterFactory } from "../src/gpu/index.js";
import { decode } from "../src/io/index.js";
import { caseName, runVectors, type Lockstep, type Vectors } from "./conformance/compute.js";
import { VECTORS_FILE, checkTable, generateVectors, serialize, typesIn } from "./conformance/generate.js";

await lockstep.ready();
const committedText = readFileSync(VECTORS_FILE, "utf8");
const committed = JSON.parse(committedText) as Vectors;

test("every registered transform has parameterisations in tests/conformance/table.ts", () => {
  checkTable(lockstep.registeredTypes());
});

test("the committed vectors are exactly the generator's output (regenerate deliberately: npm run conformance:generate)", async () => {
  const fresh = await generateVectors();
  if (serialize(fresh) === committedText) return;
  const problems: string[] = [];
  if (JSON.stringify(fresh.inputs) !== JSON.stringify(committed.inputs)) problems.push("the inputs differ");
  if (JSON.stringify(fresh.pipelines) !== JSON.stringify(committed.pipelines))
    problems.push(`the pipelines differ (${fresh.pipelines.length} now, ${committed.pipelines.length} committed)`);
  const n = Math.max(fresh.cases.length, committed.cases.length);
  let differ = 0;
  let first = "";
  for (let i = 0; i < n; i++) {
    const a = fresh.cases[i],
      b = committed.cases[i];
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      differ++;
      first ||= `case ${i} ${b ? caseName(committed, b) : caseName(fresh, a!)}:\n    committed ${JSON.stringify(b)}\n    now       ${JSON.stringify(a)}`;
    }
  }
  if (differ) problems.push(`${differ} of ${n} cases differ; first: ${first}`);
  assert.unreachable(
    `tests/conformance/vectors.json is out of date: ${problems.join("; ") || "formatting differs"}.\nIf the change in output is deliberate, run \`npm run conformance:generate\` and commit the new file.`,
  );
});

test("the vectors cover every transform, channel count, awkward sizes and keys", () => {
  const inputs = Object.values(committed.inputs);
  for (const c of [1, 3, 4]) {
    assert.ok(
      inputs.some((i) => i.width === 1 && i.height === 1 && i.channels === c),
      `a 1x1 input with ${c} channels`,
    );
    assert.ok(
      inputs.some((i) => i.width % 2 === 1 && i.width > 1 && i.channels === c),
      `an odd-width input with ${c} channels`,
    );
  }
  assert.ok(inputs.filter((i) => i.base64 && i.source?.startsWith("samples/")).length >= 4, "the sample photos");
  for (const type of lockstep.registeredTypes()) {
    const ps = committed.pipelines.map((p, i) => [p, i] as const).filter(([p]) => typesIn(p.json).has(type));
    assert.ok(
      ps.filter(([p]) => p.transform === type || p.name.startsWith("targets:")).length >= 2,
      `${type}: at least 2 parameterisations`,
    );
    const cases = [...committed.cases, ...(committed.targetCases ?? [])].filter((c) => ps.some(([, i]) => i === c.pipeline) && !c.error);
    assert.ok(cases.length >= 6, `${type}: ${cases.length} cases`);
    assert.ok(new Set(cases.map((c) => `${c.seed}:${c.epoch}:${c.index}`)).size >= 3, `${type}: several keys`);
  }
  const seeds = committed.cases.map((c) => c.seed);
  assert.ok(
    seeds.includes("18446744073709551615") && seeds.some((s) => typeof s === "string" && BigInt(s) > 2n ** 53n),
    "seeds beyond 2^53 up to 2^64 - 1",
  );
  assert.ok(
    committed.cases.some((c) => c.epoch > 2 ** 32) && committed.cases.some((c) => c.index > 2 ** 32),
    "epochs and indices beyond 2^32",
  );
  assert.ok(
    committed.cases.filter((c) => c.out?.startsWith("tensor")).length > 100 &&
      committed.cases.filter((c) => c.out?.startsWith("image")).length > 500,
    "images and tensors",
  );
  const tc = committed.targetCases ?? [];
  const kinds = new Set(
    Object.values(committed.targetSamples ?? {}).flatMap((s) =>
      [
        s.boxes && `boxes ${s.boxes.format}`,
        s.masks && `mask ${s.masks.dtype} ${s.masks.shape.length}d`,
        s.keypoints && "keypoints",
        s.layout,
      ].filter(Boolean),
    ),
  );
  for (const k of ["boxes XYXY", "boxes XYWH", "boxes CXCYWHR", "mask u8 2d", "mask u8 3d", "mask i32 2d", "keypoints", "dict", "tuple"])
    assert.ok(kinds.has(k), `target samples cover ${k}`);
  assert.ok(
    tc.filter((c) => !c.error && c.targets).length >= 120 && tc.some((c) => c.error),
    "target cases with hashed targets, and refused ones",
  );
  const tensor = tc.filter((c) => !c.error && (committed.pipelines[c.pipeline]!.json as { semantics?: string }).semantics === "tensor");
  assert.ok(tensor.length >= 12, `target cases under both semantics (${tensor.length} under "tensor")`);
});

test("the comparison catches a wrong hash, wrong params, a wrong shape and a missing error", async () => {
  const pick = (f: (c: Vectors["cases"][number]) => boolean) => committed.cases.findIndex(f);
  const tamper = (i: number, change: (c: Record<string, unknown>) => void) => {
    const v = JSON.parse(committedText) as Vectors;
    change(v.cases[i] as unknown as Record<string, unknown>);
    return v;
  };
  const random = pick((c) => c.params !== null && !c.error && c.input === "chelsea");
  const erroring = pick((c) => c.error !== undefined);
  const variants: [string, Vectors, number][] = [
    ["hash", tamper(random, (c) => (c.sha256 = "0".repeat(64))), random],
    ["params", tamper(random, (c) => (c.params = [{ nope: 1 }])), random],
    ["shape", tamper(random, (c) => (c.out = "image 1x1x1")), random],
    [
      "error",
      tamper(erroring, (c) => (delete c.error, Object.assign(c, { out: "image 1x1x1", params: null, sha256: "0".repeat(64) }))),
      erroring,
    ],
  ];
  for (const [what, v, i] of variants) {
    const s = await runVectors(
      lockstep as unknown as Lockstep,
      { ...v, cases: v.cases.slice(Math.max(0, i - 3), i + 3), targetCases: [], decodes: [] },
      { platform: "node" },
    );
    assert.is(s.mismatches, 1, `a wrong ${what} is one mismatch`);
    assert.is(s.first?.case.sha256, v.cases[i]!.sha256, `the first mismatch is the tampered case (${what})`);
    assert.ok(s.first?.pipeline, "the mismatch names its pipeline");
  }
  // decode cases: a wrong hash, a wrong shape, a missing error; and a runner without decode fails them all
  const d = committed.decodes!;
  const good = d.findIndex((x) => !x.error),
    bad = d.findIndex((x) => x.error);
  const tamperDecode = (i: number, change: (c: Record<string, unknown>) => void) => {
    const v = JSON.parse(committedText) as Vectors;
    change(v.decodes![i] as unknown as Record<string, unknown>);
    return { ...v, cases: [], targetCases: [], decodes: v.decodes!.slice(Math.max(0, i - 2), i + 2) };
  };
  for (const v of [
    tamperDecode(good, (c) => (c.sha256 = "0".repeat(64))),
    tamperDecode(good, (c) => (c.out = "image 1x1x1")),
    tamperDecode(bad, (c) => (c.error = "RangeError")),
  ]) {
    const s = await runVectors({ ...lockstep, decode } as unknown as Lockstep, v, { platform: "node" });
    assert.is(s.mismatches, 1, "a tampered decode case is one mismatch");
  }
  const none = await runVectors(
    lockstep as unknown as Lockstep,
    { ...committed, cases: [], targetCases: [], decodes: d.slice(0, 5) },
    { platform: "node" },
  );
  assert.is(none.mismatches, 5, "a runner that does not pass decode fails every decode case");
  let refused = "";
  await runVectors(lockstep as unknown as Lockstep, committed, { platform: "node", backend: "cuda" }).catch(
    (e: Error) => (refused = e.message),
  );
  assert.match(refused, /backend "cuda" is not one of "wasm", "webgpu"/);
});

test("WebGPU rows: batches, counts where each case ran, and catches a wrong hash computed on the GPU", async () => {
  // The training recipe and a blur (GPU), ColorJitter (soft-float programs: wasm under "auto"
  // on this software adapter), Gaussian noise (a soft-float program too) and a refused input.
  const pick = (name: string, f: (c: Vectors["cases"][number]) => boolean = () => true) => {
    const p = committed.pipelines.findIndex((x) => x.name === name);
    assert.ok(p >= 0, name);
    return committed.cases.map((c, i) => [c, i] as const).filter(([c]) => c.pipeline === p && f(c));
  };
  const recipe = pick("Compose#0", (c) => !c.error);
  const colour = pick("ColorJitter#0", (c) => !c.error);
  const gpuCases = [...recipe, ...colour];
  const blur = pick("GaussianBlur#0", (c) => !c.error);
  const noise = pick("GaussianNoise#0", (c) => !c.error);
  assert.ok(
    recipe.length > 3 && colour.length > 3 && blur.length > 3 && noise.length > 3,
    `${recipe.length} recipe cases, ${colour.length} ColorJitter cases, ${blur.length} GaussianBlur cases, ${noise.length} GaussianNoise cases`,
  );
  const refusedCase = committed.cases.findIndex((c) => c.error !== undefined);
  const slice: Vectors = {
    ...committed,
    cases: [...gpuCases, ...blur, ...noise].map(([c]) => c).concat(committed.cases[refusedCase]!),
    targetCases: [],
  };
  const s = await runVectors(lockstep as unknown as Lockstep, slice, { platform: "node", backend: "webgpu" });
  assert.is(s.mismatches, 0, JSON.stringify(s.first));
  assert.match(s.adapter ?? "", /swiftshader/i);
  assert.is(s.gpu, recipe.length + blur.length, "the recipe and the blur run on the GPU");
  assert.is(s.wasmFallback, colour.length + noise.length, "ColorJitter and GaussianNoise fall back to wasm");
  assert.is(s.refused, 1);
  const soft = (op: string) =>
    new RegExp(
      `^the "${op}" op runs as a soft-float register-machine program, much slower than wasm on a software adapter \\(backend "webgpu" runs it on the GPU anyway\\)$`,
    );
  const reasons = Object.keys(s.fallbacks ?? {});
  assert.ok(
    reasons.some((why) => soft("gaussianNoise").test(why)) && reasons.some((why) => soft("adjust(Contrast|Saturation|Hue)").test(why)),
    JSON.stringify(s.fallbacks),
  );
  assert.ok(
    reasons.every((why) => soft("(gaussianNoise|adjust(Contrast|Saturation|Hue))").test(why)),
    JSON.stringify(s.fallbacks),
  );
  assert.ok((s.batches ?? 0) < slice.cases.length, "cases of one pipeline and key share a batch");
  const bad = JSON.parse(JSON.stringify(slice)) as Vectors;
  bad.cases[1]!.sha256 = "0".repeat(64);
  const t = await runVectors(lockstep as unknown as Lockstep, bad, { platform: "node", backend: "webgpu" });
  assert.is(t.mismatches, 1);
  assert.is(t.first?.n, 1);
  assert.is(t.first?.got.backend, "webgpu", "the tampered case was computed on the GPU");
});

test("target cases: a wrong box, mask or key point hash is a mismatch, on wasm and through applyBatch on WebGPU", async () => {
  const tc = committed.targetCases!;
  const name = (c: Vectors["cases"][number]) => committed.pipelines[c.pipeline]!.name;
  const picked = [
    tc.find((c) => name(c) === "targets:detection-tutorial" && !c.error)!,
    tc.find((c) => name(c) === "targets:rrc" && c.input === "seg-coffee")!,
    tc.find((c) => name(c) === "targets:affine" && c.input === "xywh-syn")!,
    tc.find((c) => name(c) === "targets:refuse-fivecrop")!,
  ];
  const slice: Vectors = { ...committed, cases: [], targetCases: picked, decodes: [] };
  for (const backend of ["wasm", "webgpu"]) {
    const s = await runVectors(lockstep as unknown as Lockstep, slice, { platform: "node", backend });
    assert.is(s.mismatches, 0, `${backend}: ${JSON.stringify(s.first)}`);
    assert.is(s.cases, 4);
    const bad = JSON.parse(JSON.stringify(slice)) as Vectors;
    bad.targetCases![2]!.targets = "0".repeat(64);
    const t = await runVectors(lockstep as unknown as Lockstep, bad, { platform: "node", backend });
    assert.is(t.mismatches, 1, `${backend}: a wrong targets hash`);
    assert.match(t.first?.name ?? "", /^targets\//);
  }
  const g = await runVectors(
    lockstep as unknown as Lockstep,
    { ...slice, targetCases: [picked[1]!] },
    { platform: "node", backend: "webgpu" },
  );
  assert.is(g.gpu, 1, "RandomResizedCrop's image runs on the GPU while its mask moves on the host");
});

test("WebGPU rows: no adapter is a failure that says so, not a row of wasm fallbacks", async () => {
  setAdapterFactory(() => null);
  try {
    let message = "";
    await runVectors(lockstep as unknown as Lockstep, committed, { platform: "nowhere", backend: "webgpu" }).catch(
      (e: Error) => (message = e.message),
    );
    assert.match(message, /^nowhere: no usable WebGPU adapter .*no WebGPU adapter was found/);
  } finally {
    setAdapterFactory(null);
  }
});

test.run();
