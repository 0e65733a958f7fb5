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
export const E_TOO_LARGE: i32 = 2;        // over the host's pixel limit ({0} x {1})
export const E_JPEG_12BIT: i32 = 3;
export const E_JPEG_ARITHMETIC: i32 = 4;
export const E_JPEG_LOSSLESS: i32 = 5;
export const E_JPEG_SAMPLING: i32 = 6;    // a sampling factor combination libjpeg-turbo refuses too
// JPEG (refused)
export const E_JPEG_UNSUPPORTED: i32 = 7; // hierarchical / differential coding: SOF marker 0xFF{0} at byte {1}
export const E_JPEG_COMPONENTS: i32 = 8;  // {0} components (Pillow opens 1, 3 or 4)
export const E_JPEG_SCANS: i32 = 9;       // too many scans ({0}): over 1000, or over 256 passes over the image

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
export const E_PNG_SIZE: i32 = 204;       // image data inflates to more than the header allows
export const E_JPEG_HUFFMAN: i32 = 205;   // bad Huffman code in the scan at byte {0}
export const E_JPEG_MARKER: i32 = 206;    // unexpected marker 0xFF{0} at byte {1}
// JPEG (corrupt)
export const E_JPEG_HUFFMAN_TABLE: i32 = 207; // invalid Huffman table (DHT at byte {0}, or the scan at byte {0} that derives it)
export const E_JPEG_NO_TABLE: i32 = 208;      // the scan at byte {0} uses a table the file does not define
export const E_JPEG_SCAN: i32 = 209;          // invalid scan header or progression at byte {0}

/** The message for `code` (see the table above); "unknown decoder status" for codes not listed. */
export function statusText(code: i32): string {
  switch (code) {
    case OK: return "ok";
    case E_FORMAT: return "not a PNG or JPEG file";
    case E_TOO_LARGE: return "the image is {0}x{1} pixels, over the pixel limit";
    case E_JPEG_12BIT: return "12-bit JPEG files are not supported (8-bit only)";
    case E_JPEG_ARITHMETIC: return "arithmetic-coded JPEG files are not supported (Huffman only)";
    case E_JPEG_LOSSLESS: return "lossless JPEG files are not supported";
    case E_JPEG_SAMPLING: return "unsupported JPEG sampling factors";
    case E_JPEG_UNSUPPORTED: return "hierarchical and differential JPEG files are not supported (marker 0xFF{0} at byte {1})";
    case E_JPEG_COMPONENTS: return "JPEG files with {0} components are not supported (1, 3 or 4)";
    case E_JPEG_SCANS: return "the JPEG file has too many scans ({0}; at most 1000, and 256 passes over the image)";
    case E_TRUNCATED: return "truncated file: it ends at byte {0}, inside a header";
    case E_TRUNCATED_DATA: return "truncated image data: the file ends at byte {0}";
    case E_JPEG_SCAN_END: return "truncated JPEG data: a scan stops at byte {0} (marker 0xFF{1}) before the image is complete";
    case E_CORRUPT: return "corrupt file at byte {0}";
    case E_PNG_CRC: return "corrupt PNG: CRC mismatch in the chunk at byte {0}";
    case E_PNG_ADLER: return "corrupt PNG: the image data's Adler-32 checksum does not match";
    case E_PNG_INFLATE: return "corrupt PNG: invalid deflate data at compressed byte {0}";
    case E_PNG_SIZE: return "corrupt PNG: the image data inflates to more than the header's size";
    case E_JPEG_HUFFMAN: return "corrupt JPEG: invalid Huffman code in the scan at byte {0}";
    case E_JPEG_MARKER: return "corrupt JPEG: unexpected marker 0xFF{0} at byte {1}";
    case E_JPEG_HUFFMAN_TABLE: return "corrupt JPEG: invalid Huffman table (at byte {0})";
    case E_JPEG_NO_TABLE: return "corrupt JPEG: the scan at byte {0} uses a table the file does not define";
    case E_JPEG_SCAN: return "corrupt JPEG: invalid scan parameters at byte {0}";
  }
  return "unknown decoder status";
}
