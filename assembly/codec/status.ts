// One table of decoder outcomes for every host: a status code, and the message a host shows for
// it. `{0}` and `{1}` in a message stand for INFO_DETAIL and INFO_DETAIL2 (info.ts). Hosts read
// the message through `codecMessage` (UTF-16 code units, as AssemblyScript stores strings), so
// the TypeScript and Python hosts say exactly the same thing. Every message starts with what is
// wrong; the host prefixes "decode: ".
//
// Keep codes stable: hosts map ranges to error classes (1-99 refused input such as unsupported
// or too large, 100-199 truncated, 200-299 corrupt).

export const OK: i32 = 0;

// ---- refused (the file may be fine, but lockstep does not decode it) ----------------------
export const E_FORMAT: i32 = 1;           // not PNG or JPEG
export const E_TOO_LARGE: i32 = 2;        // {0} x {1}: more than a decoder can hold (hosts check their own pixel limits first)
export const E_JPEG_12BIT: i32 = 3;
export const E_JPEG_ARITHMETIC: i32 = 4;
export const E_JPEG_LOSSLESS: i32 = 5;
export const E_JPEG_SAMPLING: i32 = 6;    // a sampling factor combination libjpeg-turbo refuses too
// JPEG (refused)
export const E_JPEG_UNSUPPORTED: i32 = 7; // hierarchical / differential coding: SOF marker 0xFF{0} at byte {1}
export const E_JPEG_COMPONENTS: i32 = 8;  // {0} components (Pillow opens 1, 3 or 4)
export const E_JPEG_SCANS: i32 = 9;       // too many scans ({0}): over 1000, or over 256 passes over the image
// JPEG encoder (refused arguments; the host checks them first and names the argument)
export const E_ENC_SIZE: i32 = 10;        // {0}x{1}: width and height must be 1..65535
export const E_ENC_CHANNELS: i32 = 11;    // {0} channels (1 or 3)
export const E_ENC_QUALITY: i32 = 12;     // quality {0} (1..100)
export const E_ENC_SPACE: i32 = 13;       // the output buffer ({0} bytes) is too small

// ---- truncated ------------------------------------------------------------------------------
export const E_TRUNCATED: i32 = 100;      // the file ends at byte {0} inside a header or chunk
export const E_TRUNCATED_DATA: i32 = 101; // the compressed image data ends early (at byte {0})
// JPEG (truncated)
export const E_JPEG_SCAN_END: i32 = 102;   // a scan's data stops at marker 0xFF{1} (byte {0}) before the image is complete

// ---- corrupt ----------------------------------------------------------------------------------
export const E_CORRUPT: i32 = 200;        // generic structural damage at byte {0}
export const E_PNG_CRC: i32 = 201;        // CRC mismatch in the chunk at byte {0}
export const E_PNG_ADLER: i32 = 202;
export const E_PNG_INFLATE: i32 = 203;    // invalid deflate stream (at compressed byte {0})
export const E_PNG_SIZE: i32 = 204;       // image data inflates to more than the {0} bytes the header allows
export const E_JPEG_HUFFMAN: i32 = 205;   // bad Huffman code in the scan at byte {0}
export const E_JPEG_MARKER: i32 = 206;    // unexpected marker 0xFF{0} at byte {1}
// JPEG (corrupt)
export const E_JPEG_HUFFMAN_TABLE: i32 = 207; // invalid Huffman table (DHT at byte {0}, or the scan at byte {0} that derives it)
export const E_JPEG_NO_TABLE: i32 = 208;      // the scan at byte {0} uses a table the file does not define
export const E_JPEG_SCAN: i32 = 209;          // invalid scan header or progression at byte {0}

// ---- PNG (assembly/codec/png.ts, inflate.ts): 30-39 refused, 130-139 truncated, 230-259 corrupt
export const E_PNG_CRITICAL: i32 = 30;    // an unknown critical chunk at byte {0} (libpng refuses these too)
export const E_PNG_INFO: i32 = 31;
export const E_CONVERT: i32 = 32;         // convertMode: no conversion from mode {0} to mode {1}        // pngDecode's info block is not the one pngInfo filled for these bytes
export const E_PNG_CHUNK_END: i32 = 130;  // the chunk at byte {0} runs past the end of the file ({1} bytes)
export const E_PNG_NO_IEND: i32 = 131;    // the file ends at byte {0} without an IEND chunk
export const E_PNG_IHDR: i32 = 230;       // the first chunk is not a 13-byte IHDR (or a second IHDR at byte {0})
export const E_PNG_DEPTH: i32 = 231;      // colour type {0} with bit depth {1}
export const E_PNG_METHOD: i32 = 232;     // compression, filter or interlace method {0} in IHDR
export const E_PNG_DIMENSIONS: i32 = 233; // IHDR says {0}x{1}
export const E_PNG_CHUNK: i32 = 234;      // an invalid chunk type or length at byte {0}
export const E_PNG_PLTE: i32 = 235;       // a PLTE chunk of {0} bytes
export const E_PNG_NO_PLTE: i32 = 236;    // a palette image without a PLTE chunk before its image data
export const E_PNG_TRNS: i32 = 237;       // a tRNS chunk of {0} bytes for colour type {1}
export const E_PNG_NO_IDAT: i32 = 238;    // no IDAT chunk
export const E_PNG_IDAT_ORDER: i32 = 239; // IDAT chunks not consecutive (another at byte {0})
export const E_PNG_FILTER: i32 = 240;     // filter type {0} in scanline {1}
export const E_PNG_SHORT: i32 = 241;      // a complete zlib stream of {0} bytes where the header needs {1}

/** The message for `code` (see the table above); "unknown decoder status" for codes not listed. */
export function statusText(code: i32): string {
  switch (code) {
    case OK: return "ok";
    case E_FORMAT: return "not a PNG or JPEG file";
    case E_TOO_LARGE: return "the image is {0}x{1} pixels, more than the decoder can hold in memory";
    case E_JPEG_12BIT: return "12-bit JPEG files are not supported (8-bit only)";
    case E_JPEG_ARITHMETIC: return "arithmetic-coded JPEG files are not supported (Huffman only)";
    case E_JPEG_LOSSLESS: return "lossless JPEG files are not supported";
    case E_JPEG_SAMPLING: return "unsupported JPEG sampling factors";
    case E_JPEG_UNSUPPORTED: return "hierarchical and differential JPEG files are not supported (marker 0xFF{0} at byte {1})";
    case E_JPEG_COMPONENTS: return "JPEG files with {0} components are not supported (1, 3 or 4)";
    case E_JPEG_SCANS: return "the JPEG file has too many scans ({0}; at most 1000, and 256 passes over the image)";
    case E_ENC_SIZE: return "cannot encode a {0}x{1} JPEG: width and height must be 1..65535";
    case E_ENC_CHANNELS: return "cannot encode {0} channels as JPEG (1 = grey or 3 = RGB)";
    case E_ENC_QUALITY: return "JPEG quality must be 1..100, got {0}";
    case E_ENC_SPACE: return "the JPEG output buffer of {0} bytes is too small (jpegEncodeBound bytes always suffice)";
    case E_TRUNCATED: return "truncated file: it ends at byte {0}, inside a header";
    case E_TRUNCATED_DATA: return "truncated image data: the file ends at byte {0}";
    case E_JPEG_SCAN_END: return "truncated JPEG data: a scan stops at byte {0} (marker 0xFF{1}) before the image is complete";
    case E_CORRUPT: return "corrupt file at byte {0}";
    case E_PNG_CRC: return "corrupt PNG: CRC mismatch in the chunk at byte {0}";
    case E_PNG_ADLER: return "corrupt PNG: the image data's Adler-32 checksum does not match";
    case E_PNG_INFLATE: return "corrupt PNG: invalid deflate data at compressed byte {0}";
    case E_PNG_SIZE: return "corrupt PNG: the image data inflates to more than the {0} bytes the header's size allows";
    case E_JPEG_HUFFMAN: return "corrupt JPEG: invalid Huffman code in the scan at byte {0}";
    case E_JPEG_MARKER: return "corrupt JPEG: unexpected marker 0xFF{0} at byte {1}";
    case E_JPEG_HUFFMAN_TABLE: return "corrupt JPEG: invalid Huffman table (at byte {0})";
    case E_JPEG_NO_TABLE: return "corrupt JPEG: the scan at byte {0} uses a table the file does not define";
    case E_JPEG_SCAN: return "corrupt JPEG: invalid scan parameters at byte {0}";
    // PNG
    case E_PNG_CRITICAL: return "unsupported PNG: an unknown critical chunk at byte {0}";
    case E_PNG_INFO: return "the info block does not match this PNG (call pngInfo on the same bytes first)";
    case E_CONVERT: return "no conversion from mode {0} to mode {1}";
    case E_PNG_CHUNK_END: return "truncated PNG: the chunk at byte {0} runs past the end of the file ({1} bytes)";
    case E_PNG_NO_IEND: return "truncated PNG: the file ends at byte {0} without an IEND chunk";
    case E_PNG_IHDR: return "corrupt PNG: the IHDR chunk is missing, has the wrong length or is repeated (at byte {0})";
    case E_PNG_DEPTH: return "corrupt PNG: colour type {0} with bit depth {1} is not allowed";
    case E_PNG_METHOD: return "corrupt PNG: unknown compression, filter or interlace method {0} in IHDR";
    case E_PNG_DIMENSIONS: return "corrupt PNG: IHDR says {0}x{1} pixels";
    case E_PNG_CHUNK: return "corrupt PNG: invalid chunk type or length at byte {0}";
    case E_PNG_PLTE: return "corrupt PNG: the PLTE chunk has {0} bytes (expected 3 to 768, a multiple of 3)";
    case E_PNG_NO_PLTE: return "corrupt PNG: a palette image without a PLTE chunk before its image data";
    case E_PNG_TRNS: return "corrupt PNG: a tRNS chunk of {0} bytes does not fit colour type {1}";
    case E_PNG_NO_IDAT: return "corrupt PNG: no image data (no IDAT chunk)";
    case E_PNG_IDAT_ORDER: return "corrupt PNG: IDAT chunks are not consecutive (another at byte {0})";
    case E_PNG_FILTER: return "corrupt PNG: unknown filter type {0} in scanline {1}";
    case E_PNG_SHORT: return "corrupt PNG: the image data inflates to {0} bytes, but the header's size needs {1}";
  }
  return "unknown decoder status";
}
