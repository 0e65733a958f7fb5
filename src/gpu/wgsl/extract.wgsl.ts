// Crop and pad in one: the h x w window at (top, left) of the source, the border filled by
// mode (0 constant, 1 edge, 2 reflect, 3 symmetric), as assembly/geometry.ts's extract.
// One invocation writes four pixels (c words) of the output.
export default /* wgsl */ `
fn mapIndex(i: i32, n: i32, mode: u32) -> i32 {
  if (i >= 0 && i < n) { return i; }
  if (mode == 0u) { return -1; }
  if (mode == 1u) { return select(n - 1, 0, i < 0); }
  if (mode == 2u) {
    if (n == 1) { return 0; }
    let p = 2 * n - 2;
    var m = i % p;
    if (m < 0) { m += p; }
    return select(p - m, m, m < n);
  }
  let p = 2 * n;
  var m = i % p;
  if (m < 0) { m += p; }
  return select(p - 1 - m, m, m < n);
}

// Record: 0 src byte, 1 sw, 2 sh, 3 c, 4 top (i32), 5 left (i32), 6 h, 7 w, 8 mode,
// 9 fill (c bytes packed), 10 dst byte (4-aligned), 11 groups of 4 pixels, 12 pixels.
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let wk = work(wid, nw, lid);
  if (!wk.ok) { return; }
  let j = wk.job;
  let src = tab[j];
  let sw = tab[j + 1u];
  let sh = tab[j + 2u];
  let c = tab[j + 3u];
  let top = bitcast<i32>(tab[j + 4u]);
  let left = bitcast<i32>(tab[j + 5u]);
  let w = tab[j + 7u];
  let mode = tab[j + 8u];
  let fill = tab[j + 9u];
  let dst = tab[j + 10u] >> 2u;
  let groups = tab[j + 11u];
  let pixels = tab[j + 12u];
  for (var g = wk.first; g < groups; g += wk.step) {
    var words = array<u32, 4>(0u, 0u, 0u, 0u);
    for (var p = 0u; p < 4u; p++) {
      let pix = g * 4u + p;
      if (pix >= pixels) { break; }
      let y = pix / w;
      let x = pix - y * w;
      let sy = mapIndex(top + i32(y), i32(sh), mode);
      let sx = mapIndex(left + i32(x), i32(sw), mode);
      if (sy < 0 || sx < 0) {
        for (var ch = 0u; ch < c; ch++) { putByte(&words, p * c + ch, (fill >> (ch * 8u)) & 0xffu); }
      } else {
        let at = src + (u32(sy) * sw + u32(sx)) * c;
        for (var ch = 0u; ch < c; ch++) { putByte(&words, p * c + ch, byteAt(at + ch)); }
      }
    }
    for (var k = 0u; k < c; k++) { pool[dst + g * c + k] = words[k]; }
  }
}
`;
