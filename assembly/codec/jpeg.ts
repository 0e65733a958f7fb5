// JPEG decoding with Pillow 12's bytes: `Image.open(f).tobytes()`, which is libjpeg-turbo 3 with
// its defaults (islow IDCT, fancy upsampling, integer YCbCr->RGB) plus Pillow's own marker
// parser and its CMYK handling. Baseline and extended sequential (SOF0/SOF1) and progressive
// (SOF2) Huffman files, 8-bit, 1, 3 or 4 components; arithmetic coding, lossless and 12-bit
// files are refused with a status.
//
// jpegInfo reads the markers up to the first scan and says how much memory the decode needs;
// jpegDecode decodes into the host's buffers. A single-scan file streams: MCU rows are decoded,
// inverse-transformed into a ring of sample rows, and upsampled and colour-converted a row at a
// time. Multi-scan files (progressive, or components in separate scans) are first decoded into
// a coefficient buffer, then output the same way.
//
// Damaged files: every read is bounds-checked. A scan that stops early (a marker or the end of
// the file inside the data) is an error unless the caller allows truncated files, in which
// case the decode continues as libjpeg does under Pillow's LOAD_TRUNCATED_IMAGES. A file that
// claims more 8x8 blocks than its data could hold at one bit a block is refused by jpegInfo
// before anything is allocated, so a tiny file claiming a huge image fails at once.

import {
  setInfo, getInfo, INFO_FORMAT, INFO_WIDTH, INFO_HEIGHT, INFO_MODE, INFO_BYTES, INFO_SCRATCH,
  INFO_ORIENTATION, INFO_FLAGS, INFO_DETAIL, INFO_DETAIL2, INFO_END, INFO_COMPONENTS, INFO_BITS,
  INFO_EXIF, INFO_EXIF_LEN, INFO_JPEG_COLOR, INFO_JPEG_SAMPLING, INFO_JPEG_OPTIONS, JPEG_ALLOW_TRUNCATED,
  INFO_WORDS, FORMAT_JPEG, MODE_L, MODE_RGB, MODE_CMYK, FLAG_PROGRESSIVE, FLAG_ADOBE, FLAG_TRUNCATED,
} from "./info";
import * as St from "./status";
import {
  src, srcLen, setSource, sawTruncation, allowTruncated, noteTruncation, detail, detail2, fail, resetFrame, setFrame, setGeometry,
  setRestart, setJFIF, setAdobe, setColor, width, height, ncomp, progressive, sawSOF, sawJFIF, sawAdobe,
  adobeTransform, multiScan, maxH, maxV, mcusPerRow, imcuRows, color, cget, cset, C_ID, C_H, C_V, C_TQ,
  C_WB, C_HB, C_DW, C_DH, C_BPR, C_BROWS, C_COEF, C_RING, C_STRIDE, C_DCT, C_ACT, C_UP, C_TMP, QT, QDEF,
  HBITS, HVAL, HDEF, COLOR_GRAY, COLOR_YCC, COLOR_RGB, COLOR_CMYK, COLOR_YCCK,
} from "./jpegstate";
import {
  SCAN_COMP, setScan, resetScans, startScan, decodeScanToCoefficients, decodeStreamingRow,
  markerAfterScan, setWindow, setPos, pos, segMarkerPos, scanCount, scanN, Ss, Se, WIN_BYTES,
} from "./jpegscan";
import { chooseUpsampling, emitRows, outputFromCoefficients, setDestination, setColsum, UP_FULL } from "./jpegout";
import { exifOrientationTag, xmpOrientation } from "./exif";
import { installStandardTables } from "./jpeghuff";

/** Scan floods (a small progressive file with many scans, each a pass over every block) are
 * refused: more than MAX_SCANS scans, or scans that visit more coefficients in all than
 * MAX_PASSES times the image has. A complete progression visits each coefficient 2 to 4
 * times (14 at the very most, one refinement per bit). */
const MAX_SCANS = 1000;
const MAX_PASSES = 16;

// What the header pass found besides the frame.
let exifAt = 0;
let exifLen = 0;
let xmpAt = 0;
let xmpLen = 0;
let iccShort = false;
let markerAt = 0; // offset of the 0xFF of the marker just read

// @ts-ignore: decorator
@inline function byteAt(p: i32): i32 {
  return <i32>load<u8>(src + <usize>p);
}
// @ts-ignore: decorator
@inline function u16At(p: i32): i32 {
  return (byteAt(p) << 8) | byteAt(p + 1);
}

/** libjpeg's next_marker from `p`: skips anything that is not FF xx (xx not 0); -1 at the end. */
function findMarker(p: i32): i32 {
  const end = srcLen;
  while (true) {
    while (p < end && byteAt(p) != 0xff) p++;
    let j = p + 1;
    while (j < end && byteAt(j) == 0xff) j++;
    if (j >= end) return -1;
    const c = byteAt(j);
    if (c != 0) {
      markerAt = p;
      setPos(j + 1);
      return c;
    }
    p = j + 1;
  }
}

/** Length field of the segment at `pos` (status on error, else the length, >= 0). Segments
 * must lie inside the file: Pillow's parser reads each one whole. */
function segmentLength(): i32 {
  const p = pos;
  if (p + 2 > srcLen) return -fail(St.E_TRUNCATED, srcLen);
  const n = u16At(p);
  if (n >= 2 && p + n > srcLen) return -fail(St.E_TRUNCATED, srcLen);
  return n;
}

/** Skips an APPn / COM / DNL segment (a length below 2 skips only the length field, as both
 * Pillow and libjpeg do). */
function skipSegment(): i32 {
  const n = segmentLength();
  if (n < 0) return -n;
  setPos(pos + (n < 2 ? 2 : n));
  return St.OK;
}

// @ts-ignore: decorator
@inline function startsWith(p: i32, n: i32, text: usize, tn: i32): bool {
  if (n < tn) return false;
  for (let i = 0; i < tn; i++) if (byteAt(p + i) != <i32>load<u8>(text + <usize>i)) return false;
  return true;
}

const T_JFIF: usize = memory.data<u8>([0x4a, 0x46, 0x49, 0x46, 0]);
const T_ADOBE: usize = memory.data<u8>([0x41, 0x64, 0x6f, 0x62, 0x65]);
const T_EXIF: usize = memory.data<u8>([0x45, 0x78, 0x69, 0x66, 0, 0]);
const T_XMP: usize = memory.data<u8>([
  0x68, 0x74, 0x74, 0x70, 0x3a, 0x2f, 0x2f, 0x6e, 0x73, 0x2e, 0x61, 0x64, 0x6f, 0x62, 0x65, 0x2e,
  0x63, 0x6f, 0x6d, 0x2f, 0x78, 0x61, 0x70, 0x2f, 0x31, 0x2e, 0x30, 0x2f, 0,
]); // "http://ns.adobe.com/xap/1.0/\0"
const T_ICC: usize = memory.data<u8>([0x49, 0x43, 0x43, 0x5f, 0x50, 0x52, 0x4f, 0x46, 0x49, 0x4c, 0x45, 0]);

/** APPn: what libjpeg (JFIF, Adobe) and Pillow (EXIF, XMP, and its own checks) take from it. */
function readAPP(m: i32): i32 {
  const n = segmentLength();
  if (n < 0) return -n;
  const p = pos + 2;
  const len = n < 2 ? 0 : n - 2;
  if (m == 0xe0) {
    // Pillow reads the JFIF version as i16(s, 5): a shorter "JFIF" segment fails Image.open.
    if (startsWith(p, len, T_JFIF, 4) && len < 7) return fail(St.E_CORRUPT, markerAt);
    if (len >= 14 && startsWith(p, len, T_JFIF, 5)) setJFIF();
  } else if (m == 0xee) {
    if (startsWith(p, len, T_ADOBE, 5) && len < 7) return fail(St.E_CORRUPT, markerAt);
    if (len >= 12 && startsWith(p, len, T_ADOBE, 5)) setAdobe(byteAt(p + 11));
  } else if (m == 0xe1) {
    if (startsWith(p, len, T_EXIF, 6)) {
      if (exifAt == 0) {
        exifAt = p + 6;
        exifLen = len - 6;
      }
    } else if (startsWith(p, len, T_XMP, 29)) {
      xmpAt = p + 29;
      xmpLen = len - 29;
    }
  } else if (m == 0xe2) {
    // Pillow indexes byte 13 of the first ICC chunk when it meets the SOF.
    if (startsWith(p, len, T_ICC, 12) && len <= 13 && !sawSOF) iccShort = true;
  }
  setPos(pos + (n < 2 ? 2 : n));
  return St.OK;
}

/** DQT (get_dqt). */
function readDQT(): i32 {
  const n = segmentLength();
  if (n < 0) return -n;
  let p = pos + 2;
  let left = n - 2;
  while (left > 0) {
    const t = byteAt(p);
    const prec = t >> 4;
    const id = t & 15;
    if (id >= 4) return fail(St.E_CORRUPT, markerAt);
    const need = 1 + (prec != 0 ? 128 : 64);
    if (left < need) return fail(St.E_CORRUPT, markerAt);
    const zz = ZZ_NATURAL;
    for (let i = 0; i < 64; i++) {
      const v = prec != 0 ? u16At(p + 1 + 2 * i) : byteAt(p + 1 + i);
      store<u16>(QT + <usize>id * 128 + (<usize>load<u8>(zz + <usize>i) << 1), <u16>v);
    }
    store<u8>(QDEF + id, 1);
    p += need;
    left -= need;
  }
  if (left != 0) return fail(St.E_CORRUPT, markerAt);
  setPos(pos + n);
  return St.OK;
}

const ZZ_NATURAL: usize = memory.data<u8>([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
  12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
  35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
  58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]);

/** DHT (get_dht). */
function readDHT(): i32 {
  const n = segmentLength();
  if (n < 0) return -n;
  let p = pos + 2;
  let left = n - 2;
  while (left > 16) {
    let index = byteAt(p);
    let count = 0;
    for (let i = 1; i <= 16; i++) count += byteAt(p + i);
    left -= 17;
    if (count > 256 || count > left) return fail(St.E_JPEG_HUFFMAN_TABLE, markerAt);
    let slot: i32;
    if (index & 0x10) {
      index -= 0x10;
      if (index >= 4) return fail(St.E_JPEG_HUFFMAN_TABLE, markerAt);
      slot = 4 + index;
    } else {
      if (index >= 4) return fail(St.E_JPEG_HUFFMAN_TABLE, markerAt);
      slot = index;
    }
    const bits = HBITS + <usize>slot * 17;
    store<u8>(bits, 0);
    for (let i = 1; i <= 16; i++) store<u8>(bits + <usize>i, <u8>byteAt(p + i));
    const vals = HVAL + <usize>slot * 256;
    memory.fill(vals, 0, 256);
    for (let i = 0; i < count; i++) store<u8>(vals + <usize>i, <u8>byteAt(p + 17 + i));
    store<u8>(HDEF + slot, 1);
    p += 17 + count;
    left -= count;
  }
  if (left != 0) return fail(St.E_CORRUPT, markerAt);
  setPos(pos + n);
  return St.OK;
}

/** DAC (get_dac): only validated; arithmetic-coded frames are refused at their SOF. */
function readDAC(): i32 {
  const n = segmentLength();
  if (n < 0) return -n;
  let p = pos + 2;
  let left = n - 2;
  while (left > 0) {
    if (left < 2) return fail(St.E_CORRUPT, markerAt);
    const index = byteAt(p), val = byteAt(p + 1);
    if (index >= 32) return fail(St.E_CORRUPT, markerAt);
    if (index < 16 && (val & 15) > (val >> 4)) return fail(St.E_CORRUPT, markerAt);
    if (index >= 16 && (val < 1 || val > 63)) return fail(St.E_CORRUPT, markerAt);
    p += 2;
    left -= 2;
  }
  if (left != 0) return fail(St.E_CORRUPT, markerAt);
  setPos(pos + n);
  return St.OK;
}

/** DRI (get_dri). */
function readDRI(): i32 {
  const n = segmentLength();
  if (n < 0) return -n;
  if (n != 4) return fail(St.E_CORRUPT, markerAt);
  setRestart(u16At(pos + 2));
  setPos(pos + 4);
  return St.OK;
}

/** SOFn: Pillow's checks (8-bit, 1/3/4 layers) and libjpeg's (get_sof, initial_setup). */
function readSOF(m: i32): i32 {
  if (sawSOF) return fail(St.E_CORRUPT, markerAt); // before the length, as get_sof
  const n = segmentLength();
  if (n < 0) return -n;
  const p = pos + 2;
  if (n < 8) return fail(St.E_CORRUPT, markerAt);
  const prec = byteAt(p);
  const h = u16At(p + 1), w = u16At(p + 3), nc = byteAt(p + 5);
  const lossless = m == 0xc3 || m == 0xc7 || m == 0xcb || m == 0xcf;
  if (prec != 8) {
    if (lossless) return fail(St.E_JPEG_LOSSLESS, markerAt);
    return prec == 12 ? fail(St.E_JPEG_12BIT, markerAt) : fail(St.E_CORRUPT, markerAt);
  }
  if (nc != 1 && nc != 3 && nc != 4) return fail(St.E_JPEG_COMPONENTS, nc);
  if (iccShort) return fail(St.E_CORRUPT, markerAt);
  if (m == 0xc9 || m == 0xca || m == 0xcb) return fail(St.E_JPEG_ARITHMETIC, markerAt);
  if (lossless) return fail(St.E_JPEG_LOSSLESS, markerAt);
  if (m != 0xc0 && m != 0xc1 && m != 0xc2) return fail(St.E_JPEG_UNSUPPORTED, m, markerAt);
  if (w == 0 || h == 0) return fail(St.E_CORRUPT, markerAt);
  if (n != 8 + 3 * nc) return fail(St.E_CORRUPT, markerAt);
  if (w > 65500 || h > 65500) return fail(St.E_TOO_LARGE, w, h);
  for (let c = 0; c < nc; c++) {
    const q = p + 6 + 3 * c;
    const hv = byteAt(q + 1);
    const hs = hv >> 4, vs = hv & 15;
    if (hs < 1 || hs > 4 || vs < 1 || vs > 4) return fail(St.E_JPEG_SAMPLING, markerAt);
    cset(c, C_ID, byteAt(q));
    cset(c, C_H, hs);
    cset(c, C_V, vs);
    cset(c, C_TQ, byteAt(q + 2));
  }
  setFrame(w, h, nc, m == 0xc2);
  setPos(pos + n);
  return St.OK;
}

/** SOS (get_sos). */
function readSOS(): i32 {
  const at = markerAt;
  if (!sawSOF) return fail(St.E_CORRUPT, at);
  const n = segmentLength();
  if (n < 0) return -n;
  let p = pos + 2;
  if (n < 3) return fail(St.E_CORRUPT, at);
  const k = byteAt(p++);
  if (n != 6 + 2 * k || k < 1 || k > 4) return fail(St.E_CORRUPT, at);
  const lim = ncomp < 4 ? ncomp : 4;
  for (let i = 0; i < k; i++) {
    const cc = byteAt(p), t = byteAt(p + 1);
    p += 2;
    // The first unused component with this id (libjpeg tolerates duplicate ids this way).
    let found = -1;
    for (let c = i; c < lim; c++) {
      if (cget(c, C_ID) == cc) {
        found = c;
        break;
      }
    }
    if (found < 0) return fail(St.E_JPEG_SCAN, at);
    for (let j = 0; j < i; j++) if (load<i32>(SCAN_COMP + (<usize>j << 2)) == found) return fail(St.E_JPEG_SCAN, at);
    store<i32>(SCAN_COMP + (<usize>i << 2), found);
    cset(found, C_DCT, t >> 4);
    cset(found, C_ACT, t & 15);
  }
  setScan(k, byteAt(p), byteAt(p + 1), byteAt(p + 2) >> 4, byteAt(p + 2) & 15, at);
  setPos(pos + n);
  return St.OK;
}

const R_SOS = -1;
const R_EOI = -2;
const R_EOF = -3;

/** One marker whose code was just read (pos is after it). */
function processMarker(m: i32, first: bool): i32 {
  if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc) return readSOF(m);
  if (m >= 0xe0 && m <= 0xef) return readAPP(m);
  if (m >= 0xd0 && m <= 0xd7) return St.OK; // RSTn: parameterless
  switch (m) {
    case 0xc4: return readDHT();
    case 0xcc: return readDAC();
    case 0xdb: return readDQT();
    case 0xdd: return readDRI();
    case 0xfe: return skipSegment();
    case 0xdc: return skipSegment(); // DNL: libjpeg ignores it
    case 0xda: {
      const st = readSOS();
      return st != St.OK ? st : R_SOS;
    }
    case 0xd9: return first ? fail(St.E_CORRUPT, markerAt) : R_EOI;
    case 0xd8: return fail(St.E_CORRUPT, markerAt); // a second SOI
    case 0x01: if (!first) return St.OK; // TEM: libjpeg accepts it, Pillow's parser does not
  }
  return fail(St.E_JPEG_MARKER, m, markerAt);
}

/** read_markers: processes markers from `pos` until a SOS (R_SOS) or EOI (R_EOI); -1 when the
 * file ends first (R_EOF); otherwise a status. `first`: the header pass, where Pillow's parser also
 * has a say. */
function readMarkersLoop(first: bool): i32 {
  while (true) {
    const m = findMarker(pos);
    if (m < 0) return R_EOF;
    const st = processMarker(m, first);
    if (st != St.OK) return st;
  }
  return St.OK;
}

/** Reads from SOI through the first SOS header and sets the frame up. */
function readHeader(s: usize, len: i32, allow: bool): i32 {
  setSource(s, len, allow);
  resetFrame();
  resetScans();
  exifAt = 0; exifLen = 0; xmpAt = 0; xmpLen = 0; iccShort = false;
  // Pillow wants FF D8 FF; libjpeg wants the SOI first.
  if (len < 3 || byteAt(0) != 0xff || byteAt(1) != 0xd8 || byteAt(2) != 0xff) return fail(St.E_FORMAT, 0);
  setPos(2);
  const st = readMarkersLoop(true);
  if (st == R_EOF) return fail(St.E_TRUNCATED, srcLen);
  if (st != R_SOS) return st;
  return setupFrame();
}

/** initial_setup, default_decompress_parms and the upsampler's checks, at the first SOS. */
function setupFrame(): i32 {
  let mh = 1, mv = 1;
  for (let c = 0; c < ncomp; c++) {
    if (cget(c, C_H) > mh) mh = cget(c, C_H);
    if (cget(c, C_V) > mv) mv = cget(c, C_V);
  }
  const w = width, h = height;
  const mpr = (w + mh * 8 - 1) / (mh * 8);
  const rows = (h + mv * 8 - 1) / (mv * 8);
  setGeometry(mh, mv, mpr, rows, progressive || scanN < ncomp);
  // The first scan's MCU must fit libjpeg's 10 blocks (later scans are checked as they come).
  if (scanN > 1) {
    let blocks = 0;
    for (let i = 0; i < scanN; i++) {
      const c = load<i32>(SCAN_COMP + (<usize>i << 2));
      blocks += cget(c, C_H) * cget(c, C_V);
    }
    if (blocks > 10) return fail(St.E_JPEG_SAMPLING, markerAt);
  }
  for (let c = 0; c < ncomp; c++) {
    const hs = cget(c, C_H), vs = cget(c, C_V);
    cset(c, C_WB, <i32>((<i64>w * hs + mh * 8 - 1) / (mh * 8)));
    cset(c, C_HB, <i32>((<i64>h * vs + mv * 8 - 1) / (mv * 8)));
    cset(c, C_DW, <i32>((<i64>w * hs + mh - 1) / mh));
    cset(c, C_DH, <i32>((<i64>h * vs + mv - 1) / mv));
    cset(c, C_BPR, mpr * hs);
    cset(c, C_BROWS, rows * vs);
  }
  // Colour space (default_decompress_parms).
  if (ncomp == 1) setColor(COLOR_GRAY);
  else if (ncomp == 3) {
    if (sawJFIF) setColor(COLOR_YCC);
    else if (sawAdobe) setColor(adobeTransform == 0 ? COLOR_RGB : COLOR_YCC);
    else if (cget(0, C_ID) == 0x52 && cget(1, C_ID) == 0x47 && cget(2, C_ID) == 0x42) setColor(COLOR_RGB);
    else setColor(COLOR_YCC);
  } else {
    setColor(sawAdobe && adobeTransform == 0 ? COLOR_CMYK : sawAdobe ? COLOR_YCCK : COLOR_CMYK);
  }
  const st = chooseUpsampling();
  if (st != St.OK) return st;
  // Plausibility, against tiny files that claim huge images: every block of a component needs
  // at least one bit of data. Only checked past 65536 blocks (4 megapixels), where the memory
  // and time a decode takes start to matter; smaller truncated files still decode with
  // allowTruncated as they do in Pillow.
  let most: i64 = 0;
  for (let c = 0; c < ncomp; c++) {
    const b = <i64>cget(c, C_WB) * <i64>cget(c, C_HB);
    if (b > most) most = b;
  }
  if (most > 65536 && <i64>(srcLen - pos) * 8 < most) return fail(St.E_TRUNCATED_DATA, srcLen);
  return St.OK;
}

// @ts-ignore: decorator
@inline function align16(n: i64): i64 {
  return (n + 15) & ~15;
}

/** Scratch layout: window, sample rings, upsampled rows, coefficient buffers. Returns bytes. */
function layout(base: usize, assign: bool): i64 {
  let off: i64 = 0;
  if (assign) setWindow(base);
  off += align16(WIN_BYTES);
  for (let c = 0; c < ncomp; c++) {
    const stride = <i64>cget(c, C_BPR) * 8;
    if (assign) {
      cset(c, C_RING, <i32>(base + <usize>off));
      cset(c, C_STRIDE, <i32>stride);
    }
    off += align16(3 * 8 * <i64>cget(c, C_V) * stride);
  }
  for (let c = 0; c < ncomp; c++) {
    if (cget(c, C_UP) == UP_FULL) continue;
    if (assign) cset(c, C_TMP, <i32>(base + <usize>off));
    off += align16(<i64>width + 64);
  }
  // Column sums of h2v2 fancy upsampling, two rows (i16, with room either side).
  if (assign) setColsum(base + <usize>off, base + <usize>(off + align16(2 * <i64>width + 128)));
  off += 2 * align16(2 * <i64>width + 128);
  if (multiScan) {
    for (let c = 0; c < ncomp; c++) {
      if (assign) cset(c, C_COEF, <i32>(base + <usize>off));
      off += <i64>cget(c, C_BPR) * <i64>cget(c, C_BROWS) * 128;
    }
  }
  return off + 64;
}

/** Coefficients the scan about to start visits (blocks times its band). */
function scanCoefficients(): i64 {
  const band = <i64>(progressive ? (Se >= Ss ? Se - Ss + 1 : 1) : 64);
  if (scanN == 1) {
    const c = load<i32>(SCAN_COMP);
    return <i64>cget(c, C_WB) * <i64>cget(c, C_HB) * band;
  }
  let n: i64 = 0;
  for (let i = 0; i < scanN; i++) {
    const c = load<i32>(SCAN_COMP + (<usize>i << 2));
    n += <i64>(cget(c, C_H) * cget(c, C_V));
  }
  return n * <i64>mcusPerRow * <i64>imcuRows * band;
}

function orientation(): i32 {
  let t: i32 = -1;
  if (exifAt != 0) t = exifOrientationTag(src + <usize>exifAt, exifLen);
  if (t == -1 && xmpAt != 0) t = xmpOrientation(src + <usize>xmpAt, xmpLen);
  return t > 0 ? t : 0;
}

function fillInfo(info: usize): void {
  setInfo(info, INFO_FORMAT, FORMAT_JPEG);
  setInfo(info, INFO_WIDTH, width);
  setInfo(info, INFO_HEIGHT, height);
  const mode = ncomp == 1 ? MODE_L : ncomp == 3 ? MODE_RGB : MODE_CMYK;
  setInfo(info, INFO_MODE, mode);
  setInfo(info, INFO_BYTES, ncomp);
  const need = layout(0, false);
  setInfo(info, INFO_SCRATCH, need > <i64>i32.MAX_VALUE ? i32.MAX_VALUE : <i32>need);
  setInfo(info, INFO_ORIENTATION, orientation());
  let flags = 0;
  if (progressive) flags |= FLAG_PROGRESSIVE;
  if (sawAdobe) flags |= FLAG_ADOBE;
  setInfo(info, INFO_FLAGS, flags);
  setInfo(info, INFO_COMPONENTS, ncomp);
  setInfo(info, INFO_BITS, 8);
  setInfo(info, INFO_EXIF, exifAt);
  setInfo(info, INFO_EXIF_LEN, exifLen);
  setInfo(info, INFO_JPEG_COLOR, color);
  let sampling = 0;
  for (let c = 0; c < ncomp; c++) sampling |= ((cget(c, C_H) << 4) | cget(c, C_V)) << (8 * c);
  setInfo(info, INFO_JPEG_SAMPLING, sampling);
}

function finish(info: usize, status: i32): i32 {
  setInfo(info, INFO_DETAIL, status == St.OK ? 0 : detail);
  setInfo(info, INFO_DETAIL2, status == St.OK ? 0 : detail2);
  return status;
}

/**
 * Reads a JPEG's headers (through the first SOS) into `info` (see info.ts): size, Pillow's mode,
 * the scratch bytes jpegDecode needs, EXIF orientation. Cheap: no image memory is touched.
 */
export function jpegInfo(s: usize, len: i32, info: usize): i32 {
  // A fresh block: a refused file leaves no stale sizes behind (the host's options stay).
  const options = getInfo(info, INFO_JPEG_OPTIONS);
  memory.fill(info, 0, <usize>INFO_WORDS << 2);
  setInfo(info, INFO_JPEG_OPTIONS, options);
  const st = readHeader(s, len, false);
  if (st != St.OK) return finish(info, st);
  fillInfo(info);
  return finish(info, St.OK);
}

/**
 * Decodes the JPEG at `s` into `dst` (width * height * BYTES bytes, Pillow's native mode) using
 * `scratch` (INFO_SCRATCH bytes). `info` must hold what jpegInfo filled in for the same file;
 * INFO_JPEG_OPTIONS may ask for Pillow's LOAD_TRUNCATED_IMAGES behaviour.
 */
export function jpegDecode(s: usize, len: i32, info: usize, dst: usize, scratch: usize): i32 {
  const allow = (getInfo(info, INFO_JPEG_OPTIONS) & JPEG_ALLOW_TRUNCATED) != 0;
  let st = readHeader(s, len, allow);
  if (st != St.OK) return finish(info, st);
  const need = layout(0, false);
  if (getInfo(info, INFO_WIDTH) != width || getInfo(info, INFO_HEIGHT) != height ||
    <i64>getInfo(info, INFO_SCRATCH) < need) return finish(info, fail(St.E_CORRUPT, 0));
  layout(scratch, true);
  setDestination(dst);
  if (multiScan) {
    for (let c = 0; c < ncomp; c++) {
      memory.fill(<usize>cget(c, C_COEF), 0, <usize>cget(c, C_BPR) * <usize>cget(c, C_BROWS) * 128);
    }
  }
  if (!progressive) installStandardTables();
  let end = srcLen;
  if (!multiScan) {
    st = startScan();
    if (st != St.OK) return finish(info, st);
    for (let n = 0; n < imcuRows; n++) {
      st = decodeStreamingRow(n);
      if (st != St.OK) return finish(info, st);
      if (n > 0) emitRows(n - 1);
    }
    emitRows(imcuRows - 1);
    // jpeg_finish_decompress reads on to EOI: broken markers still fail Pillow's decode, but
    // the file may end before EOI.
    const m = markerAfterScan();
    if (m != 0) {
      st = processMarker(m, false);
      if (st == St.OK) st = readMarkersLoop(false);
      if (st == R_SOS) return finish(info, fail(St.E_CORRUPT, segMarkerPos));
      if (st == R_EOI) end = pos;
      // Running out of file here only suspends libjpeg, after every row was delivered.
      else if (st != R_EOF && st != St.E_TRUNCATED) return finish(info, st);
    }
  } else {
    let total: i64 = 0;
    for (let c = 0; c < ncomp; c++) total += <i64>cget(c, C_WB) * <i64>cget(c, C_HB);
    let visited: i64 = 0;
    while (true) {
      visited += scanCoefficients();
      if (visited > total * 64 * MAX_PASSES) return finish(info, fail(St.E_JPEG_SCANS, scanCount + 1));
      st = startScan();
      if (st != St.OK) return finish(info, st);
      st = decodeScanToCoefficients();
      if (st != St.OK) return finish(info, st);
      const m = markerAfterScan();
      if (m == 0) return finish(info, fail(St.E_TRUNCATED_DATA, srcLen));
      st = processMarker(m, false);
      if (st == St.OK) st = readMarkersLoop(false);
      if (st == R_EOF) {
        // The file ends between segments: Pillow's LOAD_TRUNCATED_IMAGES supplies the EOI.
        if (!allowTruncated) return finish(info, fail(St.E_TRUNCATED_DATA, srcLen));
        noteTruncation();
        st = R_EOI;
        setPos(srcLen);
      }
      if (st == R_EOI) {
        end = pos;
        break;
      }
      if (st != R_SOS) return finish(info, st);
      if (scanCount >= MAX_SCANS) return finish(info, fail(St.E_JPEG_SCANS, scanCount + 1));
    }
    outputFromCoefficients(progressive);
  }
  setInfo(info, INFO_END, end > srcLen ? srcLen : end);
  if (sawTruncation) setInfo(info, INFO_FLAGS, getInfo(info, INFO_FLAGS) | FLAG_TRUNCATED);
  return finish(info, St.OK);
}
