// A bit writer for hand-made deflate streams (RFC 1951's bit order: values least significant bit
// first, Huffman codes most significant bit first), and RFC 1951's length and distance tables,
// for the inflate tests and the PNG profile's token counter (independent of the kernel's copy).

/** RFC 1951 3.2.5: length codes 257..285 as base lengths and extra-bit counts. */
export const LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
export const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
/** RFC 1951 3.2.5: distance codes 0..29 as base distances and extra-bit counts. */
export const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385,
  24577,
];
export const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

/** Builds a deflate bit stream one field at a time. */
export class DeflateBits {
  private out: number[] = [];
  private acc = 0;
  private n = 0;
  /** A value of `bits` bits, least significant bit first. */
  put(v: number, bits: number): this {
    for (let i = 0; i < bits; i++) this.bit((v >> i) & 1);
    return this;
  }
  /** A Huffman code of `bits` bits: most significant bit first. */
  code(v: number, bits: number): this {
    for (let i = bits - 1; i >= 0; i--) this.bit((v >> i) & 1);
    return this;
  }
  /** Zero bits up to the next byte boundary (before a stored block's lengths). */
  align(): this {
    while (this.n !== 0) this.bit(0);
    return this;
  }
  /** The stream so far, its last byte zero-padded. */
  bytes(): Uint8Array {
    return Uint8Array.from(this.n ? [...this.out, this.acc] : this.out);
  }
  private bit(b: number): void {
    this.acc |= b << this.n;
    if (++this.n === 8) {
      this.out.push(this.acc);
      this.acc = 0;
      this.n = 0;
    }
  }
}
