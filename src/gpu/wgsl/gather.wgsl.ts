// A gather: output pixel i copies source pixel table[i] (c bytes), or takes the fill where
// the table says 0xffffffff. The nearest warps (their tables are the wasm warp's own
// output on an image of pixel indices), the quarter turns and the five/ten crops.
// One invocation writes four pixels (c words) of the output.
export default /* wgsl */ `
// Record: 0 src byte, 1 c, 2 table word (one index per output pixel), 3 fill (c bytes
// packed), 4 dst byte (4-aligned), 5 groups of 4 pixels, 6 pixels.
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let wk = work(wid, nw, lid);
  if (!wk.ok) { return; }
  let j = wk.job;
  let src = tab[j];
  let c = tab[j + 1u];
  let t = tab[j + 2u];
  let fill = tab[j + 3u];
  let dst = tab[j + 4u] >> 2u;
  let groups = tab[j + 5u];
  let pixels = tab[j + 6u];
  for (var g = wk.first; g < groups; g += wk.step) {
    var words = array<u32, 4>(0u, 0u, 0u, 0u);
    for (var p = 0u; p < 4u; p++) {
      let pix = g * 4u + p;
      if (pix >= pixels) { break; }
      let i = tab[t + pix];
      if (i == 0xffffffffu) {
        for (var ch = 0u; ch < c; ch++) { putByte(&words, p * c + ch, (fill >> (ch * 8u)) & 0xffu); }
      } else {
        let at = src + i * c;
        for (var ch = 0u; ch < c; ch++) { putByte(&words, p * c + ch, byteAt(at + ch)); }
      }
    }
    for (var k = 0u; k < c; k++) { pool[dst + g * c + k] = words[k]; }
  }
}
`;
