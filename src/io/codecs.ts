// jimp's own PNG (pngjs) and JPEG (jpeg-js) codecs, loaded on first use: importing "jimp" takes
// most of a second, and nothing else in lockstep needs it. We call the codecs directly rather than
// Jimp.fromBuffer, which sniffs the MIME type with file-type and applies EXIF orientation: the
// pixels here are the file's stored pixels, as Pillow and torchvision.io return them.
import { Buffer } from "buffer";

/** The subset of pngjs's decode result used here (always RGBA, 8 bits, rescaled from other depths). */
export interface RawBitmap {
  width: number;
  height: number;
  data: Uint8Array;
}

/** One of jimp's format codecs, typed as lockstep uses it. */
export interface Codec {
  mime: string;
  decode(data: Buffer, options?: Record<string, unknown>): RawBitmap;
  encode(bitmap: { width: number; height: number; data: Buffer }, options?: Record<string, unknown>): Buffer | Promise<Buffer>;
}

let loaded: Promise<{ png: Codec; jpeg: Codec }> | undefined;

/** jimp's PNG and JPEG codecs, imported once. */
export function codecs(): Promise<{ png: Codec; jpeg: Codec }> {
  loaded ??= import("jimp").then(({ defaultFormats }) => {
    const all = defaultFormats.map((f) => f() as unknown as Codec);
    const png = all.find((c) => c.mime === "image/png");
    const jpeg = all.find((c) => c.mime === "image/jpeg");
    if (!png || !jpeg) throw new Error("lockstep io: this jimp build has no PNG or JPEG codec");
    return { png, jpeg };
  });
  loaded.catch(() => (loaded = undefined)); // let a later call retry a failed import
  return loaded;
}

/** A Buffer over the same memory as `b` (no copy), as pngjs and jpeg-js expect. */
export function asBuffer(b: Uint8Array): Buffer {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}
