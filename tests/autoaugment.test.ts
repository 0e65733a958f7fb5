// Auto-augment policies (AutoAugment, RandAugment, TrivialAugmentWide, AugMix): magnitude
// tables and op spaces against torchvision 0.28's (v1 for "pil", v2 for "tensor"), each
// operation against torchvision's _apply_op under each semantics
// (tests/parity/fixtures/autoaugment, made by make_fixtures_autoaugment.py), whole
// transforms against torchvision's forward() fed the same draws, the sampling against
// the policy definitions and torchvision's own draws (chi-square, KS, moments), bad input,
// JSON round trips and record/replay.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import {
  ready,
  fromJSON,
  Compose,
  Generator,
  Stream,
  ToTensor,
  AutoAugment,
  RandAugment,
  TrivialAugmentWide,
  AugMix,
  type Channels,
  type Image,
  type Transform,
  type Draws,
  type AugOp,
  type Json,
} from "../src/index.js";
import { seedKey } from "../src/random/index.js";
import {
  augmentationSpace,
  augOpOps,
  autoAugmentPolicy,
  linspaceAt,
  sampleDirichlet,
  shearDegrees,
  type SpaceKind,
} from "../src/transforms/autoaugment.js";
import { execute } from "../src/ir/execute.js";
import { rejects, ks } from "./helpers/check.js";

await ready();

// ------------------------------------------------------------------ fixtures

const root = new URL("./parity/fixtures/autoaugment/", import.meta.url);
const bytes = (file: string) => new Uint8Array(gunzipSync(readFileSync(new URL(file, root))));

interface ScriptStep {
  fn: "randint" | "rand" | "dirichlet";
  low?: number;
  high?: number;
  alpha?: number;
  k?: number;
  value: number | number[];
}
type Semantics = "pil" | "tensor" | "tensor-v1";
interface Case {
  id: string;
  kind: "op" | "transform";
  semantics: Semantics;
  op: string;
  input: string;
  args: Record<string, unknown>;
  reference: string;
  output: { file: string; shape: number[] };
  script?: ScriptStep[];
  ops?: { name: string; magnitude: number }[];
}
interface Table {
  kind: SpaceKind;
  semantics: "pil" | "tensor";
  bins: number;
  height: number;
  width: number;
  allOps?: boolean;
  space: Record<string, { signed: boolean; magnitudes: number[] }>;
}
const manifest = JSON.parse(readFileSync(new URL("cases.json", root), "utf8")) as {
  inputs: Record<string, { file: string; width: number; height: number; channels: Channels }>;
  tables: Table[];
  shearDegrees: [number, number][];
  cases: Case[];
};
const samples = JSON.parse(gunzipSync(readFileSync(new URL("samples.json.gz", root))).toString("utf8")) as {
  ops: {
    kind: string;
    config: Record<string, Json>;
    height: number;
    width: number;
    calls: number;
    counts: Record<string, number>;
    outcomes?: Record<string, number>;
    opsPerCall?: Record<string, number>;
  }[];
  dirichlet: { alpha: number; k: number; samples: number[][] }[];
};

const inputs = new Map<string, Image>();
for (const [name, m] of Object.entries(manifest.inputs))
  inputs.set(name, { width: m.width, height: m.height, channels: m.channels, data: bytes(m.file) });
const input = (name: string) => inputs.get(name)!;
const metaOf = (img: Image) => ({ kind: "image" as const, width: img.width, height: img.height, channels: img.channels });

const GEOMETRY = new Set(["ShearX", "ShearY", "TranslateX", "TranslateY", "Rotate"]);

/** exact / within 1 LSB / worse, and the largest difference. */
function compare(got: Uint8Array, want: Uint8Array) {
  let exact = 0,
    one = 0,
    worse = 0,
    max = 0;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i]! - want[i]!);
    if (d === 0) exact++;
    else if (d === 1) one++;
    else worse++;
    max = Math.max(max, d);
  }
  return { exact, one, worse, max, n: want.length };
}

function shapeOf(img: Image) {
  return [img.height, img.width, img.channels];
}

// ------------------------------------------------------------------ tables

test("magnitude tables and op spaces equal torchvision's _augmentation_space (float32, exact)", () => {
  let values = 0;
  for (const t of manifest.tables) {
    const space = augmentationSpace(t.kind, t.bins, t.height, t.width, t.allOps ?? true, t.semantics);
    const what = `${t.semantics} ${t.kind} bins ${t.bins} ${t.height}x${t.width}`;
    assert.equal(
      space.map((e) => e.name),
      Object.keys(t.space),
      `op order: ${what}`,
    );
    for (const e of space) {
      const ref = t.space[e.name]!;
      assert.is(e.signed, ref.signed, `${what} ${e.name} signed`);
      assert.is(e.bins, ref.magnitudes.length, `${what} ${e.name} bins`);
      ref.magnitudes.forEach((v, i) => {
        values++;
        if (e.at(i) !== Math.fround(v)) assert.unreachable(`${what} ${e.name}[${i}]: ours ${e.at(i)}, torch ${Math.fround(v)}`);
      });
    }
  }
  assert.ok(values > 5000, `${values} values compared`);
});

test("linspaceAt: endpoints, one step, and torch's fused multiply-add where the plain float32 formula differs", () => {
  assert.is(linspaceAt(0, 0.9, 31, 0), 0);
  assert.is(linspaceAt(0, 0.9, 31, 30), Math.fround(0.9));
  assert.is(linspaceAt(255, 0, 10, 9), 0);
  assert.is(linspaceAt(3, 7, 1, 0), 3);
  // torch.linspace(1.0, 0.0, 31) (v2's Solarize table): 1 + step * 6 rounded once is 0.8000000119,
  // the unfused float32(1 + float32(step * 6)) is 0.7999999523.
  const step = Math.fround(-1 / 30);
  const t = manifest.tables.find((x) => x.kind === "RandAugment" && x.bins === 31 && x.semantics === "tensor")!;
  const torchVals = t.space.Solarize!.magnitudes.map(Math.fround);
  const plain = torchVals.map((_, i) => (i < 15 ? Math.fround(1 + Math.fround(step * i)) : Math.fround(0 - Math.fround(step * (30 - i)))));
  assert.ok(
    plain.some((v, i) => v !== torchVals[i]),
    "the unfused formula differs from torch somewhere",
  );
  assert.is(torchVals[6], Math.fround(0.800000011920929));
  assert.equal(
    torchVals.map((_, i) => linspaceAt(1, 0, 31, i)),
    torchVals,
  );
});

test("AutoAugment policies: 25 sub-policies each, ops from the space, bins < 10", () => {
  for (const p of ["imagenet", "cifar10", "svhn"] as const) {
    const pol = autoAugmentPolicy(p);
    assert.is(pol.length, 25);
    const names = new Set(augmentationSpace("AutoAugment", 10, 8, 8).map((e) => e.name));
    for (const sub of pol)
      for (const [name, prob, bin] of sub) {
        assert.ok(names.has(name), name);
        assert.ok(prob >= 0 && prob <= 1);
        assert.ok(bin === null || (bin >= 0 && bin < 10));
      }
  }
});

test("shear angles: math.degrees(math.atan(m)) within 2 ulp (count of exact ones reported)", () => {
  let exact = 0;
  for (const [m, deg] of manifest.shearDegrees) {
    const ours = shearDegrees(m);
    if (ours === deg) exact++;
    else assert.ok(Math.abs(ours - deg) <= 2 * Number.EPSILON * Math.abs(deg), `m = ${m}: ours ${ours}, CPython ${deg}`);
  }
  console.log(
    `  shear degrees: ${exact} of ${manifest.shearDegrees.length} equal CPython's bit for bit (the rest 1-2 ulp: musl vs glibc atan)`,
  );
  assert.ok(manifest.shearDegrees.length > 100);
});

// ------------------------------------------------------------------ single operations

interface Tally {
  cases: number;
  exact: number;
  one: number;
  worse: number;
  n: number;
  max: number;
}
const tallies = new Map<string, Tally>();
function tally(key: string, r: ReturnType<typeof compare>) {
  const t = tallies.get(key) ?? { cases: 0, exact: 0, one: 0, worse: 0, n: 0, max: 0 };
  t.cases++;
  t.exact += r.exact;
  t.one += r.one;
  t.worse += r.worse;
  t.n += r.n;
  t.max = Math.max(t.max, r.max);
  tallies.set(key, t);
}

function runOp(c: Case): Image {
  const img = input(c.input);
  const fillArg = c.args.fill as number[] | null;
  const fill =
    fillArg === null
      ? c.semantics === "pil"
        ? new Array<number>(img.channels).fill(0)
        : null
      : fillArg.length === 1
        ? new Array<number>(img.channels).fill(fillArg[0]!)
        : fillArg;
  const op: AugOp = { name: c.op as AugOp["name"], magnitude: c.args.magnitude as number };
  return execute(img, augOpOps(op, metaOf(img), c.args.interpolation as "nearest" | "bilinear", fill, c.semantics)) as Image;
}

const opCases = manifest.cases.filter((c) => c.kind === "op");

test("every operation under every semantics: bit-exact with torchvision's _apply_op (pil: on PIL images; tensor: v2; tensor-v1: v1 on tensors)", () => {
  let n = 0;
  for (const c of opCases) {
    const got = runOp(c);
    assert.equal(shapeOf(got), c.output.shape, c.id);
    const r = compare(got.data, bytes(c.output.file));
    tally(`${c.semantics} ${c.op}${GEOMETRY.has(c.op) ? ` ${c.args.interpolation}` : ""}`, r);
    if (r.exact !== r.n) assert.unreachable(`${c.id}: ${r.n - r.exact} of ${r.n} values differ (max ${r.max})`);
    n++;
  }
  for (const sem of ["pil", "tensor", "tensor-v1"]) assert.ok(opCases.filter((c) => c.semantics === sem).length > 200, `${sem} cases`);
  assert.ok(n > 800, `${n} cases`);
});

// ------------------------------------------------------------------ whole transforms, torchvision's draws

/** Draws that replay a fixture's script, checking each call's function and range. */
function scripted(steps: ScriptStep[], where: string): Draws & { left(): number } {
  const q = [...steps];
  const next = (fn: string) => {
    const s = q.shift();
    if (!s) throw new Error(`${where}: the script ran out at ${fn}`);
    if (s.fn !== fn) throw new Error(`${where}: torchvision drew ${s.fn}, we drew ${fn}`);
    return s;
  };
  return {
    randint(low, high) {
      const s = next("randint");
      if (s.low !== low || s.high !== high)
        throw new Error(`${where}: torchvision drew randint(${s.low}, ${s.high}), we drew randint(${low}, ${high})`);
      return s.value as number;
    },
    rand: () => next("rand").value as number,
    dirichlet(alpha, k) {
      const s = next("dirichlet");
      if (s.alpha !== alpha || s.k !== k)
        throw new Error(`${where}: torchvision drew dirichlet(${s.alpha} x ${s.k}), we drew dirichlet(${alpha} x ${k})`);
      return (s.value as number[]).map(Math.fround);
    },
    left: () => q.length,
  };
}

function makeTransform(
  kind: string,
  args: Record<string, unknown>,
): Transform & { drawParams(d: Draws, meta: ReturnType<typeof metaOf>, semantics?: "pil" | "tensor"): Json } {
  const a = { ...args } as Record<string, unknown>;
  if (a.fill === null) delete a.fill;
  const t =
    kind === "AutoAugment"
      ? new AutoAugment(a)
      : kind === "RandAugment"
        ? new RandAugment(a)
        : kind === "TrivialAugmentWide"
          ? new TrivialAugmentWide(a)
          : new AugMix(a);
  return t as unknown as Transform & { drawParams(d: Draws, meta: ReturnType<typeof metaOf>, semantics?: "pil" | "tensor"): Json };
}

function opsOf(params: Json): AugOp[] {
  const p = params as { ops?: AugOp[]; chains?: AugOp[][] };
  return p.ops ?? p.chains!.flat();
}

test("whole transforms: torchvision's draws give torchvision's operations and (colour) bytes", () => {
  const tc = manifest.cases.filter((c) => c.kind === "transform");
  assert.ok(tc.length >= 30);
  for (const c of tc) {
    const img = input(c.input);
    const t = makeTransform(c.op, c.args);
    const d = scripted(c.script!, c.id);
    const params = t.drawParams(d, metaOf(img), c.semantics === "tensor" ? "tensor" : "pil");
    assert.is(d.left(), 0, `${c.id}: script left over`);
    const ours = opsOf(params).map((o) => [o.name, o.magnitude]);
    const theirs = c.ops!.map((o) => [o.name, o.magnitude === 0 ? 0 : Math.fround(o.magnitude)]);
    assert.equal(ours, theirs, `${c.id}: operations`);
    const got = t.replay(img, {
      meta: metaOf(img),
      params: JSON.parse(JSON.stringify(params)) as Json,
      semantics: c.semantics === "tensor" ? "tensor" : "pil",
    }) as Image;
    assert.equal(shapeOf(got), c.output.shape, c.id);
    const r = compare(got.data, bytes(c.output.file));
    tally(`${c.semantics} ${c.op} (whole transform)`, r);
    if (r.exact !== r.n) assert.unreachable(`${c.id}: ${r.n - r.exact} of ${r.n} values differ (max ${r.max})`);
  }
});

test.after(() => {
  const rows = [...tallies].sort(([a], [b]) => a.localeCompare(b));
  for (const [k, t] of rows)
    console.log(`  parity ${k}: ${t.cases} cases, ${t.n} values: ${t.exact} exact, ${t.one} within 1, ${t.worse} worse (max ${t.max})`);
});

// ------------------------------------------------------------------ sampling

/** chi-square critical value at alpha = 0.001 (Wilson-Hilferty). */
function chiCritical(df: number): number {
  const z = 3.0902;
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}

/** Chi-square of counts against expected counts (categories with expectation 0 must be empty). */
function chiSquare(obs: number[], exp: number[]): { chi: number; df: number } {
  let chi = 0,
    df = -1;
  obs.forEach((o, i) => {
    const e = exp[i]!;
    if (e === 0) {
      if (o !== 0) chi = Infinity;
      return;
    }
    chi += (o - e) ** 2 / e;
    df++;
  });
  return { chi, df };
}

/** Two-sample chi-square (homogeneity) of two count maps; categories with fewer than 10 in all are pooled. */
function twoSample(a: Map<string, number>, b: Map<string, number>): { chi: number; df: number; crit: number } {
  const A = [...a.values()].reduce((s, v) => s + v, 0);
  const B = [...b.values()].reduce((s, v) => s + v, 0);
  const keys = new Set([...a.keys(), ...b.keys()]);
  const cells: [number, number][] = [];
  let pool: [number, number] = [0, 0];
  for (const k of keys) {
    const x = a.get(k) ?? 0,
      y = b.get(k) ?? 0;
    if (x + y < 10) pool = [pool[0] + x, pool[1] + y];
    else cells.push([x, y]);
  }
  if (pool[0] + pool[1] > 0) cells.push(pool);
  let chi = 0;
  for (const [x, y] of cells) {
    const ex = ((x + y) * A) / (A + B),
      ey = ((x + y) * B) / (A + B);
    chi += (x - ex) ** 2 / ex + (y - ey) ** 2 / ey;
  }
  const df = Math.max(1, cells.length - 1);
  return { chi, df, crit: chiCritical(df) };
}

const keyOf = (name: string, mag: number) => `${name}|${mag === 0 ? 0 : Math.fround(mag)}`;
function torchCounts(counts: Record<string, number>): Map<string, number> {
  const m = new Map<string, number>();
  for (const [k, v] of Object.entries(counts)) {
    const [name, mag] = k.split("|");
    const key = keyOf(name!, Number(mag));
    m.set(key, (m.get(key) ?? 0) + v);
  }
  return m;
}
const bump = (m: Map<string, number>, k: string, by = 1) => m.set(k, (m.get(k) ?? 0) + by);

/** Every (op, magnitude) a space can give, as keys. */
function possible(kind: SpaceKind, bins: number, h: number, w: number, allOps = true, maxBin = bins): Set<string> {
  const s = new Set<string>();
  for (const e of augmentationSpace(kind, bins, h, w, allOps)) {
    if (e.bins === 0) s.add(keyOf(e.name, 0));
    for (let i = 0; i < Math.min(e.bins, maxBin); i++) {
      s.add(keyOf(e.name, e.at(i)));
      if (e.signed) s.add(keyOf(e.name, -e.at(i)));
    }
  }
  return s;
}

for (const cfg of samples.ops) {
  const label = `${cfg.kind} ${JSON.stringify(cfg.config)}`;
  test(`sampling ${label}: the policy's distribution, and torchvision's (two-sample chi-square)`, () => {
    const meta = { width: cfg.width, height: cfg.height, channels: 3 as const };
    const t = makeTransform(cfg.kind, cfg.config);
    const N = cfg.kind === "AugMix" ? 2500 : 4000;
    const ops = new Map<string, number>();
    const theirs = torchCounts(cfg.counts);
    const subs = new Array<number>(25).fill(0);
    const outcomes = new Map<string, number>();
    const perCall = new Map<string, number>();
    for (let i = 0; i < N; i++) {
      const p = t.sample(meta, { seed: 2024, index: i }) as Json;
      const list = opsOf(p);
      for (const o of list) bump(ops, keyOf(o.name, o.magnitude));
      if (cfg.kind === "AutoAugment") {
        const q = p as { subPolicy: number; applied: boolean[] };
        subs[q.subPolicy]!++;
        bump(outcomes, `${q.subPolicy}|${q.applied.map(Number).join("")}`);
      }
      if (cfg.kind === "AugMix") bump(perCall, String(list.length));
    }
    // Every value torchvision produced is one of ours, and ours are all possible ones.
    const bins = cfg.kind === "AutoAugment" || cfg.kind === "AugMix" ? 10 : (cfg.config.numMagnitudeBins as number);
    const allowed = possible(cfg.kind as SpaceKind, bins, cfg.height, cfg.width, (cfg.config.allOps as boolean | undefined) ?? true);
    for (const k of theirs.keys()) assert.ok(allowed.has(k), `torchvision produced ${k}, which our tables cannot`);
    for (const k of ops.keys()) assert.ok(allowed.has(k), `we produced ${k}, outside our own tables`);
    const two = twoSample(ops, theirs);
    assert.ok(
      two.chi < two.crit,
      `(op, magnitude) frequencies vs torchvision: chi-square ${two.chi.toFixed(1)} >= ${two.crit.toFixed(1)} (df ${two.df})`,
    );

    if (cfg.kind === "AutoAugment") {
      const pol = autoAugmentPolicy(cfg.config.policy as "imagenet");
      const u = chiSquare(
        subs,
        subs.map(() => N / 25),
      );
      assert.ok(u.chi < chiCritical(u.df), `sub-policies uniform: chi-square ${u.chi.toFixed(1)} (df ${u.df})`);
      // Each sub-policy's four outcomes (which of its two ops ran) against its probabilities.
      let chi = 0,
        df = 0;
      pol.forEach(([a, b], s) => {
        const exp = ["00", "01", "10", "11"].map((o) => subs[s]! * (o[0] === "1" ? a[1] : 1 - a[1]) * (o[1] === "1" ? b[1] : 1 - b[1]));
        const obs = ["00", "01", "10", "11"].map((o) => outcomes.get(`${s}|${o}`) ?? 0);
        const r = chiSquare(obs, exp);
        chi += r.chi;
        df += r.df;
      });
      assert.ok(
        chi < chiCritical(df),
        `applied outcomes vs the probabilities: chi-square ${chi.toFixed(1)} >= ${chiCritical(df).toFixed(1)} (df ${df})`,
      );
      const o2 = twoSample(outcomes, new Map(Object.entries(cfg.outcomes!)));
      assert.ok(o2.chi < o2.crit, `outcomes vs torchvision: chi-square ${o2.chi.toFixed(1)} (df ${o2.df})`);
    } else if (cfg.kind === "AugMix") {
      const o2 = twoSample(perCall, new Map(Object.entries(cfg.opsPerCall!)));
      assert.ok(o2.chi < o2.crit, `operations per call vs torchvision: chi-square ${o2.chi.toFixed(1)} (df ${o2.df})`);
    } else {
      // RandAugment / TrivialAugmentWide: each of the 14 operations equally likely.
      const space = augmentationSpace(cfg.kind as SpaceKind, bins, cfg.height, cfg.width);
      const byName = space.map((e) => [...ops].filter(([k]) => k.startsWith(`${e.name}|`)).reduce((s, [, v]) => s + v, 0));
      const total = byName.reduce((s, v) => s + v, 0);
      const r = chiSquare(
        byName,
        byName.map(() => total / space.length),
      );
      assert.ok(r.chi < chiCritical(r.df), `operations uniform: chi-square ${r.chi.toFixed(1)} (df ${r.df})`);
      if (cfg.kind === "TrivialAugmentWide") {
        // The magnitude bin is uniform: Rotate's 31 values, both signs pooled.
        const rot = space.find((e) => e.name === "Rotate")!;
        const perBin = Array.from(
          { length: rot.bins },
          (_, i) => (ops.get(keyOf("Rotate", rot.at(i))) ?? 0) + (i > 0 ? (ops.get(keyOf("Rotate", -rot.at(i))) ?? 0) : 0),
        );
        const n = perBin.reduce((s, v) => s + v, 0);
        const rb = chiSquare(
          perBin,
          perBin.map(() => n / rot.bins),
        );
        assert.ok(rb.chi < chiCritical(rb.df), `TrivialAugmentWide magnitude bins uniform: chi-square ${rb.chi.toFixed(1)} (df ${rb.df})`);
      }
    }
  });
}

for (const ref of samples.dirichlet) {
  test(`Dirichlet(${ref.alpha} x ${ref.k}): moments of the Dirichlet, and torch._sample_dirichlet's distribution (KS)`, () => {
    const s = new Stream(seedKey(77 + ref.k));
    const N = 4000;
    const ours: number[][] = [];
    for (let i = 0; i < N; i++) ours.push(sampleDirichlet(s, ref.alpha, ref.k));
    for (const w of ours) {
      assert.ok(
        w.every((v) => v === Math.fround(v) && v > 0 && v < 1),
        `float32 weights in (0, 1): ${w}`,
      );
      assert.ok(Math.abs(w.reduce((a, b) => a + b, 0) - 1) < 1e-6, `weights sum to 1: ${w}`);
    }
    const k = ref.k,
      a = ref.alpha;
    const mean = 1 / k,
      variance = ((1 / k) * (1 - 1 / k)) / (k * a + 1);
    for (let c = 0; c < k; c++) {
      const xs = ours.map((w) => w[c]!);
      const m = xs.reduce((p, q) => p + q, 0) / N;
      const v = xs.reduce((p, q) => p + (q - m) ** 2, 0) / (N - 1);
      assert.ok(Math.abs(m - mean) < 5 * Math.sqrt(variance / N), `component ${c} mean ${m} vs ${mean}`);
      // The variance of a sample variance is below 2 sigma^4 / (N - 1) * (1 + kurtosis term); 6 sigma of that.
      assert.ok(Math.abs(v - variance) < 6 * variance * Math.sqrt(3 / N), `component ${c} variance ${v} vs ${variance}`);
      const d = ks(
        xs,
        ref.samples.map((w) => w[c]!),
      );
      const crit = 1.949 * Math.sqrt((N + ref.samples.length) / (N * ref.samples.length));
      assert.ok(d < crit, `component ${c}: KS ${d.toFixed(4)} >= ${crit.toFixed(4)} against torch`);
    }
  });
}

test("AugMix params: float32 Beta and Dirichlet weights, depth 1..3, bins < severity", () => {
  const t = new AugMix({ severity: 2, mixtureWidth: 4 });
  const meta = { width: 30, height: 20 };
  const allowed = possible("AugMix", 10, 20, 30, true, 2);
  let m0 = 0;
  for (let i = 0; i < 1500; i++) {
    const p = t.sample(meta, { seed: 5, index: i });
    assert.ok([...p.mix, ...p.chainWeights].every((v) => v === Math.fround(v) && v > 0 && v < 1));
    assert.ok(Math.abs(p.mix[0] + p.mix[1] - 1) < 1e-6 && Math.abs(p.chainWeights.reduce((a, b) => a + b, 0) - 1) < 1e-6);
    assert.is(p.chains.length, 4);
    for (const c of p.chains) {
      assert.ok(c.length >= 1 && c.length <= 3);
      for (const o of c) assert.ok(allowed.has(keyOf(o.name, o.magnitude)), `${o.name} ${o.magnitude}`);
    }
    m0 += p.mix[0];
  }
  // Beta(1, 1): mean 1/2, sd 1/sqrt(12).
  assert.ok(Math.abs(m0 / 1500 - 0.5) < 5 / Math.sqrt(12 * 1500), `mean of m0 ${m0 / 1500}`);
  const fixed = new AugMix({ chainDepth: 2, mixtureWidth: 2 }).sample(meta, { seed: 1 });
  assert.equal(
    fixed.chains.map((c) => c.length),
    [2, 2],
  );
});

// ------------------------------------------------------------------ application

function photo(c: Channels = 3, w = 33, h = 21): Image {
  const data = new Uint8Array(w * h * c);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let k = 0; k < c; k++) data[(y * w + x) * c + k] = (x * 7 + y * 11 + k * 60 + ((x * y) % 13) * 9) & 255;
  return { width: w, height: h, channels: c, data };
}

const ALL: Transform[] = [
  new AutoAugment(),
  new AutoAugment("cifar10"),
  new AutoAugment({ policy: "svhn", interpolation: "bilinear", fill: [1, 2, 3] }),
  new RandAugment(),
  new RandAugment({ numOps: 3, magnitude: 30, numMagnitudeBins: 31, fill: 128 }),
  new TrivialAugmentWide(),
  new TrivialAugmentWide({ numMagnitudeBins: 8, interpolation: "bilinear" }),
  new AugMix(),
  new AugMix({ severity: 10, mixtureWidth: 2, chainDepth: 3, alpha: 0.5, allOps: false, interpolation: "nearest", fill: 9 }),
];

test("record/replay reproduces every output, also through JSON; keyed draws are reproducible", () => {
  for (const t of ALL) {
    for (const c of [1, 3, 4] as const) {
      const img = photo(c);
      if (t.type === "AutoAugment" && (t as AutoAugment).fill !== null && c !== 3) continue; // a 3-value fill needs 3 channels
      for (let i = 0; i < 12; i++) {
        const { output, record } = t.applyWithRecord(img, { seed: 11, index: i });
        const o = output as Image;
        assert.equal([o.width, o.height, o.channels], [img.width, img.height, img.channels]);
        assert.equal(t.apply(img, { seed: 11, index: i }).data, o.data, `${t.type}: keyed`);
        assert.equal(t.replay(img, record).data, o.data, `${t.type}: replay`);
        const back = JSON.parse(JSON.stringify(record)) as typeof record;
        assert.equal(back, record, `${t.type}: the record survives JSON unchanged`);
        assert.equal(t.replay(img, back).data, o.data, `${t.type}: replay from JSON`);
      }
    }
  }
});

test("JSON round trip: same config, same draws, same bytes; inside Compose", () => {
  const img = photo(3, 24, 18);
  for (const t of ALL) {
    const json = JSON.parse(JSON.stringify(t.toJSON()));
    const back = fromJSON(json);
    assert.equal(back.toJSON(), t.toJSON());
    for (let i = 0; i < 4; i++) assert.equal(back.apply(img, { seed: 3, index: i }).data, t.apply(img, { seed: 3, index: i }).data);
  }
  assert.equal(new AugMix().toJSON(), {
    type: "AugMix",
    severity: 3,
    mixtureWidth: 3,
    chainDepth: -1,
    alpha: 1,
    allOps: true,
    interpolation: "bilinear",
    fill: null,
  });
  assert.equal(new RandAugment().toJSON(), {
    type: "RandAugment",
    numOps: 2,
    magnitude: 9,
    numMagnitudeBins: 31,
    interpolation: "nearest",
    fill: null,
  });
  const pipe = new Compose([new TrivialAugmentWide(), new AugMix(), new ToTensor()]);
  const again = fromJSON(JSON.stringify(pipe.toJSON()));
  assert.equal(again.apply(img, { seed: 8 }).data, pipe.apply(img, { seed: 8 }).data);
  const g1 = new Generator(4),
    g2 = new Generator(4);
  assert.equal(pipe.apply(img, { generator: g1 }).data, again.apply(img, { generator: g2 }).data);
});

test("AugMix mixing: identity-like chains give the float32 mix truncated, as torchvision", () => {
  // Chains of Identity are impossible in AugMix's space; Posterize 8 bits and Solarize 255
  // leave an image (almost: solarize inverts 255) unchanged, so the output is
  // trunc(f32(f32(m0 x) + f32(w x)...)): x or x - 1.
  const img = photo(3, 9, 7);
  for (let c = 0; c < img.data.length; c++) img.data[c] = Math.min(img.data[c]!, 254);
  const t = new AugMix({ mixtureWidth: 2, chainDepth: 1 });
  const mix: [number, number] = [Math.fround(0.3), Math.fround(0.7)];
  const chainWeights = [Math.fround(0.25), Math.fround(0.75)];
  const params = {
    mix,
    chainWeights,
    chains: [[{ name: "Posterize" as const, magnitude: 8 }], [{ name: "Solarize" as const, magnitude: 255 }]],
  };
  const out = t.replay(img, { meta: metaOf(img), params }) as Image;
  const f = Math.fround;
  const w = chainWeights.map((v) => f(v * mix[1]));
  for (let k = 0; k < img.data.length; k++) {
    const x = img.data[k]!;
    const want = Math.trunc(f(f(f(mix[0] * x) + f(w[0]! * x)) + f(w[1]! * x)));
    assert.is(out.data[k], want, `value ${k} (${x})`);
    assert.ok(want === x || want === x - 1);
  }
});

test("grey, RGBA and 1x1 images; Color skips grey images as torchvision", () => {
  const grey = photo(1, 5, 4);
  const t = new RandAugment();
  const out = t.replay(grey, { meta: metaOf(grey), params: { ops: [{ name: "Color", magnitude: 0.9 }] } });
  assert.equal(out.data, grey.data);
  const tiny = photo(3, 1, 1);
  for (const tr of ALL) for (let i = 0; i < 5; i++) assert.is(tr.apply(tiny, { seed: 1, index: i }).data.length, 3);
  const rgba = photo(4, 6, 5);
  const inv = new AutoAugment().replay(rgba, {
    meta: metaOf(rgba),
    params: { subPolicy: 13, applied: [true, false], ops: [{ name: "Invert", magnitude: 0 }] },
  }) as Image;
  for (let k = 0; k < rgba.data.length; k++) assert.is(inv.data[k], k % 4 === 3 ? rgba.data[k] : 255 - rgba.data[k]!);
});

// ------------------------------------------------------------------ bad input

test("bad options: clear TypeError/RangeError naming the argument", () => {
  rejects(() => new AutoAugment("imagenet2" as "imagenet"), RangeError, /policy must be "imagenet", "cifar10" or "svhn", got "imagenet2"/);
  rejects(() => new AutoAugment({ policy: "IMAGENET" as "imagenet" }), RangeError, /policy must be/);
  rejects(() => new AutoAugment({ polcy: "svhn" } as never), RangeError, /unknown AutoAugment option "polcy"/);
  rejects(() => new RandAugment({ numOps: -1 }), RangeError, /numOps must be an integer in \[0, 100\], got -1/);
  rejects(() => new RandAugment({ numOps: 1.5 }), RangeError, /numOps must be an integer/);
  rejects(() => new RandAugment({ magnitude: 31 }), RangeError, /magnitude must be an integer in \[0, 30\], got 31/);
  rejects(() => new RandAugment({ magnitude: -1 }), RangeError, /magnitude must be an integer in \[0, 30\], got -1/);
  rejects(() => new RandAugment({ magnitude: 5, numMagnitudeBins: 5 }), RangeError, /magnitude must be an integer in \[0, 4\], got 5/);
  rejects(() => new RandAugment({ numMagnitudeBins: 1, magnitude: 0 }), RangeError, /numMagnitudeBins must be an integer in \[2, /);
  rejects(() => new TrivialAugmentWide({ numMagnitudeBins: 0 }), RangeError, /numMagnitudeBins must be an integer in \[2, /);
  rejects(() => new AugMix({ severity: 0 }), RangeError, /severity must be an integer in \[1, 10\], got 0/);
  rejects(() => new AugMix({ severity: 11 }), RangeError, /severity must be an integer in \[1, 10\], got 11/);
  rejects(() => new AugMix({ severity: 2.5 }), RangeError, /severity must be an integer/);
  rejects(() => new AugMix({ mixtureWidth: 0 }), RangeError, /mixtureWidth must be an integer in \[1, 64\], got 0/);
  rejects(() => new AugMix({ chainDepth: 65 }), RangeError, /chainDepth must be an integer/);
  rejects(() => new AugMix({ alpha: 0 }), RangeError, /alpha must be in \(0, 1e6\], got 0/);
  rejects(() => new AugMix({ alpha: Number.NaN }), RangeError, /alpha must be a finite number/);
  rejects(() => new AugMix({ allOps: "yes" as unknown as boolean }), TypeError, /allOps must be a boolean, got "yes"/);
  rejects(
    () => new TrivialAugmentWide({ interpolation: "bicubic" as "bilinear" }),
    RangeError,
    /interpolation must be "nearest" or "bilinear", got "bicubic"/,
  );
  rejects(() => new RandAugment({ fill: 256 }), RangeError, /fill must be an integer in \[0, 255\], got 256/);
  rejects(() => new RandAugment({ fill: [1, 2] }), TypeError, /fill must be null, an integer in \[0, 255\] or an array of 1, 3 or 4/);
  // torchvision's positional form: AugMix(5) is severity 5; an eighth argument is refused.
  assert.is(new AugMix(5).severity, 5);
  rejects(() => new AugMix(5, 3, -1, 1, true, "bilinear", null, 9 as never), TypeError, /AugMix takes at most 7 positional arguments/);
  rejects(() => fromJSON({ type: "AutoAugment", policy: "cifar100" }), RangeError, /\$\.policy must be "imagenet", "cifar10" or "svhn"/);
  rejects(() => fromJSON({ type: "AugMix", severity: 20 }), RangeError, /\$\.severity must be an integer in \[1, 10\]/);
  rejects(() => fromJSON({ type: "RandAugment", numOps: 2, size: 3 }), RangeError, /\$\.size: unknown field for RandAugment/);
});

test("bad input and hostile params: errors, never a crash in the kernel", () => {
  const img = photo(3, 8, 6);
  const meta = metaOf(img);
  rejects(
    () => new AutoAugment().apply({ shape: [3, 4, 4], data: new Float32Array(48) }, { seed: 1 }),
    TypeError,
    /AutoAugment expects an image/,
  );
  rejects(() => new AugMix().apply(img), TypeError, /AugMix draws random parameters and no randomness was given/);
  rejects(
    () =>
      new RandAugment({ fill: [1, 2, 3] }).replay(photo(1, 4, 4), {
        meta: metaOf(photo(1, 4, 4)),
        params: { ops: [{ name: "Rotate", magnitude: 3 }] },
      }),
    TypeError,
    /fill must be an integer in \[0, 255\] or an array of 1 of them/,
  );
  const ra = new RandAugment();
  rejects(
    () => ra.replay(img, { meta, params: { ops: [{ name: "Invert", magnitude: 0 }] } }),
    TypeError,
    /RandAugment: params must be \{ ops: \{ name, magnitude \} entries \}/,
  );
  rejects(
    () => ra.replay(img, { meta, params: { ops: [{ name: "Rotate", magnitude: null }] } as never }),
    TypeError,
    /RandAugment: params must be/,
  );
  rejects(
    () => ra.replay(img, { meta, params: { ops: [{ name: "Brightness", magnitude: -5 }] } }),
    RangeError,
    /invalid adjustBrightness op: factor must be a finite number in \[0, 1000000\], got -4/,
  );
  rejects(
    () => ra.replay(img, { meta, params: { ops: [{ name: "Posterize", magnitude: 9 }] } }),
    RangeError,
    /invalid posterize op: bits must be an integer in \[0, 8\], got 9/,
  );
  rejects(
    () => ra.replay(img, { meta, params: { ops: [{ name: "TranslateX", magnitude: 1e300 }] } }),
    RangeError,
    /invalid affine op: translate\[0\] must be in \[-2\^30, 2\^30\]/,
  );
  rejects(
    () =>
      new TrivialAugmentWide().replay(img, {
        meta,
        params: {
          ops: [
            { name: "Equalize", magnitude: 0 },
            { name: "Equalize", magnitude: 0 },
          ],
        },
      }),
    TypeError,
    /TrivialAugmentWide: params must be/,
  );
  rejects(
    () => new AutoAugment().replay(img, { meta, params: { subPolicy: 25, applied: [true, true], ops: [] } }),
    TypeError,
    /AutoAugment: params must be \{ subPolicy: 0\.\.24/,
  );
  const am = new AugMix();
  const good = am.sample(meta, { seed: 1 });
  rejects(
    () => am.replay(img, { meta, params: { ...good, mix: [1.5, -0.5] } }),
    TypeError,
    /AugMix: params must be \{ mix: \[m0, m1\], chainWeights: 3 weights/,
  );
  rejects(() => am.replay(img, { meta, params: { ...good, chains: good.chains.slice(1) } }), TypeError, /AugMix: params must be/);
  rejects(
    () => am.replay(img, { meta, params: { ...good, chains: [[{ name: "Identity", magnitude: 0 }], [], []] } }),
    TypeError,
    /AugMix: params must be/,
  );
  rejects(
    () => new AugMix({ allOps: false }).replay(img, { meta, params: { ...good, chains: [[{ name: "Color", magnitude: 0.1 }], [], []] } }),
    TypeError,
    /AugMix: params must be/,
  );
  rejects(() => am.replay(img, { meta: { ...meta, width: 9 }, params: good }), RangeError, /record was made for input/);
});

test.run();
