// Philox4x32-10 (Salmon et al., SC11) in WGSL, for per-pixel randomness on the GPU: the
// same words as assembly/rng.ts. WGSL has no 64-bit integers, so the 32x32 -> 64 product
// is built from 16-bit halves (every partial sum fits in a u32).

/** mulhilo(a, b): the 64-bit product of two u32 as vec2(high word, low word); float.wgsl.ts uses it too. */
export const mulhiloFn = /* wgsl */ `
fn mulhilo(a: u32, b: u32) -> vec2<u32> {
  let a0 = a & 0xffffu;
  let a1 = a >> 16u;
  let b0 = b & 0xffffu;
  let b1 = b >> 16u;
  let p00 = a0 * b0;
  let p01 = a0 * b1;
  let p10 = a1 * b0;
  let p11 = a1 * b1;
  let mid = (p00 >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
  let hi = p11 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u);
  return vec2<u32>(hi, a * b);
}
`;

export const philoxFns = /* wgsl */ `
${mulhiloFn}
fn philox4x32_10(counter: vec4<u32>, key: vec2<u32>) -> vec4<u32> {
  var c = counter;
  var k = key;
  for (var r = 0u; r < 10u; r++) {
    let p0 = mulhilo(0xd2511f53u, c.x);
    let p1 = mulhilo(0xcd9e8d57u, c.z);
    c = vec4<u32>(p1.x ^ c.y ^ k.x, p1.y, p0.x ^ c.w ^ k.y, p0.y);
    k = k + vec2<u32>(0x9e3779b9u, 0xbb67ae85u);
  }
  return c;
}
`;

/** A test kernel: record i of `io` holds counter (4 words) and key (2 words); the 4 result words go to out. */
export default /* wgsl */ `
${philoxFns}
@group(0) @binding(0) var<storage, read> io: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let n = arrayLength(&out) / 4u;
  let i = gid.x;
  if (i >= n) { return; }
  let b = i * 6u;
  let r = philox4x32_10(vec4<u32>(io[b], io[b + 1u], io[b + 2u], io[b + 3u]), vec2<u32>(io[b + 4u], io[b + 5u]));
  out[i * 4u] = r.x;
  out[i * 4u + 1u] = r.y;
  out[i * 4u + 2u] = r.z;
  out[i * 4u + 3u] = r.w;
}
`;
