// The kernel's convertMode against Pillow 12.3's Image.convert, on images Pillow created
// directly in every mode a decoder gives (tests/codec/make_png_corpus.py, "convert" section):
// 1, L, LA, RGB, RGBA, P (short palette, bytes and int transparency), I;16 (values that clip),
// CMYK, and colour keys in info["transparency"] (8-bit, 16-bit, I;16 keys that clip).
// Decoded PNG files are converted against Pillow in codec-png.test.ts.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { ready } from "../src/index.js";
import { FLAG, MODES, codec, convert, readRepo, sha256 } from "./helpers/codec.js";

await ready();

interface ConvertCase {
  name: string;
  file: string;
  mode: string;
  width: number;
  height: number;
  input: string;
  palette?: number[];
  transparency?: number | number[];
  RGB: string;
  L: string;
  RGBA: string;
}

const cases = (JSON.parse(readFileSync(new URL("codec/png-manifest.json", import.meta.url), "utf8")) as { convert: ConvertCase[] }).convert;

/** The aux block as a decoder fills it: the palette, then alpha from Pillow's transparency. */
function auxOf(c: ConvertCase): Uint8Array {
  const aux = new Uint8Array(1024);
  aux.set(c.palette ?? []);
  aux.fill(255, 768);
  if (Array.isArray(c.transparency)) aux.set(c.transparency, 768);
  else if (typeof c.transparency === "number") aux[768 + c.transparency] = 0;
  return aux;
}

test("every mode Pillow creates converts to Pillow's RGB, L and RGBA bytes", () => {
  const seen = new Set<string>();
  for (const c of cases) {
    const data = readRepo(c.file);
    assert.is(sha256(data), c.input, `${c.name}: input`);
    const t = c.transparency;
    const extra =
      c.mode === "P"
        ? { aux: auxOf(c), flags: t === undefined ? 0 : FLAG.PALETTE_ALPHA }
        : t === undefined
          ? {}
          : { key: typeof t === "number" ? [t] : t };
    for (const to of ["RGB", "L", "RGBA"] as const) {
      const r = convert(data, MODES[c.mode]!, c.width, c.height, MODES[to]!, extra);
      assert.is(r.status, 0, `${c.name} -> ${to}`);
      assert.is(sha256(r.data!), c[to], `${c.name} -> ${to}`);
    }
    seen.add(c.mode);
  }
  assert.equal([...seen].sort(), ["1", "CMYK", "I;16", "L", "LA", "P", "RGB", "RGBA"]);
});

test("keepMode: the file's own channels (grey 1, colour 3, alpha or palette tRNS 4)", () => {
  const k = codec();
  const keep = (mode: string, flags = 0) => k.keepMode(MODES[mode]!, flags);
  assert.is(keep("1"), MODES.L);
  assert.is(keep("L"), MODES.L);
  assert.is(keep("L", FLAG.KEY), MODES.L, "a colour key adds no channel");
  assert.is(keep("I;16"), MODES.L);
  assert.is(keep("LA"), MODES.RGBA);
  assert.is(keep("RGB"), MODES.RGB);
  assert.is(keep("RGB", FLAG.KEY), MODES.RGB);
  assert.is(keep("RGBA"), MODES.RGBA);
  assert.is(keep("P"), MODES.RGB);
  assert.is(keep("P", FLAG.PALETTE_ALPHA), MODES.RGBA);
  assert.is(keep("CMYK"), MODES.RGB);
});

test("conversions it does not do are a status, not a trap", () => {
  const px = new Uint8Array(12);
  for (const to of [MODES.P!, MODES.LA!, MODES.CMYK!, MODES["1"]!, 0, 99])
    assert.is(convert(px, MODES.RGB!, 2, 2, to).status, 32, `to ${to}`);
  assert.is(convert(px, 0, 2, 2, MODES.RGB!).status, 32);
  assert.is(convert(px, 42, 2, 2, MODES.RGB!).status, 32);
});

test("same mode is a copy; in place too", () => {
  const px = Uint8Array.from({ length: 5 * 3 * 4 }, (_, i) => (i * 37) & 255);
  const r = convert(px, MODES.RGBA!, 5, 3, MODES.RGBA!);
  assert.equal([...r.data!], [...px]);
});

test.run();
