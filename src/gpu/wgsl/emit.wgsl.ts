// The last pass of assembly/resample.ts for one window: the vertical pass (or Pillow's
// nearest lookup, or a plain copy when the height is unchanged), then the flips, then u8
// HWC out or CHW f32 through the kernel's per-channel ToTensor+Normalize table (the f32
// bits are copied, never computed). u8 output: one invocation per four pixels (c words);
// tensor output: one invocation per pixel (c values).
import type { Shader } from "../shaders.js";
import { fourPixels } from "./common.wgsl.js";

export default {
  decls: /* wgsl */ `
struct Rows {
  nearest: bool,
  vpass: bool,   // a vertical resampling pass (else rows are copied)
  mid: u32,      // byte of the first row read
  midStride: u32,
  c: u32,
  a: u32,        // ys (nearest) or vertical bounds
  b: u32,        // xs (nearest) or vertical weights
  kv: u32,       // vertical weights per row
  first: u32,    // the box row that mid is (vertical bounds count from the box's top)
}

// The c channel values of pixel (y, x) of the window, before the flips.
fn pixelAt(s: Rows, y: u32, x: u32) -> vec4<u32> {
  if (s.nearest) {
    let sy = bitcast<i32>(tab[s.a + y]);
    let sx = bitcast<i32>(tab[s.b + x]);
    if (sy < 0 || sx < 0) { return vec4<u32>(0u); }
    return bytesAt(s.mid + u32(sy) * s.midStride + u32(sx) * s.c, s.c);
  }
  if (!s.vpass) { return bytesAt(s.mid + y * s.midStride + x * s.c, s.c); }
  let ymin = tab[s.a + 2u * y] - s.first;
  let cnt = tab[s.a + 2u * y + 1u];
  let k = s.b + y * s.kv;
  var at = s.mid + ymin * s.midStride + x * s.c;
  var acc = vec4<i32>(HALF);
  for (var t = 0u; t < cnt; t++) {
    let wt = bitcast<i32>(tab[k + t]);
    for (var ch = 0u; ch < s.c; ch++) { acc[ch] += i32(byteAt(at + ch)) * wt; }
    at += s.midStride;
  }
  var v = vec4<u32>(0u);
  for (var ch = 0u; ch < s.c; ch++) { v[ch] = clip8(acc[ch]); }
  return v;
}
`,
  // kind: 0 nearest, 1 separable; flags: 1 hflip, 2 vflip, 4 tensor, 8 vertical pass; mid:
  // byte of the source rows, midStride bytes a row; ww x wh: the window; a: ys (nearest) or
  // vertical bounds; b: xs (nearest) or vertical weights, kv per row; first: the first row
  // read (vertical bounds count from the box's top); lut: tab word of the ToTensor table
  // (256 per channel); items: groups of 4 pixels for u8, pixels for tensors.
  record: ["kind", "flags", "mid", "midStride", "c", "ww", "wh", "a", "b", "kv", "first", "lut", "dst: word", "items", "pixels"],
  body: /* wgsl */ `
  let s = Rows(kind == 0u, (flags & 8u) != 0u, mid, midStride, c, a, b, kv, first);
  let hflip = (flags & 1u) != 0u;
  let vflip = (flags & 2u) != 0u;
  if ((flags & 4u) != 0u) {
    for (var i = wk.first; i < items; i += wk.step) {
      let yo = i / ww;
      let xo = i - yo * ww;
      let v = pixelAt(s, select(yo, wh - 1u - yo, vflip), select(xo, ww - 1u - xo, hflip));
      for (var ch = 0u; ch < c; ch++) { pool[dst + ch * pixels + i] = tab[lut + ch * 256u + v[ch]]; }
    }
    return;
  }
${fourPixels(
  /* wgsl */ `
      let yo = pix / ww;
      let xo = pix - yo * ww;
      v = pixelAt(s, select(yo, wh - 1u - yo, vflip), select(xo, ww - 1u - xo, hflip));`,
  { groups: "items" },
)}`,
} satisfies Shader;
