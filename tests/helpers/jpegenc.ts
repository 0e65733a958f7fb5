// The JPEG encoder's fixtures (tests/codec/jpegenc, made by tests/codec/make_jpegenc_corpus.py):
// the manifest, the inputs it describes (synthetic patterns computed here exactly as the script
// computes them, and sample photos), and a raw driver of the kernel's jpegEncode export.
import { readFileSync } from "node:fs";
import type { Channels, Image } from "../../src/index.js";
import { decode } from "../../src/io/index.js";
import { kernel } from "../../src/kernel/instance.js";

export interface EncCase {
  input:
    | { kind: "noise" | "gradient" | "blocks" | "flat" | "extremes"; width: number; height: number; channels: Channels; seed: number }
    | { kind: "photo"; name: string; channels: Channels; crop?: [number, number, number, number] };
  quality: number;
  width: number;
  height: number;
  /** Length and SHA-256 of the file torchvision's encode_jpeg (and Pillow's save) writes. */
  bytes: number;
  jpeg: string;
  /** SHA-256 of torchvision.transforms.v2.functional.jpeg's output for the same image. */
  roundtrip: string;
}

export interface EncManifest {
  pillow: string;
  libjpeg_turbo: string;
  torchvision: string;
  checked_against: string[];
  notes: string[];
  cases: EncCase[];
}

export const encManifest = JSON.parse(readFileSync(new URL("../codec/jpegenc/manifest.json", import.meta.url), "utf8")) as EncManifest;

/** The script's 32-bit hash h32, in 32-bit JavaScript integer arithmetic. */
function h32(x: number, y: number, c: number, seed: number): number {
  let v = (Math.imul(x, 0x9e3779b1) + Math.imul(y, 0x85ebca77) + Math.imul(c, 0xc2b2ae3d) + Math.imul(seed, 0x27d4eb2f)) >>> 0;
  v = (v ^ (v >>> 15)) >>> 0;
  v = Math.imul(v, 0x2c1b3c6d) >>> 0;
  v = (v ^ (v >>> 12)) >>> 0;
  v = Math.imul(v, 0x297a2d39) >>> 0;
  return (v ^ (v >>> 15)) >>> 0;
}

/** The script's synthetic patterns. */
export function synth(kind: string, w: number, h: number, ch: Channels, seed: number): Image {
  const data = new Uint8Array(w * h * ch);
  let i = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < ch; c++) {
        let v: number;
        switch (kind) {
          case "noise": v = h32(x, y, c, seed); break;
          case "gradient": v = Math.floor((x * 256 * (c + 1)) / w) + Math.floor((y * 256) / h) + seed; break;
          case "blocks": v = (x >> 2) * 37 + (y >> 3) * 91 + c * 53 + seed; break;
          case "flat": v = seed; break;
          case "extremes": v = (((x >> 1) + (y >> 2) + (h32(x >> 3, y >> 3, 0, seed) & 1)) & 1) === 1 ? 255 : 0; break;
          default: throw new Error(`unknown pattern ${kind}`);
        }
        data[i++] = v & 255;
      }
    }
  }
  return { width: w, height: h, channels: ch, data };
}

const photos = new Map<string, Image>();

/** A sample photo (lossless PNG) as RGB, or its green channel for grey, optionally cropped [left, top, w, h]. */
export async function photo(name: string, channels: Channels, crop?: [number, number, number, number]): Promise<Image> {
  let rgb = photos.get(name);
  if (!rgb) {
    rgb = await decode(readFileSync(new URL(`../../samples/${name}`, import.meta.url)));
    if (rgb.channels !== 3) throw new Error(`${name}: expected an RGB PNG`);
    photos.set(name, rgb);
  }
  const [left, top, w, h] = crop ?? [0, 0, rgb.width, rgb.height];
  const data = new Uint8Array(w * h * channels);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const s = ((top + y) * rgb.width + left + x) * 3;
      if (channels === 1) data[y * w + x] = rgb.data[s + 1]!;
      else data.set(rgb.data.subarray(s, s + 3), (y * w + x) * 3);
    }
  }
  return { width: w, height: h, channels, data };
}

/** The input a case describes. */
export async function caseInput(c: EncCase): Promise<Image> {
  const i = c.input;
  return i.kind === "photo" ? photo(i.name, i.channels, i.crop) : synth(i.kind, i.width, i.height, i.channels, i.seed);
}

interface EncExports {
  memory: WebAssembly.Memory;
  jpegEncode(src: number, w: number, h: number, c: number, q: number, dst: number, cap: number, scratch: number, info: number): number;
  jpegEncodeBound(w: number, h: number, c: number): number;
  jpegEncodeScratch(w: number, h: number, c: number): number;
}

/** Encoder statuses (assembly/codec/status.ts). */
export const ENC_STATUS = { OK: 0, E_ENC_SIZE: 10, E_ENC_CHANNELS: 11, E_ENC_QUALITY: 12, E_ENC_SPACE: 13 } as const;

/**
 * Calls the kernel's jpegEncode directly, with an output buffer of `cap` bytes (the bound when
 * omitted) followed by 64 guard bytes of 0xA5; returns the status, the info slots, the file (on
 * success) and whether the guard bytes survived.
 */
export function rawEncode(px: Uint8Array, w: number, h: number, c: number, q: number, cap?: number): { status: number; info: Int32Array; file?: Uint8Array; guardIntact: boolean } {
  const { arena } = kernel();
  const k = kernel().exports as unknown as EncExports;
  arena.reset();
  const src = arena.put(px.length ? px : new Uint8Array(1));
  const info = arena.alloc(128);
  const scratchBytes = k.jpegEncodeScratch(w, h, c);
  const scratch = arena.alloc(scratchBytes > 0 ? scratchBytes : 64);
  const size = cap ?? Math.max(k.jpegEncodeBound(w, h, c), 0);
  const dst = arena.alloc(size + 64);
  arena.u8().fill(0xa5, dst + size, dst + size + 64);
  const status = k.jpegEncode(src, w, h, c, q, dst, size, scratch, info);
  const slots = new Int32Array(k.memory.buffer.slice(info, info + 128));
  const guardIntact = arena.u8().subarray(dst + size, dst + size + 64).every((b) => b === 0xa5);
  return { status, info: slots, file: status === 0 ? arena.takeU8(dst, slots[10]!) : undefined, guardIntact };
}
