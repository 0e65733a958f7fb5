// Writes tests/codec/encoded/<name>.png: the kernel encoder's output for each image of
// encoded-sources.ts. Run `npx tsx tests/codec/make_encoded.ts`, then
// `/work/venv/bin/python tests/codec/make_png_corpus.py` to record what Pillow decodes from them.
// Commit both: codec-encode.test.ts then checks that the encoder still writes these exact bytes.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { ready } from "../../src/index.js";
import { encodePng } from "../../src/io/encode.js";
import { encodedSources } from "./encoded-sources.js";

await ready();
const dir = new URL("encoded/", import.meta.url);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
for (const [name, img] of encodedSources()) {
  const png = await encodePng(img);
  writeFileSync(new URL(`${name}.png`, dir), png);
  console.log(`${name}.png: ${img.width}x${img.height}x${img.channels}, ${png.length} bytes`);
}
