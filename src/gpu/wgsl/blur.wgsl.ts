// GaussianBlur's two integer passes (assembly/filter.ts's exact arithmetic; the kernel's
// f32 estimate only ever answers where it equals this):
//   blurv: V = sum_i wy_i * row(reflect(y - ry + i))   u8 x weights summing to 2^23 -> u32
//   blurh: S = sum_j wx_j * V(reflect(x - rx + j))     u32 x weights summing to 2^30 -> u64
//          byte = (S + 2^52) >> 53
// gaussianWeights' weights are non-negative, so V < 255 * 2^23 < 2^31 and S < 255 * 2^53:
// unsigned arithmetic gives the kernel's signed results, and the byte is at most 255.
import { mulhiloFn } from "./philox.wgsl.js";

/** torchvision's reflect padding, repeated past one period (assembly/filter.ts's reflect). */
const reflectFn = /* wgsl */ `
fn reflect(i: i32, n: i32) -> i32 {
  if (i >= 0 && i < n) { return i; }
  if (n == 1) { return 0; }
  let p = 2 * n - 2;
  var m = i % p;
  if (m < 0) { m += p; }
  return select(p - m, m, m < n);
}
`;

/** Record: 0 src byte, 1 dst byte (words), 2 n (bytes of a row: w * c), 3 h, 4 ky, 5 wy table word, 6 items (h rows of ceil(n / 4)). */
export const blurv = /* wgsl */ `
${reflectFn}
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let wk = work(wid, nw, lid);
  if (!wk.ok) { return; }
  let j = wk.job;
  let src = tab[j];
  let dst = tab[j + 1u] >> 2u;
  let n = tab[j + 2u];
  let h = i32(tab[j + 3u]);
  let ky = tab[j + 4u];
  let wy = tab[j + 5u];
  let count = tab[j + 6u];
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
}
`;

/** Record: 0 src byte (the u32 rows of blurv), 1 dst byte, 2 w, 3 h, 4 c, 5 kx, 6 wx table word, 7 groups of 4 pixels. */
export const blurh = /* wgsl */ `
${reflectFn}
${mulhiloFn}
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let wk = work(wid, nw, lid);
  if (!wk.ok) { return; }
  let j = wk.job;
  let src = tab[j] >> 2u;
  let dst = tab[j + 1u] >> 2u;
  let w = tab[j + 2u];
  let h = tab[j + 3u];
  let c = tab[j + 4u];
  let kx = tab[j + 5u];
  let wx = tab[j + 6u];
  let groups = tab[j + 7u];
  let rx = i32(kx >> 1u);
  let pixels = w * h;
  for (var g = wk.first; g < groups; g += wk.step) {
    var words = array<u32, 4>(0u, 0u, 0u, 0u);
    for (var p = 0u; p < 4u; p++) {
      let pix = g * 4u + p;
      if (pix >= pixels) { break; }
      let y = pix / w;
      let x = i32(pix % w);
      let row = src + y * w * c;
      for (var ch = 0u; ch < c; ch++) {
        var lo = 0u;
        var hi = 0u;
        let inside = x >= rx && x + rx < i32(w);
        for (var t = 0u; t < kx; t++) {
          var col = u32(x - rx) + t;
          if (!inside) { col = u32(reflect(x - rx + i32(t), i32(w))); }
          let m = mulhilo(tab[wx + t], pool[row + col * c + ch]);
          let s = lo + m.y;
          hi += m.x + select(0u, 1u, s < lo);
          lo = s;
        }
        // (S + 2^52) >> 53: 2^52 is bit 20 of the high word; S < 2^61, so no carry out.
        putByte(&words, p * c + ch, min((hi + (1u << 20u)) >> 21u, 255u));
      }
    }
    for (var k = 0u; k < c; k++) { pool[dst + g * c + k] = words[k]; }
  }
}
`;
