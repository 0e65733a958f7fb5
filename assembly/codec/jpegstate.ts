// The JPEG decoder's state: one decode at a time, held in globals and fixed-size static blocks
// (the kernel never allocates). Names follow libjpeg's where the meaning is the same.

/** Natural-order position (times 2, a byte offset into an i16 block) of the k-th zigzag
 * coefficient, with libjpeg's 16 extra entries pointing at 63 so that a corrupt run length
 * past the end of the block lands where libjpeg puts it. */
export const ZZ2: usize = memory.data<u8>([
  0, 2, 16, 32, 18, 4, 6, 20, 34, 48, 64, 50, 36, 22, 8, 10,
  24, 38, 52, 66, 80, 96, 82, 68, 54, 40, 26, 12, 14, 28, 42, 56,
  70, 84, 98, 112, 114, 100, 86, 72, 58, 44, 30, 46, 60, 74, 88, 102,
  116, 118, 104, 90, 76, 62, 78, 92, 106, 120, 122, 108, 94, 110, 124, 126,
  126, 126, 126, 126, 126, 126, 126, 126, 126, 126, 126, 126, 126, 126, 126, 126,
]);

// ---- the file --------------------------------------------------------------------------------
export let src: usize = 0;
export let srcLen: i32 = 0;
/** Decode options (INFO_JPEG_OPTIONS). */
export let allowTruncated: bool = false;
/** Set when allowTruncated let a decode finish over missing data. */
export let sawTruncation: bool = false;
export function setSource(s: usize, n: i32, allow: bool): void {
  src = s;
  srcLen = n;
  allowTruncated = allow;
  sawTruncation = false;
}
export function noteTruncation(): void {
  sawTruncation = true;
}

// ---- error details (INFO_DETAIL / INFO_DETAIL2) -------------------------------------------
export let detail: i32 = 0;
export let detail2: i32 = 0;
// @ts-ignore: decorator
@inline export function fail(status: i32, d: i32, d2: i32 = 0): i32 {
  detail = d;
  detail2 = d2;
  return status;
}

// ---- frame -----------------------------------------------------------------------------------
export let width: i32 = 0;
export let height: i32 = 0;
export let ncomp: i32 = 0;
export let progressive: bool = false;
export let maxH: i32 = 1;
export let maxV: i32 = 1;
export let mcusPerRow: i32 = 0;
export let imcuRows: i32 = 0;
export let multiScan: bool = false;
export let restartInterval: i32 = 0;
export let sawSOF: bool = false;
export let sawJFIF: bool = false;
export let sawAdobe: bool = false;
export let adobeTransform: i32 = 0;
/** Colour transform libjpeg applies (default_decompress_parms), COLOR_*. */
export let color: i32 = 0;
export const COLOR_GRAY = 0;
export const COLOR_YCC = 1;
export const COLOR_RGB = 2;
export const COLOR_CMYK = 3;
export const COLOR_YCCK = 4;

export function resetFrame(): void {
  width = 0; height = 0; ncomp = 0; progressive = false; maxH = 1; maxV = 1;
  mcusPerRow = 0; imcuRows = 0; multiScan = false; restartInterval = 0; sawSOF = false;
  sawJFIF = false; sawAdobe = false; adobeTransform = 0; color = 0;
  memory.fill(QDEF, 0, 4);
  memory.fill(HDEF, 0, 8);
  memory.fill(COMP, 0, 4 * COMP_SLOTS * 4);
}
export function setFrame(w: i32, h: i32, n: i32, prog: bool): void {
  width = w; height = h; ncomp = n; progressive = prog; sawSOF = true;
}
export function setGeometry(mh: i32, mv: i32, mpr: i32, rows: i32, multi: bool): void {
  maxH = mh; maxV = mv; mcusPerRow = mpr; imcuRows = rows; multiScan = multi;
}
export function setRestart(n: i32): void { restartInterval = n; }
export function setJFIF(): void { sawJFIF = true; }
export function setAdobe(t: i32): void { sawAdobe = true; adobeTransform = t; }
export function setColor(c: i32): void { color = c; }

// ---- components (4 at most: Pillow refuses other counts) -------------------------------------
export const COMP_SLOTS = 32;
export const COMP: usize = memory.data(4 * COMP_SLOTS * 4, 16);
export const C_ID = 0;
export const C_H = 1;
export const C_V = 2;
export const C_TQ = 3;
export const C_WB = 4;      // width_in_blocks
export const C_HB = 5;      // height_in_blocks
export const C_DW = 6;      // downsampled_width
export const C_DH = 7;      // downsampled_height
export const C_BPR = 8;     // blocks a row in the padded coefficient / sample grid (MCUs_per_row * h)
export const C_BROWS = 9;   // block rows in the padded grid (iMCU rows * v)
export const C_COEF = 10;   // coefficient buffer address (multi-scan)
export const C_RING = 11;   // sample ring (3 iMCU rows)
export const C_STRIDE = 12; // ring row stride
export const C_DCT = 13;    // DC table slot used by the current scan
export const C_ACT = 14;    // AC table slot used by the current scan
export const C_LATCHED = 15; // quantization table latched (at the component's first scan)
export const C_UP = 16;     // upsampling method (UP_*)
export const C_HEXP = 17;
export const C_VEXP = 18;
export const C_TMP = 19;    // upsampled row buffer
export const C_SCANNED = 20; // the component appeared in a scan

// @ts-ignore: decorator
@inline export function cget(c: i32, slot: i32): i32 {
  return load<i32>(COMP + (<usize>(c * COMP_SLOTS + slot) << 2));
}
// @ts-ignore: decorator
@inline export function cset(c: i32, slot: i32, v: i32): void {
  store<i32>(COMP + (<usize>(c * COMP_SLOTS + slot) << 2), v);
}

// ---- quantization tables: 4 defined by DQT (natural order, u16), and one latched a component
export const QT: usize = memory.data(4 * 64 * 2, 16);
export const QDEF: usize = memory.data(4);
export const QLATCH: usize = memory.data(4 * 64 * 2, 16);

// ---- Huffman tables: slots 0-3 DC, 4-7 AC. Raw (DHT) form and derived decoding tables.
export const HBITS: usize = memory.data(8 * 17);
export const HVAL: usize = memory.data(8 * 256);
export const HDEF: usize = memory.data(8);
export const LOOK_BITS = 11;
export const LOOK_SHIFT: u64 = 64 - LOOK_BITS;
export const LUT_BYTES: usize = 2 << LOOK_BITS;
export const FAST_BYTES: usize = 4 << LOOK_BITS;
/** (code length << 8) | symbol for every LOOK_BITS-bit prefix that starts with a code of at most LOOK_BITS bits; 0 otherwise. */
export const LUT: usize = memory.data(8 * (2 << LOOK_BITS), 16);
/** maxcode[l] (-1 when no code has length l), l = 0..17, and valoffset[l]. */
export const MAXCODE: usize = memory.data(8 * 18 * 4, 16);
export const VALOFF: usize = memory.data(8 * 18 * 4, 16);
/** Code and extra bits decoded in one lookup, where both fit in LOOK_BITS bits (else 0). DC slots:
 * (difference << 16) | length; AC slots: (value << 16) | (run << 8) | length, and an end of
 * block as FAST_EOB | length. */
export const FAST: usize = memory.data(8 * (4 << LOOK_BITS), 16);
export const FAST_EOB = 0x80;

// ---- progressive bookkeeping: coef_bits per component (current and previous scan) -----------
export const CBITS: usize = memory.data(4 * 64 * 4, 16);
export const CBITS_PREV: usize = memory.data(4 * 64 * 4, 16);
