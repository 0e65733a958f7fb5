// The horizontal pass of assembly/resample.ts: for each of `rows` rows of the box and each
// of the window's n output columns, HALF + sum of pixel * 22-bit weight in i32, >> 22,
// clamped to [0, 255]. The wasm splits each weight into 11-bit halves for its i16 dot
// products; the integer sum is the same.
import type { Shader } from "../shaders.js";
import { fourPixels } from "./common.wgsl.js";

export default {
  // src: byte of the box's origin at the first row read; srcStride: bytes a row; n: output
  // columns; bounds: tab word of (xmin, count) per column; coeffs: tab word of the weights,
  // stride per column; pixels: rows * n.
  record: ["src", "srcStride", "rows", "c", "n", "bounds", "coeffs", "stride", "dst: word", "groups", "pixels"],
  body: fourPixels(/* wgsl */ `
      let r = pix / n;
      let x = pix - r * n;
      let xmin = tab[bounds + 2u * x];
      let cnt = tab[bounds + 2u * x + 1u];
      let k = coeffs + x * stride;
      var at = src + r * srcStride + xmin * c;
      var acc = vec4<i32>(HALF);
      for (var t = 0u; t < cnt; t++) {
        let wt = bitcast<i32>(tab[k + t]);
        for (var ch = 0u; ch < c; ch++) { acc[ch] += i32(byteAt(at + ch)) * wt; }
        at += c;
      }
      for (var ch = 0u; ch < c; ch++) { v[ch] = clip8(acc[ch]); }`),
} satisfies Shader;
