// Drives the kernel's JPEG exports directly (jpegInfo / jpegDecode / orient), the way a host
// does: info block, file bytes, then dst and scratch of the sizes jpegInfo asks for.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { kernel } from "../../src/kernel/instance.js";

/** The raw exports this helper uses (not part of the typed KernelExports yet). */
interface JpegExports {
  memory: WebAssembly.Memory;
  jpegInfo(src: number, len: number, info: number): number;
  jpegDecode(src: number, len: number, info: number, dst: number, scratch: number): number;
  exifOrientation(tiff: number, len: number): number;
  orient(src: number, w: number, h: number, bands: number, orientation: number, dst: number): void;
}

/** Info slots (assembly/codec/info.ts). */
export const INFO = {
  FORMAT: 0, WIDTH: 1, HEIGHT: 2, MODE: 3, BYTES: 4, SCRATCH: 5, ORIENTATION: 6, FLAGS: 7, DETAIL: 8,
  DETAIL2: 9, END: 10, COMPONENTS: 14, BITS: 15, EXIF: 16, EXIF_LEN: 17, JPEG_COLOR: 24,
  JPEG_SAMPLING: 25, JPEG_OPTIONS: 26,
} as const;

/** Status codes (assembly/codec/status.ts) by name. */
export const STATUS: Record<string, number> = {
  OK: 0, E_FORMAT: 1, E_TOO_LARGE: 2, E_JPEG_12BIT: 3, E_JPEG_ARITHMETIC: 4, E_JPEG_LOSSLESS: 5,
  E_JPEG_SAMPLING: 6, E_JPEG_UNSUPPORTED: 7, E_JPEG_COMPONENTS: 8, E_JPEG_SCANS: 9, E_TRUNCATED: 100,
  E_TRUNCATED_DATA: 101, E_JPEG_SCAN_END: 102, E_CORRUPT: 200, E_JPEG_HUFFMAN: 205, E_JPEG_MARKER: 206,
  E_JPEG_HUFFMAN_TABLE: 207, E_JPEG_NO_TABLE: 208, E_JPEG_SCAN: 209,
};

export const MODE_NAMES: Record<number, string> = { 2: "L", 4: "RGB", 8: "CMYK" };

export interface JpegResult {
  status: number;
  /** The 32 info slots after the call that ended the decode. */
  info: Int32Array;
  width: number;
  height: number;
  bands: number;
  pixels?: Uint8Array;
}

function exports(): JpegExports {
  return kernel().exports as unknown as JpegExports;
}

/** jpegInfo + jpegDecode of `bytes` (native mode), with `options` in INFO_JPEG_OPTIONS. */
export function decodeJpeg(bytes: Uint8Array, options = 0): JpegResult {
  const { arena } = kernel();
  const k = exports();
  arena.reset();
  const info = arena.alloc(128);
  const src = arena.put(bytes);
  const read = () => new Int32Array(k.memory.buffer.slice(info, info + 128));
  let status = k.jpegInfo(src, bytes.length, info);
  let slots = read();
  const width = slots[INFO.WIDTH]!, height = slots[INFO.HEIGHT]!, bands = slots[INFO.BYTES]!;
  if (status !== 0) return { status, info: slots, width, height, bands };
  const dst = arena.alloc(width * height * bands);
  const scratch = arena.alloc(slots[INFO.SCRATCH]!);
  new Int32Array(k.memory.buffer, info, 32)[INFO.JPEG_OPTIONS] = options;
  status = k.jpegDecode(src, bytes.length, info, dst, scratch);
  slots = read();
  if (status !== 0) return { status, info: slots, width, height, bands };
  const pixels = arena.takeU8(dst, width * height * bands);
  return { status, info: slots, width, height, bands, pixels };
}

/** `orient` on decoded pixels (EXIF orientation as ImageOps.exif_transpose applies it). */
export function orientPixels(pixels: Uint8Array, width: number, height: number, bands: number, orientation: number): Uint8Array {
  const { arena } = kernel();
  const k = exports();
  arena.reset();
  const src = arena.put(pixels);
  const dst = arena.alloc(pixels.length);
  k.orient(src, width, height, bands, orientation, dst);
  return arena.takeU8(dst, pixels.length);
}

export function sha256(b: Uint8Array): string {
  return createHash("sha256").update(b).digest("hex");
}

const corpus = new URL("../codec/jpeg/", import.meta.url);

export interface CorpusFile {
  name: string;
  category: string;
  tool: string;
  bytes: number;
  expect?: string;
  error?: string;
  mode?: string;
  width?: number;
  height?: number;
  native?: string;
  rgb?: string;
  l?: string;
  rgba?: string;
  exif_transpose?: string;
  transposed_size?: [number, number];
  pillow_skipped?: string;
}

export interface Mutation {
  source: string;
  op: "truncate" | "flip" | "insert" | "patch" | "repeat_last_scan";
  at?: number;
  offset?: number;
  value?: number;
  hex?: string;
  count?: number;
  /** Status the kernel must give (recipes Pillow was not run on). */
  expect?: string;
  pillow: string;
  pillow_error?: string;
  pillow_truncated_ok?: string;
}

export interface JpegManifest {
  pillow: string;
  libjpeg_turbo: string;
  files: CorpusFile[];
  mutations: Mutation[];
}

export const jpegManifest = JSON.parse(readFileSync(new URL("manifest.json", corpus), "utf8")) as JpegManifest;

export function corpusBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, corpus)));
}

/** The bytes a mutation recipe describes. */
export function mutated(m: Mutation): Uint8Array {
  const src = corpusBytes(m.source);
  switch (m.op) {
    case "truncate":
      return src.slice(0, m.at);
    case "flip": {
      const out = src.slice();
      out[m.offset!] = m.value!;
      return out;
    }
    case "patch": {
      const out = src.slice();
      out.set(Buffer.from(m.hex!, "hex"), m.offset!);
      return out;
    }
    case "repeat_last_scan": {
      let last = -1, eoi = -1;
      for (let i = src.length - 2; i >= 0 && (last < 0 || eoi < 0); i--) {
        if (src[i] !== 0xff) continue;
        if (src[i + 1] === 0xd9 && eoi < 0) eoi = i;
        if (src[i + 1] === 0xda && last < 0) last = i;
      }
      const scan = src.subarray(last, eoi);
      const out = new Uint8Array(src.length + scan.length * m.count!);
      out.set(src.subarray(0, eoi), 0);
      for (let k = 0; k < m.count!; k++) out.set(scan, eoi + k * scan.length);
      out.set(src.subarray(eoi), eoi + m.count! * scan.length);
      return out;
    }
    case "insert": {
      const ins = Buffer.from(m.hex!, "hex");
      const out = new Uint8Array(src.length + ins.length);
      out.set(src.subarray(0, m.offset), 0);
      out.set(ins, m.offset!);
      out.set(src.subarray(m.offset), m.offset! + ins.length);
      return out;
    }
  }
}
