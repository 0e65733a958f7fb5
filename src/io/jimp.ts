// The formats lockstep's kernel does not decode (BMP, GIF, TIFF) through jimp's codecs, imported
// only when such a file arrives: PNG and JPEG never load jimp.
import { Buffer } from "buffer";

/** One of jimp's format codecs, as used here: decode to RGBA. */
interface Codec {
  mime: string;
  decode(data: Buffer): { width: number; height: number; data: Uint8Array };
}

let loaded: Promise<Codec[]> | undefined;

/** Decodes a BMP, GIF (first frame) or TIFF (first page) file to RGBA with jimp's codec. */
export async function decodeWithJimp(
  b: Uint8Array,
  format: "bmp" | "gif" | "tiff",
): Promise<{ width: number; height: number; data: Uint8Array }> {
  loaded ??= import("jimp").then(({ defaultFormats }) => defaultFormats.map((f) => f() as unknown as Codec));
  loaded.catch(() => (loaded = undefined)); // let a later call retry a failed import
  const codec = (await loaded).find((c) => c.mime === `image/${format}`);
  if (!codec) throw new Error(`this jimp build has no ${format.toUpperCase()} codec`);
  const out = codec.decode(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  const n = out.width * out.height * 4;
  if (!(out.data.length >= n)) throw new Error(`the decoder returned ${out.data.length} bytes for ${out.width}x${out.height}`);
  return { width: out.width, height: out.height, data: new Uint8Array(out.data.buffer, out.data.byteOffset, n) };
}
