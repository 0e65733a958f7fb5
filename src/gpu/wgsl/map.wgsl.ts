// Per-byte maps of a u8 image, same size in and out: a channel permutation (output channel k
// is input channel perm[k], as assembly/color.ts's colorPermute) and/or the kernel's
// per-channel lookup tables (colorApplyLut: channels past the tables, RGBA's alpha, copied).
// Tables are the kernel's bytes packed four to a word; the shader only indexes them.
import type { Shader } from "../shaders.js";
import { fourPixels } from "./common.wgsl.js";

export default {
  // perm: c source channels, a byte each; lut: tab word of the tables (channel ch's at byte
  // ch * 256); cc: channels through the tables (0: none); inPool: the tables are in the pool
  // (lut is then their byte address: tables a previous pass computed from the image).
  record: ["src", "c", "perm", "lut", "cc", "dst: word", "groups", "pixels", "inPool: bool"],
  body: fourPixels(/* wgsl */ `
      let at = src + pix * c;
      for (var ch = 0u; ch < c; ch++) {
        v[ch] = byteAt(at + ((perm >> (ch * 8u)) & 0xffu));
        if (ch < cc) {
          let i = ch * 256u + v[ch];
          if (inPool) { v[ch] = byteAt(lut + i); } else { v[ch] = (tab[lut + (i >> 2u)] >> ((i & 3u) << 3u)) & 0xffu; }
        }
      }`),
} satisfies Shader;
