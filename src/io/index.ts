/**
 * lockstep io: PNG and JPEG files to and from {@link Image}s, through jimp's codecs (pngjs and
 * jpeg-js), which are loaded on first use.
 * @module
 */

/** Decodes PNG or JPEG bytes to an Image with the file's own channel count; see {@link decode}. */
export { decode } from "./decode.js";
/** Encodes an Image as a deterministic 8-bit grey, RGB or RGBA PNG; see {@link encodePng}. */
export { encodePng } from "./encode.js";
