// Calls the kernel's codec exports directly (pngInfo, pngDecode, convertMode, zlibInflate,
// pngEncode), the way a host does: copy the bytes in, read the info block, allocate, decode.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { kernel } from "../../src/kernel/instance.js";

/** Slots of the info block (assembly/codec/info.ts). */
export const INFO = {
  FORMAT: 0, WIDTH: 1, HEIGHT: 2, MODE: 3, BYTES: 4, SCRATCH: 5, ORIENTATION: 6, FLAGS: 7,
  DETAIL: 8, DETAIL2: 9, END: 10, KEY: 11, COMPONENTS: 14, BITS: 15, EXIF: 16, EXIF_LEN: 17,
} as const;
export const INFO_WORDS = 32;
export const FLAG = { INTERLACED: 2, KEY: 4, PALETTE_ALPHA: 8 } as const;
/** Mode numbers (info.ts) by Pillow's name. */
export const MODES: Record<string, number> = { "1": 1, L: 2, LA: 3, RGB: 4, RGBA: 5, P: 6, "I;16": 7, CMYK: 8 };
export const MODE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(MODES).map(([k, v]) => [v, k]));
export const BYTES: Record<string, number> = { "1": 1, L: 1, LA: 2, RGB: 3, RGBA: 4, P: 1, "I;16": 2, CMYK: 4 };

interface CodecExports {
  pngInfo(src: number, len: number, info: number): number;
  pngDecode(src: number, len: number, info: number, dst: number, aux: number, scratch: number): number;
  zlibInflate(src: number, srcLen: number, out: number, outLen: number, info: number): number;
  convertMode(src: number, srcMode: number, w: number, h: number, aux: number, info: number, dstMode: number, dst: number): number;
  keepMode(mode: number, flags: number): number;
  pngEncodeScratch(w: number, h: number, channels: number): number;
  pngEncode(src: number, w: number, h: number, channels: number, scratch: number): number;
}

export function codec(): CodecExports {
  return kernel().exports as unknown as CodecExports;
}

export function sha256(b: Uint8Array): string {
  return createHash("sha256").update(b).digest("hex");
}

/** One file of tests/codec/png-manifest.json, as Pillow 12.3 decodes it (the PNG tests' oracle). */
export interface PngManifestFile {
  file: string;
  category: string;
  width: number;
  height: number;
  mode: string;
  native: string;
  aux?: string;
  transparency?: number | number[];
  RGB: string;
  L: string;
  RGBA: string;
  /** Pillow's getexif()[0x0112] (eXIf, else XMP), when it has one. */
  orientation?: number;
}

/** tests/codec/png-manifest.json: the PNG corpus with Pillow's decodes of every file. */
export const pngManifest = JSON.parse(readFileSync(new URL("../codec/png-manifest.json", import.meta.url), "utf8")) as {
  versions: Record<string, string>;
  files: PngManifestFile[];
};

export function readRepo(path: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../${path}`, import.meta.url)));
}

export interface PngResult {
  status: number;
  info: Int32Array;
  /** The native-mode pixels (when status is 0). */
  data?: Uint8Array;
  /** The palette block (mode P). */
  aux?: Uint8Array;
}

/** pngInfo on `bytes`: the status and a copy of the info block. */
export function pngInfo(bytes: Uint8Array): { status: number; info: Int32Array } {
  const { arena } = kernel();
  arena.reset();
  const src = arena.put(bytes);
  const info = arena.alloc(INFO_WORDS * 4);
  const status = codec().pngInfo(src, bytes.length, info);
  return { status, info: new Int32Array(arena.u8().buffer.slice(info, info + INFO_WORDS * 4)) };
}

/**
 * pngInfo then pngDecode, as a host does. `canary` fills 64 bytes after dst, aux and scratch
 * with a pattern and reports whether the decoder wrote past any of them.
 */
export function pngDecode(bytes: Uint8Array, opts: { canary?: boolean } = {}): PngResult & { overwrote?: boolean } {
  const { arena } = kernel();
  arena.reset();
  const src = arena.put(bytes);
  const info = arena.alloc(INFO_WORDS * 4);
  const k = codec();
  let status = k.pngInfo(src, bytes.length, info);
  const u32 = () => new Int32Array(arena.u8().buffer, info, INFO_WORDS);
  if (status !== 0) return { status, info: u32().slice() };
  const i = u32();
  const size = i[INFO.WIDTH]! * i[INFO.HEIGHT]! * i[INFO.BYTES]!;
  const scratchSize = i[INFO.SCRATCH]!;
  const dst = arena.alloc(size + 64);
  const aux = arena.alloc(1024 + 64);
  const scratch = arena.alloc(scratchSize + 64);
  const guard = (at: number) => arena.u8().fill(0xa5, at, at + 64);
  if (opts.canary) [dst + size, aux + 1024, scratch + scratchSize].forEach(guard);
  status = k.pngDecode(src, bytes.length, info, dst, aux, scratch);
  const mem = arena.u8();
  let overwrote: boolean | undefined;
  if (opts.canary) {
    overwrote = [dst + size, aux + 1024, scratch + scratchSize].some((at) => mem.subarray(at, at + 64).some((v) => v !== 0xa5));
  }
  const out: PngResult & { overwrote?: boolean } = { status, info: u32().slice(), ...(overwrote !== undefined ? { overwrote } : {}) };
  if (status === 0) {
    out.data = mem.slice(dst, dst + size);
    out.aux = mem.slice(aux, aux + 1024);
  }
  return out;
}

/**
 * convertMode on a native-mode image. `palette` (RGB triples) and `alpha` fill the aux block for
 * mode P; `key` sets FLAG_KEY and the key slots.
 */
export function convert(
  data: Uint8Array, mode: number, width: number, height: number, to: number,
  extra: { aux?: Uint8Array; key?: number[]; flags?: number } = {},
): { status: number; data?: Uint8Array } {
  const { arena } = kernel();
  arena.reset();
  const src = arena.put(data);
  const aux = arena.alloc(1024);
  if (extra.aux) arena.u8().set(extra.aux, aux);
  const info = arena.alloc(INFO_WORDS * 4);
  const iv = new Int32Array(arena.u8().buffer, info, INFO_WORDS);
  iv.fill(0);
  let flags = extra.flags ?? 0;
  if (extra.key) {
    flags |= FLAG.KEY;
    iv[INFO.KEY] = extra.key[0]!;
    iv[INFO.KEY + 1] = extra.key[1] ?? extra.key[0]!;
    iv[INFO.KEY + 2] = extra.key[2] ?? extra.key[0]!;
  }
  iv[INFO.FLAGS] = flags;
  // Modes it does not convert to have no size: a 0-byte destination, the status says why.
  const n = width * height * (BYTES[MODE_NAMES[to] ?? ""] ?? 0);
  const dst = arena.alloc(n);
  const status = codec().convertMode(src, mode, width, height, aux, info, to, dst);
  return status === 0 ? { status, data: arena.u8().slice(dst, dst + n) } : { status };
}

/** zlibInflate of `z` into exactly `outLen` bytes. */
export function inflate(z: Uint8Array, outLen: number): { status: number; data?: Uint8Array; info: Int32Array } {
  const { arena } = kernel();
  arena.reset();
  const src = arena.put(z);
  const info = arena.alloc(INFO_WORDS * 4);
  const out = arena.alloc(outLen + 16);
  const status = codec().zlibInflate(src, z.length, out, outLen, info);
  const iv = new Int32Array(arena.u8().buffer.slice(info, info + INFO_WORDS * 4));
  return status === 0 ? { status, data: arena.u8().slice(out, out + outLen), info: iv } : { status, info: iv };
}
