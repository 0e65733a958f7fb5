// A bit writer for hand-made deflate streams (RFC 1951's bit order: values least significant bit
// first, Huffman codes most significant bit first), for the inflate tests.

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
