/** The raw exports of build/lockstep.wasm (see assembly/index.ts). Addresses are byte offsets. */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  philox(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: number): void;
  philoxFill(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, n: number, out: number): void;
  mathLog(x: number): number;
  mathExp(x: number): number;
  mathPow(x: number, y: number): number;
  mathSin(x: number): number;
  mathCos(x: number): number;
  mathAtan2(y: number, x: number): number;
  extract(
    src: number,
    sw: number,
    sh: number,
    c: number,
    top: number,
    left: number,
    h: number,
    w: number,
    mode: number,
    fill: number,
    dst: number,
  ): void;
  hflip(src: number, w: number, h: number, c: number, dst: number): void;
  vflip(src: number, w: number, h: number, c: number, dst: number): void;
  resample(
    src: number,
    sw: number,
    sh: number,
    c: number,
    bl: number,
    bt: number,
    bw: number,
    bh: number,
    ow: number,
    oh: number,
    wl: number,
    wt: number,
    ww: number,
    wh: number,
    filter: number,
    antialias: number,
    flags: number,
    norm: number,
    dst: number,
    scratch: number,
  ): void;
  resampleScratch(
    bw: number,
    bh: number,
    ow: number,
    oh: number,
    ww: number,
    wh: number,
    c: number,
    filter: number,
    antialias: number,
  ): number;
  buildLut(mean: number, std: number, out: number): void;
  buildLutScaled(mean: number, std: number, out: number): void;
  toTensor(src: number, w: number, h: number, c: number, norm: number, dst: number): void;
  toTensorScaled(src: number, w: number, h: number, c: number, norm: number, dst: number): void;
  normalize(data: number, planes: number, planeSize: number, mean: number, std: number): void;
  // PNG decoding, colour modes and PNG encoding (assembly/codec/png.ts, convert.ts, pngencode.ts).
  pngInfo(src: number, len: number, info: number): number;
  pngDecode(src: number, len: number, info: number, dst: number, aux: number, scratch: number): number;
  zlibInflate(src: number, srcLen: number, out: number, outLen: number, info: number): number;
  convertMode(src: number, srcMode: number, w: number, h: number, aux: number, info: number, dstMode: number, dst: number): number;
  keepMode(mode: number, flags: number): number;
  pngEncodeScratch(w: number, h: number, channels: number): number;
  pngEncode(src: number, w: number, h: number, channels: number, scratch: number): number;
  // Decoding for hosts (assembly/codec/image.ts): header, plan, decode, and the status messages.
  imageInfo(src: number, len: number, info: number): number;
  imagePlan(info: number, mode: number, applyOrientation: number): number;
  imageDecode(src: number, len: number, info: number, dst: number, aux: number, scratch: number): number;
  codecMessage(code: number, info: number, out: number, cap: number): number;
}

/** Border modes of `extract`, as in assembly/geometry.ts. */
export const MODE = { constant: 0, edge: 1, reflect: 2, symmetric: 3 } as const;
/** Filters of `resample`, as in assembly/resample.ts. */
export const FILTER = { nearest: 0, bilinear: 1, bicubic: 2 } as const;
/** Flags of `resample`: torch's uint8 resize and v2's scaled ToDtype are the "tensor" semantics. */
export const FLAG = { hflip: 1, vflip: 2, tensor: 4, torch: 8, scaleMul: 16 } as const;
