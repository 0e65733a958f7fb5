// The command line's number and label parsing: seeds over the API's whole range (to 2^64 - 1),
// the same key for a seed as a number or a bigint, errors that name the flag; class labels from
// folders as torchvision's ImageFolder (sorted sub-folder names).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseSeed, parseInteger, seedJson, seedFromJson } from "../src/cli/args.js";
import { classLabels } from "../src/cli/labels.js";
import { ready, Compose, RandomResizedCrop, ColorJitter } from "../src/index.js";
import { seedKey } from "../src/random/index.js";
import { synthetic } from "./helpers/recipes.js";

await ready();

test("parseSeed: decimal integers up to 2^64 - 1; numbers below 2^53, bigints above", () => {
  assert.is(parseSeed(undefined), 0);
  assert.is(parseSeed("0"), 0);
  assert.is(parseSeed("42"), 42);
  assert.is(parseSeed(String(2 ** 53 - 1)), 2 ** 53 - 1);
  assert.is(parseSeed("9007199254740992"), 9007199254740992n);
  assert.is(parseSeed("18446744073709551615"), 18446744073709551615n);
  for (const bad of ["18446744073709551616", "99999999999999999999999"])
    assert.throws(() => parseSeed(bad), /--seed must be at most 2\^64 - 1 = 18446744073709551615, got/);
  for (const bad of ["-1", "1.5", "1e3", "0x10", "", "abc", " "])
    assert.throws(() => parseSeed(bad), /--seed must be a non-negative decimal integer/);
});

test("a seed's key is its low and high 32 bits, whether a number or a bigint", () => {
  // The oracle is arithmetic on the decimal value, independent of seedKey's code.
  for (const s of ["0", "1", "4294967295", "4294967296", "9007199254740991", "9007199254740993", "18446744073709551615"]) {
    const n = BigInt(s);
    assert.equal(seedKey(parseSeed(s)), [Number(n % 4294967296n), Number(n / 4294967296n)], s);
  }
  // Below 2^53 the number and the bigint give the same bytes.
  const img = synthetic(40, 30, 3, 1);
  const t = new Compose([new RandomResizedCrop(16), new ColorJitter(0.4, 0.4)]);
  assert.equal(t.apply(img, { seed: 123456789, index: 3 }).data, t.apply(img, { seed: 123456789n, index: 3 }).data);
  assert.not.equal(
    t.apply(img, { seed: 18446744073709551615n, index: 3 }).data,
    t.apply(img, { seed: 18446744073709551614n, index: 3 }).data,
  );
});

test("seeds in manifests: numbers below 2^53, decimal strings above, read back exactly", () => {
  for (const s of [0, 7, 2 ** 53 - 1, 2n ** 53n, 2n ** 64n - 1n])
    assert.equal(seedFromJson(JSON.parse(JSON.stringify(seedJson(s))), "m"), s);
  assert.is(JSON.stringify(seedJson(5)), "5", "small seeds stay JSON numbers (manifests as before)");
  for (const bad of [-1, 1.5, "x", "18446744073709551616", null])
    assert.throws(() => seedFromJson(bad, "m.jsonl line 1"), /^m\.jsonl line 1: seed must be/);
});

test("parseInteger names the flag and refuses non-integers and values below the minimum", () => {
  assert.is(parseInteger(undefined, "epochs", 2, 1), 2);
  assert.is(parseInteger("3", "epochs", 2, 1), 3);
  for (const bad of ["0", "-1", "1.5", "2e0", "x", ""])
    assert.throws(() => parseInteger(bad, "epochs", 2, 1), /--epochs must be an integer >= 1, got/);
  assert.is(parseInteger("0", "start-epoch", 0, 0), 0);
});

test("classLabels: sorted class sub-folders as ImageFolder, files outside them unlabelled", async () => {
  const dir = mkdtempSync(join(tmpdir(), "lockstep-labels-"));
  try {
    for (const c of ["dog", "Cat", "bird", "ant/nested"]) mkdirSync(join(dir, "root", c), { recursive: true });
    writeFileSync(join(dir, "root", "loose.png"), "");
    writeFileSync(join(dir, "single.png"), "");
    const l = await classLabels([join(dir, "root"), join(dir, "single.png")]);
    // Code-unit order, as Python's sorted(): uppercase first.
    assert.equal(l.classes, ["Cat", "ant", "bird", "dog"]);
    assert.is(l.labelOf(join(dir, "root", "dog", "1.png")), 3);
    assert.is(l.labelOf(join(dir, "root", "Cat", "1.png")), 0);
    assert.is(l.labelOf(join(dir, "root", "ant", "nested", "deep.png")), 1, "a nested file takes its top-level class");
    assert.is(l.labelOf(join(dir, "root", "loose.png")), null);
    assert.is(l.labelOf(join(dir, "single.png")), null);
    assert.equal((await classLabels([join(dir, "root", "dog")])).classes, [], "a folder without sub-folders has no classes");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
