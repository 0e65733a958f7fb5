// Declarations shared by the shaders. Every shader binds the same three resources:
//   pool  - every image of the batch chunk, bytes packed four to a u32 (tensors as f32 bits)
//   tab   - job records (REC words each) and the kernel's tables (weights, indices, LUTs,
//           register-machine programs)
//   range - which records this dispatch runs
// Pixel values are computed by integer arithmetic only, exactly as the wasm kernel does
// (floating-point steps through wgsl/float.wgsl.ts's integer soft floats).
// A u8 image of n pixels and c channels occupies ceil(n / 4) * c words: each invocation
// writes whole words, four pixels at a time.

/** Everything but the pool's declaration. */
export const header = /* wgsl */ `
struct Range {
  base: u32,   // word index in tab of this dispatch's first job record
  count: u32,  // jobs in this dispatch
  starts: u32, // word index in tab of the jobs' first workgroups (ascending, the first is 0)
  total: u32,  // workgroups of all jobs
}

@group(0) @binding(1) var<storage, read> tab: array<u32>;
@group(0) @binding(2) var<uniform> range: Range;

const REC: u32 = 32u;
// Pillow's fixed point: 22-bit weights, rounding by adding half before the shift.
const PRECISION_BITS: u32 = 22u;
const HALF: i32 = 2097152; // 1 << 21

struct Work {
  job: u32,   // word index of the job's record
  first: u32, // this invocation's first item
  step: u32,  // the job's invocations: the stride of its grid-stride loop
  ok: bool,
}

/** The job a workgroup serves: its index in the dispatch, or range.count for none (uniform). */
fn jobOf(wid: vec3<u32>, nw: vec3<u32>) -> u32 {
  let w = wid.x + wid.y * nw.x;
  if (w >= range.total) { return range.count; }
  var lo = 0u;
  var hi = range.count - 1u;
  while (lo < hi) {
    let mid = (lo + hi + 1u) >> 1u;
    if (tab[range.starts + mid] <= w) { lo = mid; } else { hi = mid - 1u; }
  }
  return lo;
}

// Jobs get workgroups in proportion to their size, one flat range for the whole dispatch:
// workgroup w serves the last job whose first workgroup is <= w.
fn work(wid: vec3<u32>, nw: vec3<u32>, lid: u32) -> Work {
  let w = wid.x + wid.y * nw.x;
  let lo = jobOf(wid, nw);
  if (lo >= range.count) { return Work(0u, 0u, 0u, false); }
  let s = tab[range.starts + lo];
  let next = select(range.total, tab[range.starts + lo + 1u], lo + 1u < range.count);
  return Work(range.base + lo * REC, (w - s) * 64u + lid, (next - s) * 64u, true);
}

fn clip8(acc: i32) -> u32 {
  return u32(clamp(acc >> PRECISION_BITS, 0, 255));
}

// The c bytes at pool byte \`at\` (one pixel's channels); lanes past c are 0.
fn bytesAt(at: u32, c: u32) -> vec4<u32> {
  var v = vec4<u32>(0u);
  for (var ch = 0u; ch < c; ch++) { v[ch] = byteAt(at + ch); }
  return v;
}

// The four bytes of a word (a fill colour packed by the host), low byte first.
fn unpack4(w: u32) -> vec4<u32> {
  return (vec4<u32>(w) >> vec4<u32>(0u, 8u, 16u, 24u)) & vec4<u32>(0xffu);
}

// u8 images are written four pixels (c words) per invocation: byte b of the group's words.
fn putByte(words: ptr<function, array<u32, 4>>, b: u32, v: u32) {
  (*words)[b >> 2u] |= v << ((b & 3u) << 3u);
}
`;

/**
 * The entry point every shader shares: the job this invocation serves (`wk`, its record at
 * tab[j]), the record's words bound by name (`lets`), then the shader's `body`. With
 * `everyInvocation` the body runs also where wk.ok is false (j is then 0), for shaders
 * that meet at workgroup barriers.
 */
export function entryPoint(lets: string, body: string, everyInvocation: boolean): string {
  return /* wgsl */ `
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let wk = work(wid, nw, lid);${everyInvocation ? "" : "\n  if (!wk.ok) { return; }"}
  let j = wk.job;
${lets}${body}}
`;
}

/**
 * The writer of a u8 image, four pixels (c words) an item: the grid-stride loop over
 * `groups` groups of four of `pixels` pixels, packing bytes into words for `dst`
 * (a word index). `pixel` is WGSL statements that set `v` (vec4<u32>, zeroed) to the c
 * channel values of pixel `pix` (`p`: its place in the group).
 */
export function fourPixels(pixel: string, o: { c?: string; groups?: string } = {}): string {
  const c = o.c ?? "c";
  return /* wgsl */ `
  for (var g = wk.first; g < ${o.groups ?? "groups"}; g += wk.step) {
    var words = array<u32, 4>(0u, 0u, 0u, 0u);
    for (var p = 0u; p < 4u; p++) {
      let pix = g * 4u + p;
      if (pix >= pixels) { break; }
      var v = vec4<u32>(0u);
${pixel}
      for (var ch = 0u; ch < ${c}; ch++) { putByte(&words, p * ${c} + ch, v[ch]); }
    }
    for (var k = 0u; k < ${c}; k++) { pool[dst + g * ${c} + k] = words[k]; }
  }
`;
}

/** torchvision's reflect padding, repeated past one period (assembly/filter.ts's reflect; extract's mode 2). */
export const reflectFn = /* wgsl */ `
fn reflect(i: i32, n: i32) -> i32 {
  if (i >= 0 && i < n) { return i; }
  if (n == 1) { return 0; }
  let p = 2 * n - 2;
  var m = i % p;
  if (m < 0) { m += p; }
  return select(p - m, m, m < n);
}
`;

/** The pool as plain words. */
export const plainPool = /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> pool: array<u32>;

fn byteAt(i: u32) -> u32 {
  return (pool[i >> 2u] >> ((i & 3u) << 3u)) & 0xffu;
}
`;

/** The pool as atomics (reductions: exact integer sums, minima, maxima, histograms). */
export const atomicPool = /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> pool: array<atomic<u32>>;

fn byteAt(i: u32) -> u32 {
  return (atomicLoad(&pool[i >> 2u]) >> ((i & 3u) << 3u)) & 0xffu;
}
`;

export default header + plainPool;
