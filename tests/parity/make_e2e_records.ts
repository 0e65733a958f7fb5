// Writes tests/parity/fixtures/e2e/records.json: lockstep's records (every drawn parameter)
// of the end-to-end recipes (e2e_recipes.ts) on the sample photos. make_fixtures_e2e.py
// replays them in torchvision 0.28 and writes torchvision's output hashes next to them.
//
//   npx tsx tests/parity/make_e2e_records.ts
import { readFileSync, writeFileSync } from "node:fs";
import { ready } from "../../src/index.js";
import { decode } from "../../src/io/index.js";
import { augment, KEYS, type Recipe, type Semantics } from "./e2e_recipes.js";

await ready();
const samples = new URL("../../samples/", import.meta.url);
const images = new Map<string, Awaited<ReturnType<typeof decode>>>();
for (const [photo] of KEYS) if (!images.has(photo)) images.set(photo, await decode(readFileSync(new URL(photo, samples))));

const cases = [];
for (const recipe of ["colorjitter", "randaugment"] as Recipe[]) {
  for (const semantics of ["pil", "tensor"] as Semantics[]) {
    const t = augment(recipe, semantics);
    for (const [photo, seed, index] of KEYS) {
      const img = images.get(photo)!;
      const { record } = t.applyWithRecord(img, { seed, index });
      cases.push({ id: `${recipe}/${semantics}/${photo}/${seed}/${index}`, recipe, semantics, photo, seed, index, pipeline: t.toJSON(), record });
    }
  }
}
const text = "{\n \"generator\": \"tests/parity/make_e2e_records.ts\",\n \"cases\": [\n" + cases.map((c) => "  " + JSON.stringify(c)).join(",\n") + "\n ]\n}\n";
writeFileSync(new URL("./fixtures/e2e/records.json", import.meta.url), text);
console.log(`${cases.length} records`);
