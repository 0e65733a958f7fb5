// The interpreter of src/gpu/vm.ts's register machine and its harness. Each soft-float core
// (unpack, add, multiply, divide, round) appears once, reached from one call site: the
// operands of every float instruction are unpacked in one place, computed in one place and
// rounded in one place. See src/gpu/vm.ts for the machine.
import { OP, REG } from "../vm.js";
import floatWgsl from "./float.wgsl.js";
import type { Shader } from "../shaders.js";

const F = OP.F_ADD; // first binary32 op; binary64 ops are 24 further
const D = OP.D_ADD;

export default {
  decls: /* wgsl */ `
${floatWgsl}

var<private> R: array<u32, 64>;

fn rd64(i: u32) -> vec2<u32> { return vec2<u32>(R[i], R[(i + 1u) & 63u]); }
fn wr64(i: u32, v: vec2<u32>) { R[i] = v.x; R[(i + 1u) & 63u] = v.y; }

/** Runs the program whose first word is tab[base] until END (or a bound on the steps). */
fn vm(base: u32) {
  var pc = base;
  for (var step = 0u; step < 4000000u; step++) {
    let w = tab[pc];
    pc = pc + 1u;
    let op = w & 0xffu;
    let d = (w >> 8u) & 63u;
    let a = (w >> 14u) & 63u;
    let b = (w >> 20u) & 63u;
    let c = w >> 26u;
    if (op == ${OP.END}u) { return; }
    if (op < ${F}u) {
      let x = R[a];
      let y = R[b];
      switch (op) {
        case ${OP.CONST}u: { R[d] = tab[pc]; pc = pc + 1u; }
        case ${OP.MOV}u: { R[d] = x; }
        case ${OP.IADD}u: { R[d] = x + y; }
        case ${OP.ISUB}u: { R[d] = x - y; }
        case ${OP.IMUL}u: { R[d] = x * y; }
        case ${OP.UDIV}u: { R[d] = select(0u, x / max(y, 1u), y != 0u); }
        case ${OP.UREM}u: { R[d] = select(0u, x % max(y, 1u), y != 0u); }
        case ${OP.AND}u: { R[d] = x & y; }
        case ${OP.OR}u: { R[d] = x | y; }
        case ${OP.XOR}u: { R[d] = x ^ y; }
        case ${OP.SHL}u: { R[d] = x << (y & 31u); }
        case ${OP.SHR}u: { R[d] = x >> (y & 31u); }
        case ${OP.SAR}u: { R[d] = bitcast<u32>(bitcast<i32>(x) >> (y & 31u)); }
        case ${OP.ILT}u: { R[d] = select(0u, 1u, bitcast<i32>(x) < bitcast<i32>(y)); }
        case ${OP.ULT}u: { R[d] = select(0u, 1u, x < y); }
        case ${OP.IEQ}u: { R[d] = select(0u, 1u, x == y); }
        case ${OP.SEL}u: { R[d] = select(y, x, R[c] != 0u); }
        case ${OP.IMIN}u: { R[d] = bitcast<u32>(min(bitcast<i32>(x), bitcast<i32>(y))); }
        case ${OP.IMAX}u: { R[d] = bitcast<u32>(max(bitcast<i32>(x), bitcast<i32>(y))); }
        case ${OP.JZ}u: { if (x == 0u) { pc = base + tab[pc]; } else { pc = pc + 1u; } }
        case ${OP.JNZ}u: { if (x != 0u) { pc = base + tab[pc]; } else { pc = pc + 1u; } }
        case ${OP.JMP}u: { pc = base + tab[pc]; }
        case ${OP.LDB}u: { R[d] = byteAt(x); }
        case ${OP.LDW}u: { R[d] = pool[x >> 2u]; }
        case ${OP.LDT}u: { R[d] = tab[x]; }
        case ${OP.LDTO}u: { R[d] = tab[x + b]; }
        case ${OP.MOV2}u: { wr64(d, rd64(a)); }
        case ${OP.LADD}u: { wr64(d, add64(rd64(a), rd64(b))); }
        case ${OP.LSUB}u: { wr64(d, sub64(rd64(a), rd64(b))); }
        case ${OP.LMUL}u: { wr64(d, mul64lo(rd64(a), rd64(b))); }
        case ${OP.LSAR}u: { wr64(d, sar64(rd64(a), y & 63u)); }
        case ${OP.LSHL}u: { wr64(d, shl64(rd64(a), y & 63u)); }
        case ${OP.LLT}u: { R[d] = select(0u, 1u, lt64s(rd64(a), rd64(b))); }
        case ${OP.I2L}u: { wr64(d, i64from(bitcast<i32>(x))); }
        case ${OP.LDBO}u: { R[d] = byteAt(x + b); }
        default: {}
      }
      continue;
    }
    // Floating point: k is the operation, wide = binary64.
    let wide = op >= ${D}u;
    let k = op - select(${F}u, ${D}u, wide);
    // Operands as bits (pairs for binary64).
    var va = vec2<u32>(R[a], 0u);
    var vb = vec2<u32>(R[b], 0u);
    var vc = vec2<u32>(R[c], 0u);
    if (wide) {
      va = rd64(a);
      vb = rd64(b);
      vc = rd64(c);
    }
    if (k >= ${OP.F_TRUNC - F}u) {
      // Bit-level operations: no rounding of a result.
      var out = vec2<u32>(0u, 0u);
      var one = false; // a one-register result
      if (k <= ${OP.F_NEAREST - F}u) {
        let mode = k - ${OP.F_TRUNC - F}u;
        if (wide) { out = f64_round_int(va, mode); } else { out = vec2<u32>(f32_round_int(va.x, mode), 0u); }
      } else if (k <= ${OP.F_MAX - F}u) {
        // Comparisons, minimum and maximum: on the operands' order keys.
        var ka = vec2<u32>(f32_key(va.x), 0u);
        var kb = vec2<u32>(f32_key(vb.x), 0u);
        if (wide) {
          ka = f64_key(va);
          kb = f64_key(vb);
        }
        let eq = ka.x == kb.x && ka.y == kb.y;
        if (k <= ${OP.F_EQ - F}u) {
          var r = eq;
          if (k == ${OP.F_LT - F}u) { r = lt64(ka, kb); }
          if (k == ${OP.F_LE - F}u) { r = !lt64(kb, ka); }
          out = vec2<u32>(select(0u, 1u, r), 0u);
          one = true;
        } else {
          out = select(vb, va, lt64(ka, kb) == (k == ${OP.F_MIN - F}u));
          // equal keys: the zeros' sign as WebAssembly's min (-0) and max (+0)
          if (eq) { out = select(vec2<u32>(va.x & vb.x, va.y & vb.y), vec2<u32>(va.x | vb.x, va.y | vb.y), k == ${OP.F_MIN - F}u); }
        }
      } else if (k == ${OP.F_TOI - F}u) {
        if (wide) { out = vec2<u32>(bitcast<u32>(f64_trunc_i32(va)), 0u); } else { out = vec2<u32>(bitcast<u32>(f32_trunc_i32(va.x)), 0u); }
        one = true;
      } else {
        // D_TOI64 (and F_ for binary32 operands)
        var x = xf32(va.x);
        if (wide) { x = xf64(va); }
        out = xtrunc64(x);
      }
      if (k == ${OP.D_TOI64 - D}u || (wide && !one)) { wr64(d, out); } else { R[d] = out.x; }
      continue;
    }
    // Arithmetic and conversions: unpack, compute, round, each once.
    var srcWide = wide;
    if (k == ${OP.F_CVT - F}u) { srcWide = !wide; }
    // F_CVT reads a pair although the op is binary32
    if (srcWide && !wide) { va = rd64(a); }
    var xs: array<XF, 3>;
    for (var i = 0u; i < 3u; i++) {
      let v = select(select(vc, vb, i == 1u), va, i == 0u);
      if (srcWide) { xs[i] = xf64(v); } else { xs[i] = xf32(v.x); }
    }
    var x = xs[0];
    var y = xs[1];
    let z = xs[2];
    if (k == ${OP.F_FROMI - F}u) { x = xi32(bitcast<i32>(R[a])); }
    if (k == ${OP.F_FROMU64 - F}u) { x = xu64(rd64(a)); }
    if (k == ${OP.F_FROMI64 - F}u) { x = xi64(rd64(a)); }
    if (k <= ${OP.F_FMA - F}u) {
      if (k == ${OP.F_SUB - F}u) { y = xneg(y); }
      if (k == ${OP.F_MUL - F}u || k == ${OP.F_FMA - F}u) {
        x = xmul(x, y);
        y = z;
      }
      if (k == ${OP.F_DIV - F}u) { x = xdiv(x, y); } else if (k != ${OP.F_MUL - F}u) { x = xadd(x, y); }
    }
    if (wide) { wr64(d, r64(x)); } else { R[d] = r32(x); }
  }
}
`,
  // The harness: prog: tab word of the program; mode: 0 c bytes per element, four elements
  // an item, packed as a u8 image, 1 c words per element; items: the invocations' items; n:
  // elements. The rest of the record is the program's (R1 points at the record).
  record: ["prog", "mode", "dst: word", "items", "n", "c"],
  body: /* wgsl */ `
  let per = select(1u, 4u, mode == 0u);
  for (var g = wk.first; g < items; g += wk.step) {
    var words = array<u32, 4>(0u, 0u, 0u, 0u);
    for (var p = 0u; p < per; p++) {
      let e = g * per + p;
      if (e >= n) { break; }
      R[${REG.INDEX}] = e;
      R[${REG.RECORD}] = j;
      vm(prog);
      if (mode == 0u) {
        for (var ch = 0u; ch < c; ch++) { putByte(&words, p * c + ch, R[${REG.OUT}u + ch] & 0xffu); }
      } else {
        for (var k = 0u; k < c; k++) { pool[dst + e * c + k] = R[${REG.OUT}u + k]; }
      }
    }
    if (mode == 0u) {
      for (var k = 0u; k < c; k++) { pool[dst + g * c + k] = words[k]; }
    }
  }
`,
} satisfies Shader;
