// Tables the WebGPU JPEG round trip uploads (src/gpu/ops/jpeg.ts): the encoder's own
// quantization tables for a quality (jpegenc.ts's scaling of Annex K's tables) and its
// quantizer's divisors (jpegencdct.ts's setDivisors), so the GPU's integer passes quantize
// and dequantize with exactly the values the wasm encoder and decoder use.

import { STD_LUM_Q, STD_CHR_Q, qualityScale, scaleTable } from "./codec/jpegenc";
import { setDivisors } from "./codec/jpegencdct";

const QTAB: usize = memory.data(2 * 128, 16);
const DIV: usize = memory.data(2 * 384, 16);

/**
 * Writes the quantization data of `quality` (1..100) to `dst`: for the luma table then the
 * chroma table, 64 pairs of u32 in natural order, (reciprocal | correction << 16,
 * scale | quantizer << 16). Returns 0, or -1 for a quality outside 1..100 (nothing written).
 */
export function gpuJpegTables(quality: i32, dst: usize): i32 {
  if (quality < 1 || quality > 100) return -1;
  const scale = qualityScale(quality);
  scaleTable(STD_LUM_Q, scale, QTAB);
  scaleTable(STD_CHR_Q, scale, QTAB + 128);
  setDivisors(QTAB, DIV);
  setDivisors(QTAB + 128, DIV + 384);
  for (let t: usize = 0; t < 2; t++) {
    const q = QTAB + t * 128;
    const d = DIV + t * 384;
    for (let i: usize = 0; i < 64; i++) {
      const at = dst + ((t * 64 + i) << 3);
      store<u32>(at, <u32>load<u16>(d + (i << 1)) | (<u32>load<u16>(d + 128 + (i << 1)) << 16));
      store<u32>(at + 4, <u32>load<u16>(d + 256 + (i << 1)) | (<u32>load<u16>(q + (i << 1)) << 16));
    }
  }
  return 0;
}
