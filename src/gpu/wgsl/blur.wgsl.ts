// GaussianBlur's two integer passes (assembly/filter.ts's exact arithmetic; the kernel's
// f32 estimate only ever answers where it equals this):
//   blurv: V = sum_i wy_i * row(reflect(y - ry + i))   u8 x weights summing to 2^23 -> u32
//   blurh: S = sum_j wx_j * V(reflect(x - rx + j))     u32 x weights summing to 2^30 -> u64
//          byte = (S + 2^52) >> 53
// gaussianWeights' weights are non-negative, so V < 255 * 2^23 < 2^31 and S < 255 * 2^53:
// unsigned arithmetic gives the kernel's signed results, and the byte is at most 255.
import type { Shader } from "../shaders.js";
import { fourPixels, reflectFn } from "./common.wgsl.js";
import { mulhiloFn } from "./philox.wgsl.js";

/** The vertical pass: four bytes of a row an item (n bytes a row, h rows), u32 sums out. */
export const blurv = {
  decls: reflectFn,
  // ky weights at tab word wy; count: items (h rows of ceil(n / 4)).
  record: ["src", "dst: word", "n", "h: i32", "ky", "wy", "count"],
  body: /* wgsl */ `
  let ry = i32(ky >> 1u);
  let q = (n + 3u) >> 2u;
  // Four bytes of a row per item: a software adapter pays per invocation.
  for (var e = wk.first; e < count; e += wk.step) {
    let y = i32(e / q);
    let b = (e % q) * 4u;
    var acc = vec4<u32>(0u);
    let inside = y >= ry && y + ry < h; // no reflection: most rows
    for (var i = 0u; i < ky; i++) {
      var row = u32(y - ry) + i;
      if (!inside) { row = u32(reflect(y - ry + i32(i), h)); }
      let at = src + row * n + b;
      let wt = tab[wy + i];
      acc += wt * vec4<u32>(byteAt(at), byteAt(at + 1u), byteAt(at + 2u), byteAt(at + 3u));
    }
    let o = dst + u32(y) * n + b;
    for (var k = 0u; k < 4u; k++) {
      if (b + k < n) { pool[o + k] = acc[k]; }
    }
  }
`,
} satisfies Shader;

/** The horizontal pass: the w x h x c u32 rows of blurv to a u8 image. */
export const blurh = {
  decls: reflectFn + mulhiloFn,
  // kx weights at tab word wx.
  record: ["src: word", "dst: word", "w", "h", "c", "kx", "wx", "groups"],
  body: /* wgsl */ `
  let rx = i32(kx >> 1u);
  let pixels = w * h;
${fourPixels(/* wgsl */ `
      let y = pix / w;
      let x = i32(pix % w);
      let row = src + y * w * c;
      let inside = x >= rx && x + rx < i32(w);
      for (var ch = 0u; ch < c; ch++) {
        var lo = 0u;
        var hi = 0u;
        for (var t = 0u; t < kx; t++) {
          var col = u32(x - rx) + t;
          if (!inside) { col = u32(reflect(x - rx + i32(t), i32(w))); }
          let m = mulhilo(tab[wx + t], pool[row + col * c + ch]);
          let s = lo + m.y;
          hi += m.x + select(0u, 1u, s < lo);
          lo = s;
        }
        // (S + 2^52) >> 53: 2^52 is bit 20 of the high word; S < 2^61, so no carry out.
        v[ch] = min((hi + (1u << 20u)) >> 21u, 255u);
      }`)}`,
} satisfies Shader;
