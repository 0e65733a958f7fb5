// Per-byte maps of a u8 image, same size in and out: a channel permutation (output channel k
// is input channel perm[k], as assembly/color.ts's colorPermute) and/or the kernel's
// per-channel lookup tables (colorApplyLut: channels past the tables, RGBA's alpha, copied).
// Tables are the kernel's bytes packed four to a word; the shader only indexes them.
// One invocation writes four pixels (c words) of the output.
export default /* wgsl */ `
// Record: 0 src byte, 1 c, 2 perm (c source channels, a byte each), 3 table word (tables of
// channel ch at byte ch * 256), 4 channels through the tables (0: none), 5 dst byte
// (4-aligned), 6 groups of 4 pixels, 7 pixels, 8 1 when the tables are in the pool (word 3
// is then their byte address: tables a previous pass computed from the image).
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let wk = work(wid, nw, lid);
  if (!wk.ok) { return; }
  let j = wk.job;
  let src = tab[j];
  let c = tab[j + 1u];
  let perm = tab[j + 2u];
  let lut = tab[j + 3u];
  let cc = tab[j + 4u];
  let dst = tab[j + 5u] >> 2u;
  let groups = tab[j + 6u];
  let pixels = tab[j + 7u];
  let inPool = tab[j + 8u] != 0u;
  for (var g = wk.first; g < groups; g += wk.step) {
    var words = array<u32, 4>(0u, 0u, 0u, 0u);
    for (var p = 0u; p < 4u; p++) {
      let pix = g * 4u + p;
      if (pix >= pixels) { break; }
      let at = src + pix * c;
      for (var ch = 0u; ch < c; ch++) {
        var v = byteAt(at + ((perm >> (ch * 8u)) & 0xffu));
        if (ch < cc) {
          let i = ch * 256u + v;
          if (inPool) { v = byteAt(lut + i); } else { v = (tab[lut + (i >> 2u)] >> ((i & 3u) << 3u)) & 0xffu; }
        }
        putByte(&words, p * c + ch, v);
      }
    }
    for (var k = 0u; k < c; k++) { pool[dst + g * c + k] = words[k]; }
  }
}
`;
