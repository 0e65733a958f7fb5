// The contract between the decoders and their hosts (TypeScript, Python): where a decoder
// writes what it learnt about a file, and how pixel modes are numbered. The host hands in an
// `info` block of INFO_WORDS i32 slots; decoders fill it and return a status (status.ts).

/** Pixel modes, named and laid out as Pillow holds them after `Image.open` (one byte a band). */
export const MODE_1: i32 = 1;     // "1": bilevel, one byte a pixel, 0 or 255
export const MODE_L: i32 = 2;     // "L": grey
export const MODE_LA: i32 = 3;    // "LA": grey, alpha
export const MODE_RGB: i32 = 4;   // "RGB"
export const MODE_RGBA: i32 = 5;  // "RGBA"
export const MODE_P: i32 = 6;     // "P": palette indices; the palette (and tRNS alpha) in the aux block
export const MODE_I16: i32 = 7;   // "I;16": 16-bit grey, little-endian u16 a pixel, as Pillow stores it
export const MODE_CMYK: i32 = 8;  // "CMYK" as Pillow holds it (Adobe-inverted files already un-inverted)

/** Container formats. */
export const FORMAT_PNG: i32 = 1;
export const FORMAT_JPEG: i32 = 2;

/** Slots of the info block (i32 each, at info + 4 * slot). */
export const INFO_FORMAT: i32 = 0;      // FORMAT_*
export const INFO_WIDTH: i32 = 1;
export const INFO_HEIGHT: i32 = 2;
export const INFO_MODE: i32 = 3;        // MODE_* of the native decode
export const INFO_BYTES: i32 = 4;       // bytes per pixel of the native decode
export const INFO_SCRATCH: i32 = 5;     // scratch bytes the native decode needs (beyond dst and aux)
export const INFO_ORIENTATION: i32 = 6; // EXIF orientation 1..8, 0 when the file has none
export const INFO_FLAGS: i32 = 7;       // FLAG_* bits
export const INFO_DETAIL: i32 = 8;      // a number for the error message (usually a byte offset)
export const INFO_DETAIL2: i32 = 9;     // a second one
export const INFO_END: i32 = 10;        // byte just past the image (PNG IEND / JPEG EOI); later bytes are ignored. jpegEncode: the file's length
export const INFO_KEY: i32 = 11;        // tRNS colour key of an L / RGB / I;16 PNG: 3 slots (11, 12, 13), raw sample values
export const INFO_COMPONENTS: i32 = 14; // JPEG: frame components; PNG: samples a pixel
export const INFO_BITS: i32 = 15;       // bits a sample in the file
export const INFO_EXIF: i32 = 16;       // byte offset of the EXIF TIFF header in the file, 0 if none
export const INFO_EXIF_LEN: i32 = 17;   // its length
// ---- JPEG (slots 24-27) ----------------------------------------------------------------------
export const INFO_JPEG_COLOR: i32 = 24;    // libjpeg's colour transform: 0 grey, 1 YCbCr, 2 RGB, 3 CMYK, 4 YCCK
export const INFO_JPEG_SAMPLING: i32 = 25; // h << 4 | v of component c in byte c
export const INFO_JPEG_OPTIONS: i32 = 26;  // set by the host before jpegDecode: JPEG_* option bits
/** INFO_JPEG_OPTIONS bit: decode truncated data as Pillow does with LOAD_TRUNCATED_IMAGES. */
export const JPEG_ALLOW_TRUNCATED: i32 = 1;

/** Slots in all (the host allocates at least this many). */
export const INFO_WORDS: i32 = 32;

/** Bits of INFO_FLAGS. */
export const FLAG_PROGRESSIVE: i32 = 1;  // JPEG SOF2
export const FLAG_INTERLACED: i32 = 2;   // PNG Adam7
export const FLAG_KEY: i32 = 4;          // PNG tRNS colour key present (INFO_KEY)
export const FLAG_PALETTE_ALPHA: i32 = 8; // PNG palette has tRNS alpha (in aux)
export const FLAG_ADOBE: i32 = 16;       // JPEG has an Adobe APP14 marker
export const FLAG_TRUNCATED: i32 = 32;   // decoded with `allowTruncated`, and the data did end early

/** The aux block (for MODE_P): 256 RGB triples, then 256 alpha bytes (255 where tRNS says nothing). */
export const AUX_BYTES: i32 = 1024;
export const AUX_ALPHA: i32 = 768;

// @ts-ignore: decorator
@inline export function setInfo(info: usize, slot: i32, v: i32): void {
  store<i32>(info + (<usize>slot << 2), v);
}

// @ts-ignore: decorator
@inline export function getInfo(info: usize, slot: i32): i32 {
  return load<i32>(info + (<usize>slot << 2));
}
