// Building and taking apart PNG files at the chunk level, for the bad-input tests: every
// mutation re-signs the chunks it touches, so the decoder's deeper checks are the ones hit.
import { crc32, deflateSync } from "node:zlib";

export interface Chunk {
  type: string;
  data: Uint8Array;
}

export const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** The chunks of a well-formed PNG, in order. */
export function chunks(png: Uint8Array): Chunk[] {
  const out: Chunk[] = [];
  const dv = new DataView(png.buffer, png.byteOffset, png.byteLength);
  for (let off = 8; off + 12 <= png.length; ) {
    const len = dv.getUint32(off);
    const type = String.fromCharCode(...png.subarray(off + 4, off + 8));
    out.push({ type, data: png.slice(off + 8, off + 8 + len) });
    off += 12 + len;
    if (type === "IEND") break;
  }
  return out;
}

/** One chunk's bytes: length, type, data, CRC (a given `crc` overrides the right one). */
export function chunkBytes(type: string, data: Uint8Array, crc?: number): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc ?? crc32(out.subarray(4, 8 + data.length)));
  return out;
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A PNG from chunks (each re-signed). */
export function build(list: Chunk[]): Uint8Array {
  return concat([SIGNATURE, ...list.map((c) => chunkBytes(c.type, c.data))]);
}

/** An IHDR chunk's data. */
export function ihdr(w: number, h: number, depth: number, colorType: number, interlace = 0): Uint8Array {
  const d = new Uint8Array(13);
  const dv = new DataView(d.buffer);
  dv.setUint32(0, w);
  dv.setUint32(4, h);
  d[8] = depth;
  d[9] = colorType;
  d[12] = interlace;
  return d;
}

/** A PNG whose IDAT holds `zlib` as it is (any stream, valid or not). */
export function pngWithStream(w: number, h: number, depth: number, colorType: number, zlib: Uint8Array, extra: Chunk[] = []): Uint8Array {
  return build([{ type: "IHDR", data: ihdr(w, h, depth, colorType) }, ...extra, { type: "IDAT", data: zlib }, { type: "IEND", data: new Uint8Array(0) }]);
}

/** A grey 8-bit PNG of `rows` (each with its filter byte already), compressed by Node's zlib. */
export function greyPng(w: number, h: number, raw: Uint8Array): Uint8Array {
  return pngWithStream(w, h, 8, 0, new Uint8Array(deflateSync(raw)));
}

/** Adler-32, for streams built by hand. */
export function adler32(b: Uint8Array): number {
  let s1 = 1;
  let s2 = 0;
  for (let i = 0; i < b.length; i++) {
    s1 = (s1 + b[i]!) % 65521;
    s2 = (s2 + s1) % 65521;
  }
  return ((s2 << 16) | s1) >>> 0;
}
