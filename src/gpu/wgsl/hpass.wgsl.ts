// The horizontal pass of assembly/resample.ts: for each of `rows` rows of the box and each
// of the window's n output columns, HALF + sum of pixel * 22-bit weight in i32, >> 22,
// clamped to [0, 255]. The wasm splits each weight into 11-bit halves for its i16 dot
// products; the integer sum is the same. One invocation writes four pixels (c words).
export default /* wgsl */ `
// Record: 0 src byte (box origin at the first row read), 1 src row stride (bytes), 2 rows,
// 3 c, 4 n (output columns), 5 bounds (tab word: xmin, count per column), 6 coeffs (tab
// word), 7 stride (weights per column), 8 dst byte (4-aligned), 9 groups of 4 pixels,
// 10 pixels (rows * n).
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let wk = work(wid, nw, lid);
  if (!wk.ok) { return; }
  let j = wk.job;
  let src = tab[j];
  let srcStride = tab[j + 1u];
  let c = tab[j + 3u];
  let n = tab[j + 4u];
  let bounds = tab[j + 5u];
  let coeffs = tab[j + 6u];
  let stride = tab[j + 7u];
  let dst = tab[j + 8u] >> 2u;
  let groups = tab[j + 9u];
  let pixels = tab[j + 10u];
  for (var g = wk.first; g < groups; g += wk.step) {
    var words = array<u32, 4>(0u, 0u, 0u, 0u);
    for (var p = 0u; p < 4u; p++) {
      let pix = g * 4u + p;
      if (pix >= pixels) { break; }
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
      for (var ch = 0u; ch < c; ch++) { putByte(&words, p * c + ch, clip8(acc[ch])); }
    }
    for (var k = 0u; k < c; k++) { pool[dst + g * c + k] = words[k]; }
  }
}
`;
