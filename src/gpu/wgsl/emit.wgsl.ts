// The last pass of assembly/resample.ts for one window: the vertical pass (or Pillow's
// nearest lookup, or a plain copy when the height is unchanged), then the flips, then u8
// HWC out or CHW f32 through the kernel's per-channel ToTensor+Normalize table (the f32
// bits are copied, never computed). u8 output: one invocation per four pixels (c words);
// tensor output: one invocation per pixel (c values).
export default /* wgsl */ `
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
  var v = vec4<u32>(0u);
  if (s.nearest) {
    let sy = bitcast<i32>(tab[s.a + y]);
    let sx = bitcast<i32>(tab[s.b + x]);
    if (sy < 0 || sx < 0) { return v; }
    let at = s.mid + u32(sy) * s.midStride + u32(sx) * s.c;
    for (var ch = 0u; ch < s.c; ch++) { v[ch] = byteAt(at + ch); }
    return v;
  }
  if (!s.vpass) {
    let at = s.mid + y * s.midStride + x * s.c;
    for (var ch = 0u; ch < s.c; ch++) { v[ch] = byteAt(at + ch); }
    return v;
  }
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
  for (var ch = 0u; ch < s.c; ch++) { v[ch] = clip8(acc[ch]); }
  return v;
}

// Record: 0 kind (0 nearest, 1 separable), 1 flags (1 hflip, 2 vflip, 4 tensor, 8 vertical
// pass), 2 mid byte (source rows), 3 mid row stride (bytes), 4 c, 5 ww, 6 wh,
// 7 ys (nearest) or vertical bounds, 8 xs (nearest) or vertical weights, 9 vertical weights
// per row, 10 first row read (vertical bounds count from the box's top), 11 LUT (tab word,
// 256 per channel), 12 dst byte (4-aligned), 13 invocations' items (groups of 4 pixels for
// u8, pixels for tensors), 14 pixels.
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let wk = work(wid, nw, lid);
  if (!wk.ok) { return; }
  let j = wk.job;
  let flags = tab[j + 1u];
  let s = Rows(tab[j] == 0u, (flags & 8u) != 0u, tab[j + 2u], tab[j + 3u], tab[j + 4u], tab[j + 7u], tab[j + 8u], tab[j + 9u], tab[j + 10u]);
  let c = s.c;
  let ww = tab[j + 5u];
  let wh = tab[j + 6u];
  let lut = tab[j + 11u];
  let dst = tab[j + 12u] >> 2u;
  let items = tab[j + 13u];
  let pixels = tab[j + 14u];
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
  for (var g = wk.first; g < items; g += wk.step) {
    var words = array<u32, 4>(0u, 0u, 0u, 0u);
    for (var p = 0u; p < 4u; p++) {
      let pix = g * 4u + p;
      if (pix >= pixels) { break; }
      let yo = pix / ww;
      let xo = pix - yo * ww;
      let v = pixelAt(s, select(yo, wh - 1u - yo, vflip), select(xo, ww - 1u - xo, hflip));
      for (var ch = 0u; ch < c; ch++) { putByte(&words, p * c + ch, v[ch]); }
    }
    for (var k = 0u; k < c; k++) { pool[dst + g * c + k] = words[k]; }
  }
}
`;
