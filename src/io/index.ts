/**
 * lockstep io: image files to and from {@link Image}s. PNG and JPEG are decoded by the kernel's
 * own decoders (Pillow 12.3's bytes on every runtime); BMP, GIF and TIFF through jimp, which is
 * loaded only for them. PNG and JPEG encoding are the kernel's too, so their files are the same
 * everywhere (JPEG: byte for byte torchvision's encode_jpeg / Pillow's save).
 * @module
 */

/** Decodes an image file to an Image in the mode asked for; see {@link decode}. */
export {
  decode,
  decodeSync,
  decodeToKernel,
  readInfo,
  DecodeError,
  DEFAULT_MAX_PIXELS,
  type DecodeMode,
  type DecodeOptions,
  type ImageInfo,
} from "./decode.js";
/** Encodes an Image as a deterministic 8-bit grey, RGB or RGBA PNG; see {@link encodePng}. */
export { encodePng } from "./encode.js";
/** Encodes an Image as a JPEG with torchvision's encode_jpeg bytes; see {@link encodeJpeg}. */
export { encodeJpeg } from "./encode-jpeg.js";
