// End to end: the ImageNet training recipes (RandomResizedCrop 224, RandomHorizontalFlip,
// ColorJitter(0.4, 0.4, 0.4, 0.1) or RandAugment(), ToTensor, Normalize) under each
// semantics give torchvision 0.28's bytes when torchvision replays lockstep's recorded
// parameters (tests/parity/fixtures/e2e: records.json from make_e2e_records.ts, replayed
// by make_fixtures_e2e.py into torchvision.json). Every output byte must be equal: the
// augmented uint8 image and the float32 tensor, compared by SHA-256.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { ready, type Image, type Json, type Tensor } from "../src/index.js";
import { decode } from "../src/io/index.js";
import { augment, recipe, KEYS, type Recipe, type Semantics } from "./parity/e2e_recipes.js";

await ready();

const root = new URL("./parity/fixtures/e2e/", import.meta.url);
const records = JSON.parse(readFileSync(new URL("records.json", root), "utf8")) as {
  cases: {
    id: string;
    recipe: Recipe;
    semantics: Semantics;
    photo: string;
    seed: number;
    index: number;
    pipeline: Json;
    record: { meta: Image; params: Json[]; semantics: Semantics };
  }[];
};
const tv = JSON.parse(readFileSync(new URL("torchvision.json", root), "utf8")) as {
  photos: Record<string, string>;
  outputs: Record<string, { u8: string; f32: string }>;
};

const sha = (b: Uint8Array | Float32Array) =>
  createHash("sha256")
    .update(new Uint8Array(b.buffer, b.byteOffset, b.byteLength))
    .digest("hex");
const photos = new Map<string, Image>();
for (const [photo] of KEYS)
  if (!photos.has(photo)) photos.set(photo, await decode(readFileSync(new URL(`../samples/${photo}`, import.meta.url))));

test("the photos decode to the pixels torchvision saw (PNG, lossless)", () => {
  for (const [name, img] of photos) assert.is(sha(img.data), tv.photos[name], name);
});

test("every recipe, semantics and key is recorded (2 x 2 x 8)", () => {
  assert.is(records.cases.length, 32);
  for (const r of ["colorjitter", "randaugment"])
    for (const s of ["pil", "tensor"]) assert.is(records.cases.filter((c) => c.recipe === r && c.semantics === s).length, KEYS.length);
});

for (const c of records.cases) {
  test(`${c.id}: lockstep draws the recorded params and torchvision's replay has lockstep's bytes`, () => {
    const img = photos.get(c.photo)!;
    const aug = augment(c.recipe, c.semantics);
    assert.equal(aug.toJSON(), c.pipeline, "pipeline JSON");
    // The draws are a pure function of (seed, index): the committed record is what lockstep draws today.
    const { output, record } = aug.applyWithRecord(img, { seed: c.seed, index: c.index });
    assert.equal(JSON.parse(JSON.stringify(record)), c.record, "record");
    const want = tv.outputs[c.id]!;
    assert.is(sha((output as Image).data), want.u8, "augmented uint8 image");
    // The whole recipe, keyed: ToTensor / Normalize follow the same draws (they draw nothing).
    const full = recipe(c.recipe, c.semantics).apply(img, { seed: c.seed, index: c.index }) as Tensor;
    assert.is(sha(full.data), want.f32, "float32 tensor");
    // And the record replays to the same bytes through a pipeline rebuilt from JSON.
    const again = aug.replay(img, JSON.parse(JSON.stringify(c.record))) as Image;
    assert.is(sha(again.data), want.u8, "replayed record");
  });
}

test("the two semantics differ on these recipes (the choice matters)", () => {
  let differ = 0;
  for (const c of records.cases.filter((x) => x.semantics === "pil")) {
    const other = tv.outputs[c.id.replace("/pil/", "/tensor/")]!;
    if (other.u8 !== tv.outputs[c.id]!.u8) differ++;
  }
  assert.ok(differ >= 12, `${differ} of 16 keys differ between pil and tensor`);
});

test.run();
