// PNG and JPEG bytes to an Image with the file's own channel count.
import { describe, type Channels, type Image } from "../image.js";
import { asBuffer, codecs, type RawBitmap } from "./codecs.js";
import { MAX_MEGAPIXELS, pngIdat, pngRawSize, readHeader, type ImageHeader } from "./header.js";
import { inflatedSize } from "./inflate.js";

/**
 * Decodes a PNG or JPEG file to an {@link Image}, keeping the file's channel count.
 *
 * - PNG: grey -> 1 channel; RGB -> 3; palette -> 3, or 4 when it has a tRNS chunk; grey+alpha ->
 *   4 (RGBA with r = g = b); RGBA -> 4. 16-bit and 1/2/4-bit samples are rescaled to 8 bits
 *   (`round(v * 255 / max)`). A tRNS colour key on a grey or RGB file is ignored (the pixels keep
 *   their stored values).
 * - JPEG (baseline, extended or progressive Huffman, 8-bit): 1 component -> 1 channel;
 *   3 (YCbCr or RGB) -> 3; 4 (CMYK/YCCK with an Adobe marker) -> 3 after conversion to RGB.
 *   EXIF orientation is not applied: the pixels come out as stored, like Pillow's `Image.open`
 *   and `torchvision.io.decode_jpeg` by default. The decoder is jpeg-js (nearest-neighbour chroma
 *   upsampling, float colour conversion), so JPEG pixels need not match libjpeg-turbo's exactly.
 *
 * The format comes from the magic bytes. Before any pixel is decoded the whole file structure is
 * walked (PNG chunk lengths and CRCs, JPEG segment lengths up to the end-of-image marker) and the
 * header's size is checked against `MAX_SIDE` and `MAX_PIXELS`, so a decompression bomb is refused
 * without allocating. Bytes after the PNG IEND chunk or the JPEG end-of-image marker are ignored.
 *
 * @param bytes The file's bytes.
 * @returns A new image whose `data` shares no memory with `bytes`.
 * @throws TypeError when `bytes` is not a Uint8Array or ArrayBuffer, is empty, or is neither PNG
 *   nor JPEG; RangeError when the header's size is over the limits; Error for a truncated, corrupt
 *   or unsupported file. Every message starts with `decode:`.
 */
export async function decode(bytes: Uint8Array | ArrayBuffer): Promise<Image> {
  const all = asBytes(bytes);
  const header = readHeader(all);
  const file = all.subarray(0, header.end);
  const { png, jpeg } = await codecs();
  let raw: RawBitmap;
  if (header.format === "png") {
    await checkPngImageData(file, header);
    try {
      raw = png.decode(asBuffer(file), { checkCRC: true });
    } catch (e) {
      throw new Error(`decode: corrupt PNG image data: ${messageOf(e)}`, { cause: e });
    }
  } else {
    try {
      raw = jpeg.decode(asBuffer(file), {
        useTArray: true,
        formatAsRGBA: true,
        tolerantDecoding: false,
        // Our own limits were checked from the header; lift jpeg-js's lower defaults (100 MP, 512 MB).
        maxResolutionInMP: MAX_MEGAPIXELS,
        maxMemoryUsageInMB: 8192,
      });
    } catch (e) {
      throw new Error(`decode: corrupt JPEG image data: ${messageOf(e)}`, { cause: e });
    }
  }
  const what = header.format.toUpperCase();
  if (raw.width !== header.width || raw.height !== header.height || raw.data.length !== header.width * header.height * 4) {
    throw new Error(
      `decode: corrupt ${what}: the header says ${header.width}x${header.height}, but the decoder returned ${raw.width}x${raw.height} with ${raw.data.length} bytes`,
    );
  }
  return pack(raw.data, header);
}

function asBytes(bytes: unknown): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (ArrayBuffer.isView(bytes)) {
    throw new TypeError(`decode: bytes must be a Uint8Array or ArrayBuffer, got ${describe(bytes)}; wrap it with new Uint8Array(x.buffer, x.byteOffset, x.byteLength)`);
  }
  throw new TypeError(`decode: bytes must be a Uint8Array or ArrayBuffer, got ${describe(bytes)}`);
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Inflates the IDAT stream once, keeping at most `want + 1` bytes, and checks it comes to exactly
 * the size the header calls for. pngjs alone fills missing rows with zeros (a short stream
 * decodes "fine") and inflates interlaced images without any size limit.
 */
async function checkPngImageData(file: Uint8Array, header: ImageHeader): Promise<void> {
  const want = pngRawSize(header);
  let got: number;
  try {
    got = await inflatedSize(pngIdat(file), want + 1);
  } catch (e) {
    throw new Error(`decode: corrupt or truncated PNG image data: ${messageOf(e)}`, { cause: e });
  }
  if (got > want) {
    throw new Error(`decode: corrupt PNG: the image data inflates to more than the ${want} bytes a ${header.width}x${header.height} image needs`);
  }
  if (got < want) {
    throw new Error(`decode: truncated PNG image data: it inflates to ${got} bytes, but a ${header.width}x${header.height} image needs ${want}`);
  }
}

/** RGBA from the codec to the file's channel count, in a fresh array. */
function pack(rgba: Uint8Array, header: ImageHeader): Image {
  const { width, height, channels } = header;
  const n = width * height;
  const out = new Uint8Array(n * channels);
  if (channels === 4) {
    out.set(rgba.subarray(0, n * 4));
  } else {
    restoreColorKey(rgba, header);
    if (channels === 3) {
      for (let i = 0, o = 0, p = 0; i < n; i++, o += 3, p += 4) {
        out[o] = rgba[p]!;
        out[o + 1] = rgba[p + 1]!;
        out[o + 2] = rgba[p + 2]!;
      }
    } else {
      for (let i = 0, p = 0; i < n; i++, p += 4) out[i] = rgba[p]!;
    }
  }
  return { width, height, channels: channels as Channels, data: out };
}

/**
 * pngjs turns pixels equal to a grey/RGB file's tRNS colour key into (0, 0, 0, 0). Those are the
 * only pixels with alpha 0 in such a file, so put the key's colour back (rescaled to 8 bits the
 * way pngjs rescales samples).
 */
function restoreColorKey(rgba: Uint8Array, header: ImageHeader): void {
  const key = header.trnsKey;
  if (!key) return;
  const max = 2 ** header.bitDepth! - 1;
  const v = key.map((k) => (header.bitDepth === 8 ? k : Math.floor((k * 255) / max + 0.5)));
  const [r, g, b] = v.length === 1 ? [v[0]!, v[0]!, v[0]!] : [v[0]!, v[1]!, v[2]!];
  for (let p = 0; p < rgba.length; p += 4) {
    if (rgba[p + 3] === 0) {
      rgba[p] = r;
      rgba[p + 1] = g;
      rgba[p + 2] = b;
    }
  }
}
