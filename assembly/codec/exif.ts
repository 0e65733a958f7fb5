// EXIF orientation, read the way Pillow 12 reads it for `ImageOps.exif_transpose`
// (Image.Exif.load and TiffImagePlugin.ImageFileDirectory_v2.load): a bounds-checked walk of
// IFD0 of the TIFF structure in an EXIF block, big- or little-endian, looking for tag 0x0112.
// Shared by the JPEG decoder (APP1 "Exif") and the PNG decoder (eXIf chunks).

/** Orientation 1..8 from a TIFF/EXIF block, or 0 when it has none (or none Pillow would act on). */
export function exifOrientation(tiff: usize, len: i32): i32 {
  const t = exifOrientationTag(tiff, len);
  return t > 0 ? t : 0;
}

/**
 * The orientation tag as Pillow sees it: -1 when IFD0 holds no tag 0x0112 that Pillow keeps
 * (Pillow then falls back to XMP), -2 when the block is not a TIFF structure Pillow reads,
 * 1..8 when the value equals that integer, 0 for any other value.
 */
export function exifOrientationTag(tiff: usize, len: i32): i32 {
  // Image.Exif.load strips any number of leading "Exif\0\0".
  while (len >= 6 && load<u32>(tiff) == 0x66697845 && load<u16>(tiff + 4) == 0) {
    tiff += 6;
    len -= 6;
  }
  if (len <= 0) return -1; // nothing left: Pillow sees no tags
  if (len < 8) return -2; // the 8-byte header (BigTIFF needs 16, so Pillow fails on it too)
  const b0 = load<u8>(tiff), b1 = load<u8>(tiff + 1), b2 = load<u8>(tiff + 2), b3 = load<u8>(tiff + 3);
  let big: bool;
  if (b0 == 0x4d && b1 == 0x4d) big = true;
  else if (b0 == 0x49 && b1 == 0x49) big = false;
  else return -2;
  // "MM\0*", "II*\0" and the swapped forms Pillow also accepts.
  if (!((b2 == 0 && b3 == 0x2a) || (b2 == 0x2a && b3 == 0))) return -2;
  const ifd = rd32(tiff + 4, big);
  if (ifd > <u32>len || <u32>len - ifd < 2) return -1;
  const count = <i32>rd16(tiff + <usize>ifd, big);
  let found: i32 = -1;
  let p = <i64>ifd + 2;
  for (let i = 0; i < count; i++) {
    if (p + 12 > <i64>len) break; // Pillow stops at the first short read and keeps what it had
    const e = tiff + <usize>p;
    p += 12;
    const tag = rd16(e, big);
    const typ = <i32>rd16(e + 2, big);
    const n = rd32(e + 4, big);
    const unit = unitSize(typ);
    if (unit == 0) continue; // types Pillow does not load
    const size = <u64>n * <u64>unit;
    if (size == 0) continue; // an empty value is skipped
    let data: usize = e + 8;
    if (size > 4) {
      const off = <u64>rd32(e + 8, big);
      if (off + size > <u64>len) break; // a short out-of-line read ends Pillow's walk
      data = tiff + <usize>off;
    }
    if (tag != 0x0112) continue;
    found = valueOf(data, typ, big);
  }
  return found;
}

// @ts-ignore: decorator
@inline function rd16(p: usize, big: bool): u32 {
  const v = <u32>load<u16>(p);
  return big ? ((v >> 8) | ((v & 0xff) << 8)) : v;
}

// @ts-ignore: decorator
@inline function rd32(p: usize, big: bool): u32 {
  const v = load<u32>(p);
  return big ? bswap<u32>(v) : v;
}

/** Bytes a value of TIFF type `typ` has, 0 for types Pillow skips. */
function unitSize(typ: i32): i32 {
  switch (typ) {
    case 1: case 2: case 6: case 7: return 1; // BYTE, ASCII, SBYTE, UNDEFINED
    case 3: case 8: return 2; // SHORT, SSHORT
    case 4: case 9: case 11: case 13: return 4; // LONG, SLONG, FLOAT, IFD
    case 5: case 10: case 12: case 16: return 8; // RATIONAL, SRATIONAL, DOUBLE, LONG8
  }
  return 0;
}

// @ts-ignore: decorator
@inline function orient(v: i64): i32 {
  return v >= 1 && v <= 8 ? <i32>v : 0;
}

/** The first value of the entry, as an orientation (1..8) or 0 when it is no such integer. */
function valueOf(p: usize, typ: i32, big: bool): i32 {
  switch (typ) {
    case 3: return orient(<i64>rd16(p, big));
    case 4: case 13: return orient(<i64>rd32(p, big));
    case 6: return orient(<i64>load<i8>(p));
    case 8: return orient(<i64><i16>rd16(p, big));
    case 9: return orient(<i64><i32>rd32(p, big));
    case 16: {
      const hi = rd32(p + (big ? 0 : 4), big), lo = rd32(p + (big ? 4 : 0), big);
      return hi != 0 ? 0 : orient(<i64>lo);
    }
    case 5: case 10: {
      // IFDRational compares equal to an int when the fraction is whole.
      let num = <i64>rd32(p, big), den = <i64>rd32(p + 4, big);
      if (typ == 10) {
        num = <i64><i32>num;
        den = <i64><i32>den;
      }
      if (den == 0 || num % den != 0) return 0;
      return orient(num / den);
    }
    case 11: {
      const f = reinterpret<f32>(rd32(p, big));
      const i = <i64>Math.floor(<f64>f);
      return <f64>i == <f64>f ? orient(i) : 0;
    }
    case 12: {
      const hi = <u64>rd32(p + (big ? 0 : 4), big), lo = <u64>rd32(p + (big ? 4 : 0), big);
      const d = reinterpret<f64>((hi << 32) | lo);
      const i = <i64>Math.floor(d);
      return <f64>i == d ? orient(i) : 0;
    }
  }
  return 0; // BYTE and UNDEFINED load as bytes, ASCII as str: never an orientation
}

/**
 * The orientation an XMP packet gives (Pillow's fallback when EXIF has no orientation tag):
 * the digit after the first `tiff:Orientation="` or `tiff:Orientation>`, 1..8, else 0;
 * -1 when there is no such text.
 */
export function xmpOrientation(p: usize, len: i32): i32 {
  for (let i = 0; i + 16 < len; i++) {
    if (!startsWithTag(p + <usize>i)) continue;
    let j = i + 16;
    const c = load<u8>(p + <usize>j);
    if (c == 0x3d && j + 1 < len && load<u8>(p + <usize>(j + 1)) == 0x22) j += 2; // ="
    else if (c == 0x3e) j += 1; // >
    else continue;
    if (j >= len) continue;
    const d = <i32>load<u8>(p + <usize>j) - 0x30;
    if (d < 0 || d > 9) continue;
    return d >= 1 && d <= 8 ? d : 0;
  }
  return -1;
}

const TAG_TEXT: usize = memory.data<u8>([
  0x74, 0x69, 0x66, 0x66, 0x3a, 0x4f, 0x72, 0x69, 0x65, 0x6e, 0x74, 0x61, 0x74, 0x69, 0x6f, 0x6e,
]); // "tiff:Orientation"

// @ts-ignore: decorator
@inline function startsWithTag(p: usize): bool {
  return load<u64>(p) == load<u64>(TAG_TEXT) && load<u64>(p + 8) == load<u64>(TAG_TEXT + 8);
}
