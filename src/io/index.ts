/**
 * lockstep io: image files to and from {@link Image}s. PNG and JPEG are decoded by the kernel's
 * own decoders (Pillow 12.3's bytes on every runtime); BMP, GIF and TIFF through jimp, which is
 * loaded only for them. PNG encoding is the kernel's too, so its files are the same everywhere.
 * @module
 */

/** Decodes an image file to an Image in the mode asked for; see {@link decode}. */
export { decode, decodeSync, readInfo, DecodeError, DEFAULT_MAX_PIXELS, type DecodeMode, type DecodeOptions, type ImageInfo } from "./decode.js";
/** Encodes an Image as a deterministic 8-bit grey, RGB or RGBA PNG; see {@link encodePng}. */
export { encodePng } from "./encode.js";
