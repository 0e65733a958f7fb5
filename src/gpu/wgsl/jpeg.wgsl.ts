// The lossy half of the JPEG round trip (torchvision v2 JPEG: encode, then decode) in
// integers, as the wasm kernel computes it: the Huffman coding in between is lossless, so the
// decoder sees exactly the quantized coefficients the encoder computed and the GPU never
// builds the file. Two shaders:
//   jpegBlock - one 8x8 block of one component an item: the encoder's samples (jccolor.c's
//               RGB -> YCbCr, h2v2 downsampling, edges repeated as jcprepct.c and jcsample.c
//               do: assembly/codec/jpegencprep.ts), the islow forward DCT and quantization
//               (jpegencdct.ts), dequantization and the islow inverse DCT with the x86 SIMD
//               code's 16-bit wraps and saturations (jpegidct.ts); decoded samples go to a
//               plane per component.
//   jpegOut   - four output pixels an item: h2v2 fancy upsampling (or plain replication for
//               chroma planes at most 2 samples wide, as libjpeg-turbo chooses) and
//               ycc_rgb_convert (jpegout.ts), or the grey plane as is.
// Planes are 8-sample aligned (widths multiples of 8), so block rows are whole words.
import type { Shader } from "../shaders.js";
import { fourPixels } from "./common.wgsl.js";

/** The islow DCTs and the quantizer, for jpegBlock. */
const islow = /* wgsl */ `
const F_0_298: i32 = 2446;
const F_0_390: i32 = 3196;
const F_0_541: i32 = 4433;
const F_0_765: i32 = 6270;
const F_0_899: i32 = 7373;
const F_1_175: i32 = 9633;
const F_1_501: i32 = 12299;
const F_1_847: i32 = 15137;
const F_1_961: i32 = 16069;
const F_2_053: i32 = 16819;
const F_2_562: i32 = 20995;
const F_3_072: i32 = 25172;

var<private> blk: array<i32, 64>;

fn wrap16(x: i32) -> i32 { return (x << 16u) >> 16u; }
fn sat16(x: i32) -> i32 { return clamp(x, -32768, 32767); }
fn descale(x: i32, n: u32) -> i32 { return (x + (1 << (n - 1u))) >> n; }

// jfdctint.c's 1-D pass over blk[o + k * s] (k = 0..7), in place. The values cannot overflow
// for 8-bit samples, so plain i32 sums equal the kernel's 16-bit lanes.
fn fdctPass(o: u32, s: u32, first: bool) {
  let d0 = blk[o]; let d1 = blk[o + s]; let d2 = blk[o + 2u * s]; let d3 = blk[o + 3u * s];
  let d4 = blk[o + 4u * s]; let d5 = blk[o + 5u * s]; let d6 = blk[o + 6u * s]; let d7 = blk[o + 7u * s];
  let tmp0 = d0 + d7; let tmp7 = d0 - d7;
  let tmp1 = d1 + d6; let tmp6 = d1 - d6;
  let tmp2 = d2 + d5; let tmp5 = d2 - d5;
  let tmp3 = d3 + d4; let tmp4 = d3 - d4;
  let tmp10 = tmp0 + tmp3; let tmp13 = tmp0 - tmp3;
  let tmp11 = tmp1 + tmp2; let tmp12 = tmp1 - tmp2;
  let shift = select(15u, 11u, first);
  if (first) {
    blk[o] = (tmp10 + tmp11) << 2u;
    blk[o + 4u * s] = (tmp10 - tmp11) << 2u;
  } else {
    blk[o] = descale(tmp10 + tmp11, 2u);
    blk[o + 4u * s] = descale(tmp10 - tmp11, 2u);
  }
  blk[o + 2u * s] = descale(tmp13 * (F_0_541 + F_0_765) + tmp12 * F_0_541, shift);
  blk[o + 6u * s] = descale(tmp13 * F_0_541 + tmp12 * (F_0_541 - F_1_847), shift);
  let z3 = tmp4 + tmp6;
  let z4 = tmp5 + tmp7;
  let za = z3 * (F_1_175 - F_1_961) + z4 * F_1_175;
  let zb = z3 * F_1_175 + z4 * (F_1_175 - F_0_390);
  blk[o + 7u * s] = descale(tmp4 * (F_0_298 - F_0_899) - tmp7 * F_0_899 + za, shift);
  blk[o + s] = descale(-tmp4 * F_0_899 + tmp7 * (F_1_501 - F_0_899) + zb, shift);
  blk[o + 5u * s] = descale(tmp5 * (F_2_053 - F_2_562) - tmp6 * F_2_562 + zb, shift);
  blk[o + 3u * s] = descale(-tmp5 * F_2_562 + tmp6 * (F_3_072 - F_2_562) + za, shift);
}

// jidctint.c's 1-D pass as jidctint-avx2.asm computes it (16-bit sums wrap, pmaddwd products
// and 32-bit sums wrap, results saturate to 16 bits), over blk[o + k * s], in place.
fn idctPass(o: u32, s: u32, shift: u32) {
  let in0 = blk[o]; let in1 = blk[o + s]; let in2 = blk[o + 2u * s]; let in3 = blk[o + 3u * s];
  let in4 = blk[o + 4u * s]; let in5 = blk[o + 5u * s]; let in6 = blk[o + 6u * s]; let in7 = blk[o + 7u * s];
  let round = 1 << (shift - 1u);
  let t3 = in2 * (F_0_541 + F_0_765) + in6 * F_0_541;
  let t2 = in2 * F_0_541 + in6 * (F_0_541 - F_1_847);
  let t0 = (wrap16(in0 + in4) << 13u) + round;
  let t1 = (wrap16(in0 - in4) << 13u) + round;
  let t10 = t0 + t3; let t13 = t0 - t3;
  let t11 = t1 + t2; let t12 = t1 - t2;
  let z3 = wrap16(in7 + in3);
  let z4 = wrap16(in5 + in1);
  let z3l = z3 * (F_1_175 - F_1_961) + z4 * F_1_175;
  let z4l = z3 * F_1_175 + z4 * (F_1_175 - F_0_390);
  let u0 = in7 * (F_0_298 - F_0_899) - in1 * F_0_899 + z3l;
  let u3 = -in7 * F_0_899 + in1 * (F_1_501 - F_0_899) + z4l;
  let u1 = in5 * (F_2_053 - F_2_562) - in3 * F_2_562 + z4l;
  let u2 = -in5 * F_2_562 + in3 * (F_3_072 - F_2_562) + z3l;
  blk[o] = sat16((t10 + u3) >> shift);
  blk[o + 7u * s] = sat16((t10 - u3) >> shift);
  blk[o + s] = sat16((t11 + u2) >> shift);
  blk[o + 6u * s] = sat16((t11 - u2) >> shift);
  blk[o + 2u * s] = sat16((t12 + u1) >> shift);
  blk[o + 5u * s] = sat16((t12 - u1) >> shift);
  blk[o + 3u * s] = sat16((t13 + u0) >> shift);
  blk[o + 4u * s] = sat16((t13 - u0) >> shift);
}

// The round trip of the samples in blk (0..255, row-major) with the quantization data at
// table word q (64 pairs: reciprocal | correction << 16, scale | quantizer << 16): blk ends
// holding the decoded samples.
fn roundTrip(q: u32) {
  for (var i = 0u; i < 64u; i++) { blk[i] = blk[i] - 128; }
  for (var r = 0u; r < 8u; r++) { fdctPass(r * 8u, 1u, true); }
  for (var u = 0u; u < 8u; u++) { fdctPass(u, 8u, false); }
  // Quantize (jcdctmgr.c through libjpeg-turbo's reciprocals), then dequantize (16-bit products).
  var ac = 0;
  for (var i = 0u; i < 64u; i++) {
    let w0 = tab[q + 2u * i];
    let w1 = tab[q + 2u * i + 1u];
    let x = blk[i];
    let t = u32(abs(x)) + (w0 >> 16u);
    let p = (t * (w0 & 0xffffu)) >> 16u;
    let m = i32((p * (w1 & 0xffffu)) >> 16u);
    let k = select(m, -m, x < 0);
    if (i >= 8u) { ac = ac | k; }
    blk[i] = wrap16(k * i32(w1 >> 16u));
  }
  if (ac == 0) {
    // No vertical frequencies: pass 1 gives every row row 0 << 2 (a 16-bit shift, as the SIMD code).
    for (var u = 0u; u < 8u; u++) {
      let v = wrap16(blk[u] << 2u);
      for (var r = 0u; r < 8u; r++) { blk[r * 8u + u] = v; }
    }
  } else {
    for (var u = 0u; u < 8u; u++) { idctPass(u, 8u, 11u); }
  }
  for (var r = 0u; r < 8u; r++) { idctPass(r * 8u, 1u, 18u); }
  for (var i = 0u; i < 64u; i++) { blk[i] = clamp(blk[i], -128, 127) + 128; }
}
`;

/** jpegBlock: the encoder's samples of one block, the round trip, the decoded block into its plane. */
export const blockShader = {
  decls: /* wgsl */ `
${islow}
const R_Y: i32 = 19595;
const G_Y: i32 = 38470;
const B_Y: i32 = 7471;
const R_CB: i32 = 11059;
const G_CB: i32 = 21709;
const HALF_C: i32 = 32768;
const G_CR: i32 = 27439;
const B_CR: i32 = 5329;
const CBCR_ROUND: i32 = (128 << 16u) + 32767;

var<private> cr: array<i32, 64>;

fn rgbAt(src: u32, w: u32, x: u32, y: u32) -> vec3<i32> {
  let at = src + (y * w + x) * 3u;
  return vec3<i32>(i32(byteAt(at)), i32(byteAt(at + 1u)), i32(byteAt(at + 2u)));
}
fn lumaOf(p: vec3<i32>) -> i32 { return (R_Y * p.x + G_Y * p.y + B_Y * p.z + 32768) >> 16u; }
fn cbOf(p: vec3<i32>) -> i32 { return (HALF_C * p.z - R_CB * p.x - G_CB * p.y + CBCR_ROUND) >> 16u; }
fn crOf(p: vec3<i32>) -> i32 { return (HALF_C * p.x - G_CR * p.y - B_CR * p.z + CBCR_ROUND) >> 16u; }

/** Writes blk (bytes) as block (bx, by) of the plane at byte \`plane\`, \`pw\` bytes a row. */
fn storeBlock(plane: u32, pw: u32, bx: u32, by: u32) {
  for (var r = 0u; r < 8u; r++) {
    let at = (plane + (by * 8u + r) * pw + bx * 8u) >> 2u;
    let o = r * 8u;
    pool[at] = u32(blk[o]) | (u32(blk[o + 1u]) << 8u) | (u32(blk[o + 2u]) << 16u) | (u32(blk[o + 3u]) << 24u);
    pool[at + 1u] = u32(blk[o + 4u]) | (u32(blk[o + 5u]) << 8u) | (u32(blk[o + 6u]) << 16u) | (u32(blk[o + 7u]) << 24u);
  }
}
`,
  // w x h x c (1 or 3): the image; q: tab word of the quantization data (luma, then chroma);
  // planes: byte of the planes (Y, then Cb and Cr); lc x lr luma blocks, cc x crows chroma
  // blocks; items: luma blocks, then chroma blocks (Cb and Cr of one position an item).
  record: ["src", "w", "h", "c", "q", "planes", "lc", "lr", "cc", "crows", "items"],
  body: /* wgsl */ `
  let lw = lc * 8u;
  let cw = cc * 8u;
  let cbPlane = planes + lw * lr * 8u;
  let crPlane = cbPlane + cw * crows * 8u;
  for (var it = wk.first; it < items; it += wk.step) {
    if (it < lc * lr) {
      // Luma (or grey): the image's samples, its last column and row repeated.
      let bx = it % lc;
      let by = it / lc;
      for (var r = 0u; r < 8u; r++) {
        let y = min(by * 8u + r, h - 1u);
        for (var x0 = 0u; x0 < 8u; x0++) {
          let x = min(bx * 8u + x0, w - 1u);
          if (c == 1u) { blk[r * 8u + x0] = i32(byteAt(src + y * w + x)); } else { blk[r * 8u + x0] = lumaOf(rgbAt(src, w, x, y)); }
        }
      }
      roundTrip(q);
      storeBlock(planes, lw, bx, by);
    } else {
      // Cb and Cr: 2x2 sums plus the alternating bias, >> 2; rows below the image repeat
      // the last downsampled row, columns past it the image's last column.
      let k = it - lc * lr;
      let bx = k % cc;
      let by = k / cc;
      let lastPair = (h - 1u) >> 1u;
      for (var r = 0u; r < 8u; r++) {
        let y0 = 2u * min(by * 8u + r, lastPair);
        let y1 = min(y0 + 1u, h - 1u);
        for (var x0 = 0u; x0 < 8u; x0++) {
          let cx = bx * 8u + x0;
          let xa = min(2u * cx, w - 1u);
          let xb = min(2u * cx + 1u, w - 1u);
          let p0 = rgbAt(src, w, xa, y0);
          let p1 = rgbAt(src, w, xb, y0);
          let p2 = rgbAt(src, w, xa, y1);
          let p3 = rgbAt(src, w, xb, y1);
          let bias = 1 + i32(cx & 1u);
          blk[r * 8u + x0] = (cbOf(p0) + cbOf(p1) + cbOf(p2) + cbOf(p3) + bias) >> 2u;
          cr[r * 8u + x0] = (crOf(p0) + crOf(p1) + crOf(p2) + crOf(p3) + bias) >> 2u;
        }
      }
      roundTrip(q + 128u);
      storeBlock(cbPlane, cw, bx, by);
      blk = cr;
      roundTrip(q + 128u);
      storeBlock(crPlane, cw, bx, by);
    }
  }
`,
} satisfies Shader;

/** jpegOut: four output pixels an item from the decoded planes. */
export const outShader = {
  decls: /* wgsl */ `
/** 3 near + far: the column sum of h2v2 fancy upsampling at chroma column x (clamped to the row). */
fn colsum(plane: u32, cw: u32, near: u32, far: u32, x: i32, dw: u32) -> i32 {
  let cx = u32(clamp(x, 0, i32(dw) - 1));
  return 3 * i32(byteAt(plane + near * cw + cx)) + i32(byteAt(plane + far * cw + cx));
}

fn chroma(plane: u32, cw: u32, x: u32, y: u32, w: u32, h: u32, fancy: bool) -> i32 {
  if (!fancy) { return i32(byteAt(plane + (y >> 1u) * cw + (x >> 1u))); }
  let dw = (w + 1u) >> 1u;
  let dh = (h + 1u) >> 1u;
  let r = y >> 1u;
  let odd = (y & 1u) != 0u;
  let far = u32(clamp(select(i32(r) - 1, i32(r) + 1, odd), 0, i32(dh) - 1));
  let cx = i32(x >> 1u);
  let here = 3 * colsum(plane, cw, r, far, cx, dw);
  if ((x & 1u) == 0u) { return (here + colsum(plane, cw, r, far, cx - 1, dw) + 8) >> 4u; }
  return (here + colsum(plane, cw, r, far, cx + 1, dw) + 7) >> 4u;
}
`,
  // planes: byte of the luma plane, lw bytes a row; cbPlane, crPlane: bytes of the chroma
  // planes, cw bytes a row; fancy: h2v2 fancy upsampling.
  record: ["planes", "w", "h", "c", "lw", "cbPlane", "crPlane", "cw", "fancy: bool", "dst: word", "groups", "pixels"],
  body: fourPixels(/* wgsl */ `
      let x = pix % w;
      let y = pix / w;
      let yy = i32(byteAt(planes + y * lw + x));
      if (c == 1u) {
        v.x = u32(yy);
      } else {
        let cb = chroma(cbPlane, cw, x, y, w, h, fancy) - 128;
        let cr = chroma(crPlane, cw, x, y, w, h, fancy) - 128;
        v.x = u32(clamp(yy + ((91881 * cr + 32768) >> 16u), 0, 255));
        v.y = u32(clamp(yy + ((-22554 * cb - 46802 * cr + 32768) >> 16u), 0, 255));
        v.z = u32(clamp(yy + ((116130 * cb + 32768) >> 16u), 0, 255));
      }`),
} satisfies Shader;
