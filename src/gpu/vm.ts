// A small register machine for the GPU's floating-point work. WGSL has no binary64 and no
// guaranteed binary32 rounding, so every float step that reaches a pixel runs through the
// soft-float library (wgsl/float.wgsl.ts). A shader that called those functions directly
// would inline them at every call site, and software adapters (SwiftShader, llvmpipe) take
// seconds per inlined operation to compile; so per-element formulas are programs for this
// machine instead, whose interpreter (wgsl/vm.wgsl.ts) holds each operation once. Op
// families write their programs with the assembler below, next to their lowering.
//
// Machine: 64 registers of 32 bits (binary32 bits, integers; binary64 and 64-bit integers
// in two consecutive registers, low word first). An instruction is one word:
// op (bits 0-7) | d (8-13) | a (14-19) | b (20-25) | c (26-31); CONST and the jumps take
// the next word as their operand. Programs live in the table buffer; the harness (see
// vm.wgsl.ts) sets R0 = the element index and R1 = the job record's table word, runs the
// program, and stores R56.. as the element's output.

/** Opcodes. Float ops have an f32 (F_) and an f64 (D_) form: operands and results in register pairs for D_. */
export const OP = {
  END: 0,
  CONST: 1, // d = next word
  MOV: 2,
  IADD: 3,
  ISUB: 4,
  IMUL: 5,
  UDIV: 6, // 0 when dividing by 0
  UREM: 7,
  AND: 8,
  OR: 9,
  XOR: 10,
  SHL: 11, // shift by b & 31
  SHR: 12,
  SAR: 13,
  ILT: 14, // signed, 0/1
  ULT: 15,
  IEQ: 16,
  SEL: 17, // d = c != 0 ? a : b
  IMIN: 18, // signed
  IMAX: 19,
  JZ: 20, // if a == 0 jump to the next word (a word index in the program)
  JNZ: 21,
  JMP: 22,
  LDB: 23, // d = byte at pool byte address a
  LDW: 24, // d = pool word at byte address a (4-aligned)
  LDT: 25, // d = table word a
  LDTO: 26, // d = table word a + b (b an immediate 0..63)
  MOV2: 27, // d, d+1 = a, a+1
  // 64-bit integers (register pairs)
  LADD: 28,
  LSUB: 29,
  LMUL: 30, // low 64 bits
  LSAR: 31, // d = a >> (b register, 0..63), arithmetic
  LSHL: 32,
  LLT: 33, // signed, 0/1 into d (one register)
  I2L: 34, // d pair = sign-extended a
  LDBO: 35, // d = byte at pool byte address a + b (b an immediate 0..63)
  // binary32 (registers) and binary64 (pairs): F = 40 + k, D = 64 + k
  F_ADD: 40,
  F_SUB: 41,
  F_MUL: 42,
  F_DIV: 43,
  F_FMA: 44, // d = a * b + c, one rounding
  F_FROMI: 45, // from i32 register a
  F_FROMU64: 46, // from u64 pair a
  F_FROMI64: 47, // from i64 pair a
  F_CVT: 48, // F_CVT: f32 d from f64 pair a; D_CVT: f64 pair d from f32 a
  F_TRUNC: 49,
  F_FLOOR: 50,
  F_CEIL: 51,
  F_NEAREST: 52, // ties to even
  F_LT: 53, // 0/1 into one register
  F_LE: 54,
  F_EQ: 55,
  F_MIN: 56, // WebAssembly's min/max
  F_MAX: 57,
  F_TOI: 58, // saturating truncation to i32 (one register)
  D_ADD: 64,
  D_SUB: 65,
  D_MUL: 66,
  D_DIV: 67,
  D_FMA: 68,
  D_FROMI: 69,
  D_FROMU64: 70,
  D_FROMI64: 71,
  D_CVT: 72,
  D_TRUNC: 73,
  D_FLOOR: 74,
  D_CEIL: 75,
  D_NEAREST: 76,
  D_LT: 77,
  D_LE: 78,
  D_EQ: 79,
  D_MIN: 80,
  D_MAX: 81,
  D_TOI: 82,
  D_TOI64: 83, // truncation toward zero to an i64 pair (|x| < 2^63)
} as const;

/** The registers the harness fills and reads. */
export const REG = { INDEX: 0, RECORD: 1, OUT: 56 } as const;

/** A register number (0..63). */
export type Reg = number;

/** The bits of a binary32 / binary64 constant, computed by the engine's exact conversions (no arithmetic). */
const view = new DataView(new ArrayBuffer(8));
export function f32Bits(x: number): number {
  view.setFloat32(0, x, true);
  return view.getUint32(0, true);
}
export function f64Words(x: number): [number, number] {
  view.setFloat64(0, x, true);
  return [view.getUint32(0, true), view.getUint32(4, true)];
}

/**
 * Builds one program. Methods emit instructions; labels are resolved at `build()`.
 * Registers are plain numbers chosen by the program's author (0 and 1 are the harness's
 * inputs, 56..63 its outputs).
 */
export class Asm {
  private words: number[] = [];
  private fixups: { at: number; label: string }[] = [];
  private labels = new Map<string, number>();

  private emit(op: number, d = 0, a = 0, b = 0, c = 0): this {
    for (const r of [d, a, b, c]) if (!(Number.isInteger(r) && r >= 0 && r < 64)) throw new Error(`vm: register ${r} out of range`);
    this.words.push((op | (d << 8) | (a << 14) | (b << 20) | (c << 26)) >>> 0);
    return this;
  }

  /** d = a 32-bit constant (raw bits). */
  const(d: Reg, bits: number): this {
    this.emit(OP.CONST, d);
    this.words.push(bits >>> 0);
    return this;
  }
  /** d = the binary32 nearest to x (x must be exactly a binary32 when it matters). */
  f32(d: Reg, x: number): this {
    return this.const(d, f32Bits(x));
  }
  /** d, d+1 = binary64 x. */
  f64(d: Reg, x: number): this {
    const [lo, hi] = f64Words(x);
    return this.const(d, lo).const(d + 1, hi);
  }
  /** Any register-to-register instruction. */
  op(op: number, d: Reg, a: Reg = 0, b: Reg = 0, c: Reg = 0): this {
    return this.emit(op, d, a, b, c);
  }
  /** d = byte at pool address (register a) + k, k in 0..63. */
  byte(d: Reg, a: Reg, k = 0): this {
    return this.emit(OP.LDBO, d, a, k);
  }
  /** d = table word (record + k): a parameter of the job. */
  param(d: Reg, k: number): this {
    return this.emit(OP.LDTO, d, 1, k);
  }
  label(name: string): this {
    if (this.labels.has(name)) throw new Error(`vm: label ${name} defined twice`);
    this.labels.set(name, this.words.length);
    return this;
  }
  private jump(op: number, a: Reg, label: string): this {
    this.emit(op, 0, a);
    this.fixups.push({ at: this.words.length, label });
    this.words.push(0);
    return this;
  }
  jz(a: Reg, label: string): this {
    return this.jump(OP.JZ, a, label);
  }
  jnz(a: Reg, label: string): this {
    return this.jump(OP.JNZ, a, label);
  }
  jmp(label: string): this {
    return this.jump(OP.JMP, 0, label);
  }
  end(): this {
    return this.emit(OP.END);
  }
  /** The program's words (jump targets relative to its first word). */
  build(): Uint32Array {
    for (const f of this.fixups) {
      const t = this.labels.get(f.label);
      if (t === undefined) throw new Error(`vm: undefined label ${f.label}`);
      this.words[f.at] = t;
    }
    if (this.words[this.words.length - 1] !== OP.END) this.emit(OP.END);
    return Uint32Array.from(this.words);
  }
}

/**
 * Programs as expressions: every method emits one instruction into a fresh register and
 * returns it (binary64 values and 64-bit integers take two). Registers are handed out in
 * order; `scope` gives back those a sub-computation used, keeping its result.
 */
export class Prog {
  readonly asm = new Asm();
  private next = 2;

  /** A fresh register (two for a pair). */
  reg(pair = false): Reg {
    const r = this.next;
    this.next += pair ? 2 : 1;
    if (this.next > REG.OUT) throw new Error("vm: out of registers");
    return r;
  }

  /** Runs fn, then frees the registers it took except its result (moved down when needed). */
  scope(fn: () => Reg, pair = false): Reg {
    const base = this.next;
    const r = fn();
    if (r < base) {
      this.next = base;
      return r;
    }
    if (r !== base) this.asm.op(pair ? OP.MOV2 : OP.MOV, base, r);
    this.next = base + (pair ? 2 : 1);
    return base;
  }

  private un(op: number, a: Reg, pair = false): Reg {
    const d = this.reg(pair);
    this.asm.op(op, d, a);
    return d;
  }
  private bin(op: number, a: Reg, b: Reg, pair = false): Reg {
    const d = this.reg(pair);
    this.asm.op(op, d, a, b);
    return d;
  }

  // constants and loads
  int(v: number): Reg {
    const d = this.reg();
    this.asm.const(d, v);
    return d;
  }
  f32(x: number): Reg {
    const d = this.reg();
    this.asm.f32(d, x);
    return d;
  }
  f64(x: number): Reg {
    const d = this.reg(true);
    this.asm.f64(d, x);
    return d;
  }
  param(k: number): Reg {
    const d = this.reg();
    this.asm.param(d, k);
    return d;
  }
  /** A pair of params (k, k + 1): a binary64 or 64-bit integer. */
  param64(k: number): Reg {
    const d = this.reg(true);
    this.asm.param(d, k).param(d + 1, k + 1);
    return d;
  }
  byte(addr: Reg, k = 0): Reg {
    const d = this.reg();
    this.asm.byte(d, addr, k);
    return d;
  }
  /** Pool word at byte address addr. */
  word(addr: Reg): Reg {
    return this.un(OP.LDW, addr);
  }
  /** Table word a. */
  tab(a: Reg): Reg {
    return this.un(OP.LDT, a);
  }
  /** Pool words at byte address addr and addr + 4 as a pair. */
  word64(addr: Reg): Reg {
    const d = this.reg(true);
    const four = this.int(4);
    const next = this.add(addr, four);
    this.asm.op(OP.LDW, d, addr).op(OP.LDW, d + 1, next);
    return d;
  }

  // integers
  add(a: Reg, b: Reg): Reg {
    return this.bin(OP.IADD, a, b);
  }
  sub(a: Reg, b: Reg): Reg {
    return this.bin(OP.ISUB, a, b);
  }
  mul(a: Reg, b: Reg): Reg {
    return this.bin(OP.IMUL, a, b);
  }
  udiv(a: Reg, b: Reg): Reg {
    return this.bin(OP.UDIV, a, b);
  }
  urem(a: Reg, b: Reg): Reg {
    return this.bin(OP.UREM, a, b);
  }
  and(a: Reg, b: Reg): Reg {
    return this.bin(OP.AND, a, b);
  }
  or(a: Reg, b: Reg): Reg {
    return this.bin(OP.OR, a, b);
  }
  xor(a: Reg, b: Reg): Reg {
    return this.bin(OP.XOR, a, b);
  }
  shl(a: Reg, b: Reg): Reg {
    return this.bin(OP.SHL, a, b);
  }
  shr(a: Reg, b: Reg): Reg {
    return this.bin(OP.SHR, a, b);
  }
  sar(a: Reg, b: Reg): Reg {
    return this.bin(OP.SAR, a, b);
  }
  ilt(a: Reg, b: Reg): Reg {
    return this.bin(OP.ILT, a, b);
  }
  ult(a: Reg, b: Reg): Reg {
    return this.bin(OP.ULT, a, b);
  }
  ieq(a: Reg, b: Reg): Reg {
    return this.bin(OP.IEQ, a, b);
  }
  imin(a: Reg, b: Reg): Reg {
    return this.bin(OP.IMIN, a, b);
  }
  imax(a: Reg, b: Reg): Reg {
    return this.bin(OP.IMAX, a, b);
  }
  /** cond != 0 ? a : b. */
  sel(cond: Reg, a: Reg, b: Reg): Reg {
    const d = this.reg();
    this.asm.op(OP.SEL, d, a, b, cond);
    return d;
  }
  // 64-bit integers (pairs)
  ladd(a: Reg, b: Reg): Reg {
    return this.bin(OP.LADD, a, b, true);
  }
  lsub(a: Reg, b: Reg): Reg {
    return this.bin(OP.LSUB, a, b, true);
  }
  lmul(a: Reg, b: Reg): Reg {
    return this.bin(OP.LMUL, a, b, true);
  }
  lsar(a: Reg, b: Reg): Reg {
    return this.bin(OP.LSAR, a, b, true);
  }
  lshl(a: Reg, b: Reg): Reg {
    return this.bin(OP.LSHL, a, b, true);
  }
  llt(a: Reg, b: Reg): Reg {
    return this.bin(OP.LLT, a, b);
  }
  i2l(a: Reg): Reg {
    return this.un(OP.I2L, a, true);
  }

  // binary32
  fadd(a: Reg, b: Reg): Reg {
    return this.bin(OP.F_ADD, a, b);
  }
  fsub(a: Reg, b: Reg): Reg {
    return this.bin(OP.F_SUB, a, b);
  }
  fmul(a: Reg, b: Reg): Reg {
    return this.bin(OP.F_MUL, a, b);
  }
  fdiv(a: Reg, b: Reg): Reg {
    return this.bin(OP.F_DIV, a, b);
  }
  /** round32(a * b + c). */
  ffma(a: Reg, b: Reg, c: Reg): Reg {
    const d = this.reg();
    this.asm.op(OP.F_FMA, d, a, b, c);
    return d;
  }
  ffromi(a: Reg): Reg {
    return this.un(OP.F_FROMI, a);
  }
  ffromu64(a: Reg): Reg {
    return this.un(OP.F_FROMU64, a);
  }
  /** binary32 of a binary64 pair. */
  ffromd(a: Reg): Reg {
    return this.un(OP.F_CVT, a);
  }
  ftrunc(a: Reg): Reg {
    return this.un(OP.F_TRUNC, a);
  }
  ffloor(a: Reg): Reg {
    return this.un(OP.F_FLOOR, a);
  }
  fceil(a: Reg): Reg {
    return this.un(OP.F_CEIL, a);
  }
  fnearest(a: Reg): Reg {
    return this.un(OP.F_NEAREST, a);
  }
  flt(a: Reg, b: Reg): Reg {
    return this.bin(OP.F_LT, a, b);
  }
  fle(a: Reg, b: Reg): Reg {
    return this.bin(OP.F_LE, a, b);
  }
  feq(a: Reg, b: Reg): Reg {
    return this.bin(OP.F_EQ, a, b);
  }
  fmin(a: Reg, b: Reg): Reg {
    return this.bin(OP.F_MIN, a, b);
  }
  fmax(a: Reg, b: Reg): Reg {
    return this.bin(OP.F_MAX, a, b);
  }
  /** Saturating truncation to i32. */
  ftoi(a: Reg): Reg {
    return this.un(OP.F_TOI, a);
  }

  // binary64 (pairs)
  dadd(a: Reg, b: Reg): Reg {
    return this.bin(OP.D_ADD, a, b, true);
  }
  dsub(a: Reg, b: Reg): Reg {
    return this.bin(OP.D_SUB, a, b, true);
  }
  dmul(a: Reg, b: Reg): Reg {
    return this.bin(OP.D_MUL, a, b, true);
  }
  ddiv(a: Reg, b: Reg): Reg {
    return this.bin(OP.D_DIV, a, b, true);
  }
  dfromi(a: Reg): Reg {
    return this.un(OP.D_FROMI, a, true);
  }
  dfromu64(a: Reg): Reg {
    return this.un(OP.D_FROMU64, a, true);
  }
  dfromi64(a: Reg): Reg {
    return this.un(OP.D_FROMI64, a, true);
  }
  /** binary64 of a binary32. */
  dfromf(a: Reg): Reg {
    return this.un(OP.D_CVT, a, true);
  }
  dtrunc(a: Reg): Reg {
    return this.un(OP.D_TRUNC, a, true);
  }
  dfloor(a: Reg): Reg {
    return this.un(OP.D_FLOOR, a, true);
  }
  dceil(a: Reg): Reg {
    return this.un(OP.D_CEIL, a, true);
  }
  dlt(a: Reg, b: Reg): Reg {
    return this.bin(OP.D_LT, a, b);
  }
  dle(a: Reg, b: Reg): Reg {
    return this.bin(OP.D_LE, a, b);
  }
  deq(a: Reg, b: Reg): Reg {
    return this.bin(OP.D_EQ, a, b);
  }
  dmin(a: Reg, b: Reg): Reg {
    return this.bin(OP.D_MIN, a, b, true);
  }
  dmax(a: Reg, b: Reg): Reg {
    return this.bin(OP.D_MAX, a, b, true);
  }
  /** Saturating truncation to i32. */
  dtoi(a: Reg): Reg {
    return this.un(OP.D_TOI, a);
  }
  /** Truncation to an i64 pair. */
  dtoi64(a: Reg): Reg {
    return this.un(OP.D_TOI64, a, true);
  }

  /** dst = a (an existing register: loop variables). */
  set(dst: Reg, a: Reg, pair = false): void {
    if (dst !== a) this.asm.op(pair ? OP.MOV2 : OP.MOV, dst, a);
  }
  /** Output k (the harness stores outputs 0..). */
  out(k: number, a: Reg): void {
    this.asm.op(OP.MOV, REG.OUT + k, a);
  }
  label(name: string): void {
    this.asm.label(name);
  }
  jz(a: Reg, label: string): void {
    this.asm.jz(a, label);
  }
  jnz(a: Reg, label: string): void {
    this.asm.jnz(a, label);
  }
  jmp(label: string): void {
    this.asm.jmp(label);
  }
  end(): void {
    this.asm.end();
  }
  build(): Uint32Array {
    return this.asm.build();
  }
}
