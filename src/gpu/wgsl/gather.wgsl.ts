// A gather: output pixel i copies source pixel table[i] (c bytes), or takes the fill where
// the table says 0xffffffff. The nearest warps (their tables are the wasm warp's own
// output on an image of pixel indices), the quarter turns and the five/ten crops.
import type { Shader } from "../shaders.js";
import { fourPixels } from "./common.wgsl.js";

export default {
  // table: tab word of one source pixel index per output pixel; fill: c bytes packed.
  record: ["src", "c", "table", "fill", "dst: word", "groups", "pixels"],
  body: fourPixels(/* wgsl */ `
      let i = tab[table + pix];
      if (i == 0xffffffffu) {
        v = unpack4(fill);
      } else {
        v = bytesAt(src + i * c, c);
      }`),
} satisfies Shader;
