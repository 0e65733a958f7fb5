// JPEG (torchvision v2) on the GPU: the round trip's lossy steps in integers
// (wgsl/jpeg.wgsl.ts), with the kernel's quantization data for the quality
// (assembly/gpujpeg.ts). Huffman coding is lossless, so skipping the file changes no byte:
// jpegBlock encodes and decodes every 8x8 block into planes, jpegOut upsamples and converts.
import { kernel } from "../../kernel/instance.js";
import type { Meta } from "../../image.js";
import type { OpArgs } from "../../ir/ops.js";
import { TableCache } from "../cache.js";
import { defineShader } from "../shaders.js";
import { defineGpuOp, GpuUnsupported, u8Bytes } from "../plan.js";
import { blockShader, outShader } from "../wgsl/jpeg.wgsl.js";

// A whole 8x8 block's DCTs an invocation, in private arrays: on a SIMD-emulating software
// adapter (SwiftShader) that measured ~11-16x slower than the wasm codec on 224x224 RGB, so
// "auto" keeps JPEG on wasm there; real GPUs run blocks in parallel.
defineShader("jpegBlock", {
  ...blockShader,
  slowOnSoftware: "runs as integer 8x8-block DCT programs, much slower than wasm on a software adapter",
});
defineShader("jpegOut", outShader);

const tables = new TableCache<Uint32Array>();

/** The kernel's quantization data of `quality`: luma then chroma, 64 word pairs each (gpuJpegTables). */
export function jpegTables(quality: number): Uint32Array {
  return tables.get(`${quality}`, () => {
    const { exports: k, arena } = kernel();
    arena.reset();
    const at = arena.alloc(256 * 4);
    if (k.gpuJpegTables(quality, at) !== 0) throw new RangeError(`quality must be an integer in [1, 100], got ${quality}`);
    return arena.u32().slice(at >>> 2, (at >>> 2) + 256);
  });
}

defineGpuOp<OpArgs & { quality: number }>("jpeg", {
  lower(b, src, a, from: Meta) {
    if (from.kind !== "image" || (from.channels !== 1 && from.channels !== 3))
      throw new GpuUnsupported("the jpeg op takes a grey or RGB image");
    const { width: w, height: h, channels: c } = from;
    const tab = b.table(jpegTables(a.quality));
    // Blocks as the encoder codes them: grey 8x8 units; colour MCUs of 16x16 (4:2:0), luma
    // blocks wholly past the image being dummies the decoder never shows.
    const lc = (w + 7) >> 3;
    const lr = (h + 7) >> 3;
    const cc = c === 3 ? (w + 15) >> 4 : 0;
    const cr = c === 3 ? (h + 15) >> 4 : 0;
    const lw = lc * 8;
    const cw = cc * 8;
    const lumaBytes = lw * lr * 8;
    const chromaBytes = cw * cr * 8;
    const planes = b.buffer(lumaBytes + 2 * chromaBytes);
    const items = lc * lr + cc * cr;
    b.pass("jpegBlock", items, (ad) => [ad.pool(src), w, h, c, ad.tab(tab), ad.pool(planes), lc, lr, cc, cr, items]);
    const pixels = w * h;
    const groups = Math.ceil(pixels / 4);
    const dst = b.buffer(u8Bytes(pixels, c));
    // libjpeg-turbo upsamples fancily only when the chroma rows are over 2 samples wide.
    const fancy = (w + 1) >> 1 > 2 ? 1 : 0;
    b.pass("jpegOut", groups, (ad) => {
      const p = ad.pool(planes);
      return [p, w, h, c, lw, p + lumaBytes, p + lumaBytes + chromaBytes, cw, fancy, ad.pool(dst), groups, pixels];
    });
    return dst;
  },
});
