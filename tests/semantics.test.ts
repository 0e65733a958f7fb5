// The semantics option as data: Compose({ semantics }) in toJSON/fromJSON, nested Composes
// inheriting it, records carrying it and replay using it, ops naming it (what the Python
// host and the GPU backend read), and the two semantics giving different bytes where
// torchvision's pipelines differ.
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  ready,
  fromJSON,
  Compose,
  ColorJitter,
  RandomResizedCrop,
  RandomRotation,
  RandAugment,
  AugMix,
  ToTensor,
  Normalize,
  Resize,
  F,
  type Image,
  type Json,
} from "../src/index.js";
import { synthetic, MEAN, STD } from "./helpers/recipes.js";
import { rejects } from "./helpers/check.js";
import type { Transform } from "../src/transforms/base.js";

await ready();

const img: Image = synthetic(48, 40, 3);
const bytesOf = (x: { data: Uint8Array | Float32Array }) => Array.from(new Uint8Array(x.data.buffer, x.data.byteOffset, x.data.byteLength));

test('toJSON records an explicit semantics; fromJSON restores it; no option means inherited ("pil" at the root)', () => {
  const t = new Compose([new ColorJitter(0.4, 0.4, 0.4, 0.1)], { semantics: "tensor" });
  assert.equal(t.toJSON(), { type: "Compose", transforms: [t.transforms[0]!.toJSON()], semantics: "tensor" });
  const back = fromJSON(JSON.stringify(t.toJSON()));
  assert.is(back.semantics, "tensor");
  assert.equal(bytesOf(back.apply(img, { seed: 1 }) as Image), bytesOf(t.apply(img, { seed: 1 }) as Image));
  const plain = new Compose([new ColorJitter(0.4)]);
  assert.is(plain.semantics, "pil");
  assert.not.ok("semantics" in plain.toJSON());
  assert.is(new ColorJitter(0.4).semantics, "pil");
});

test("a nested Compose inherits its parent's semantics unless it sets its own", () => {
  const inner = () => new Compose([new ColorJitter(0.5, 0.5, 0.5, 0.2)]);
  const outerTensor = new Compose([inner()], { semantics: "tensor" });
  const flatTensor = new Compose([new ColorJitter(0.5, 0.5, 0.5, 0.2)], { semantics: "tensor" });
  // slot keys differ between a nested and a flat pipeline, so compare through the same params
  const params = outerTensor.sample(img, { seed: 5 }) as Json[];
  const viaOuter = outerTensor.replay(img, {
    meta: { kind: "image", width: 48, height: 40, channels: 3 },
    params,
    semantics: "tensor",
  }) as Image;
  const viaFlat = flatTensor.replay(img, {
    meta: { kind: "image", width: 48, height: 40, channels: 3 },
    params: params[0]!,
    semantics: "tensor",
  }) as Image;
  assert.equal(bytesOf(viaOuter), bytesOf(viaFlat));
  const override = new Compose([new Compose([new ColorJitter(0.5, 0.5, 0.5, 0.2)], { semantics: "pil" })], { semantics: "tensor" });
  const viaOverride = override.replay(img, {
    meta: { kind: "image", width: 48, height: 40, channels: 3 },
    params,
    semantics: "tensor",
  }) as Image;
  assert.not.equal(bytesOf(viaOverride), bytesOf(viaOuter), "the inner pil Compose runs Pillow's colour ops");
});

test("records carry the semantics and replay uses the record's, whatever pipeline replays it", () => {
  const tensor = new Compose([new RandomResizedCrop(24), new ColorJitter(0.4, 0.4, 0.4, 0.1)], { semantics: "tensor" });
  const { output, record } = tensor.applyWithRecord(img, { seed: 9, index: 3 });
  assert.is(record.semantics, "tensor");
  const pil = new Compose([new RandomResizedCrop(24), new ColorJitter(0.4, 0.4, 0.4, 0.1)]);
  const again = pil.replay(img, JSON.parse(JSON.stringify(record)));
  assert.equal(bytesOf(again as Image), bytesOf(output as Image));
  const { record: pr } = pil.applyWithRecord(img, { seed: 9, index: 3 });
  assert.is(pr.semantics, "pil");
  assert.equal(pr.params, record.params, "params do not depend on the semantics for these transforms");
  const old = pil.replay(img, { meta: record.meta, params: record.params }) as Image; // a record without semantics: "pil"
  assert.equal(bytesOf(old), bytesOf(pil.apply(img, { seed: 9, index: 3 }) as Image));
  rejects(() => pil.replay(img, { ...record, semantics: "numpy" as "pil" }), RangeError, /record\.semantics must be "pil"/);
});

test("ops name their semantics as plain data (colour, warps, resize, ToTensor, AugMix's chains)", () => {
  const meta = { kind: "image" as const, width: 48, height: 40, channels: 3 as const };
  const t = new Compose(
    [new RandomResizedCrop(24), new RandomRotation(20), new ColorJitter(0.4), new ToTensor(), new Normalize(MEAN, STD)],
    { semantics: "tensor" },
  );
  const ops = t.ops(t.sample(img, { seed: 2 }) as Json[], meta, "tensor");
  const named = ops.map((o) => (o.op === "call" ? [o.name, o.args.semantics] : [o.op, (o as { semantics?: string }).semantics ?? null]));
  assert.equal(
    named.filter(([, s]) => s !== null).map(([, s]) => s),
    named.filter(([, s]) => s !== null).map(() => "tensor"),
  );
  assert.ok(named.some(([n]) => n === "resize") && named.some(([n]) => n === "rotate") && named.some(([n]) => n === "toTensor"));
  const mix = new AugMix();
  const pilOps = mix.ops(mix.sample(img, { seed: 4 }), meta, "pil");
  const chains = (pilOps[0] as unknown as { args: { chains: { args: { semantics: string } }[][] } }).args.chains.flat();
  assert.ok(chains.length > 0 && chains.every((o) => o.args.semantics === "tensor-v1"), "AugMix under pil runs v1's tensor kernels");
});

test("the semantics changes bytes where torchvision's pipelines differ, and only there", () => {
  const pick = (semantics: "pil" | "tensor", t: readonly Transform[]) =>
    bytesOf(new Compose(t, { semantics }).apply(img, { seed: 3 }) as Image);
  assert.not.equal(pick("pil", [new ColorJitter(0.4, 0.4, 0.4, 0.1)]), pick("tensor", [new ColorJitter(0.4, 0.4, 0.4, 0.1)]));
  // Pillow samples (i + 0.5) * scale (accumulated), torch floor(i * scale): the nearest source pixels differ.
  assert.not.equal(
    pick("pil", [new Resize(17, { interpolation: "nearest" })]),
    pick("tensor", [new Resize(17, { interpolation: "nearest" })]),
  );
  assert.not.equal(
    pick("pil", [new RandomRotation(30, { interpolation: "bilinear" })]),
    pick("tensor", [new RandomRotation(30, { interpolation: "bilinear" })]),
  );
  assert.equal(pick("pil", [new Resize([40, 48])]), pick("tensor", [new Resize([40, 48])]), "an identity resize is a copy under both");
  const f = (s: "pil" | "tensor") => bytesOf(new Compose([new ToTensor()], { semantics: s }).apply(img) as { data: Float32Array });
  assert.not.equal(f("pil"), f("tensor"), "ToTensor divides by 255; ToDtype(scale=True) multiplies by float(1 / 255)");
});

test("RandAugment draws Solarize from v1's table under pil (255 .. 0) and v2's under tensor (1 .. 0)", () => {
  const space = (s: "pil" | "tensor") => {
    const t = new Compose([new RandAugment({ numOps: 40 })], { semantics: s });
    const p = t.sample(img, { seed: 12 }) as { ops: { name: string; magnitude: number }[] }[];
    return p[0]!.ops.filter((o) => o.name === "Solarize").map((o) => o.magnitude);
  };
  const a = space("pil"),
    b = space("tensor");
  assert.ok(a.length > 0 && a.length === b.length);
  a.forEach((m, i) => assert.is(Math.round(b[i]! * 255 * 100) / 100, Math.round(m * 100) / 100));
});

test("bad semantics are refused, naming the argument", () => {
  rejects(
    () => new Compose([], { semantics: "PIL" as "pil" }),
    RangeError,
    /semantics must be "pil" \(torchvision on PIL images\) or "tensor"/,
  );
  rejects(() => new Compose([], { semantic: "pil" } as never), RangeError, /unknown Compose option "semantic"/);
  rejects(() => fromJSON({ type: "Compose", transforms: [], semantics: "v2" }), RangeError, /\$\.semantics must be "pil"/);
  rejects(() => F.resize(img, 10, { semantics: "torch" as "pil" }), RangeError, /semantics must be/);
  rejects(() => F.toTensor(img, { semantics: 1 as unknown as "pil" }), RangeError, /semantics must be/);
});

test.run();
