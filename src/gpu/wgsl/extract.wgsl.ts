// Crop and pad in one: the h x w window at (top, left) of the source, the border filled by
// mode (0 constant, 1 edge, 2 reflect, 3 symmetric), as assembly/geometry.ts's extract.
import type { Shader } from "../shaders.js";
import { fourPixels, reflectFn } from "./common.wgsl.js";

export default {
  decls: /* wgsl */ `
${reflectFn}
fn mapIndex(i: i32, n: i32, mode: u32) -> i32 {
  if (i >= 0 && i < n) { return i; }
  if (mode == 0u) { return -1; }
  if (mode == 1u) { return select(n - 1, 0, i < 0); }
  if (mode == 2u) { return reflect(i, n); }
  let p = 2 * n;
  var m = i % p;
  if (m < 0) { m += p; }
  return select(p - 1 - m, m, m < n);
}
`,
  // sw x sh: the source; fill: c bytes packed.
  record: ["src", "sw", "sh", "c", "top: i32", "left: i32", "h", "w", "mode", "fill", "dst: word", "groups", "pixels"],
  body: fourPixels(/* wgsl */ `
      let y = pix / w;
      let x = pix - y * w;
      let sy = mapIndex(top + i32(y), i32(sh), mode);
      let sx = mapIndex(left + i32(x), i32(sw), mode);
      if (sy < 0 || sx < 0) {
        v = unpack4(fill);
      } else {
        v = bytesAt(src + (u32(sy) * sw + u32(sx)) * c, c);
      }`),
} satisfies Shader;
