// The kernel exports behind targets, batch mixing and the dtype / colour-mode conversions
// (assembly/targets.ts), typed in one place.
import { kernel } from "../kernel/instance.js";
import type { KernelExports } from "../kernel/exports.js";

/** Exports of assembly/targets.ts. */
export interface TargetExports {
  targetAffineMatrix(
    cx: number,
    cy: number,
    angle: number,
    tx: number,
    ty: number,
    scale: number,
    shx: number,
    shy: number,
    inverted: number,
    out: number,
  ): void;
  torchNearestTable(inSize: number, outSize: number, table: number): void;
  gatherPixels(src: number, sw: number, c: number, xs: number, ys: number, dw: number, dh: number, dst: number): void;
  blendF32(a: number, b: number, n: number, wa: number, wb: number, dst: number): void;
  u8ToF32(src: number, w: number, h: number, c: number, scale: number, dst: number): void;
  f32ToU8(src: number, w: number, h: number, c: number, scale: number, dst: number): void;
  toRGB(src: number, n: number, c: number, dst: number): void;
  gridNearest(
    src: number,
    sw: number,
    sh: number,
    c: number,
    dst: number,
    dw: number,
    dh: number,
    kind: number,
    m: number,
    fill: number,
  ): void;
  elasticScratch(w: number, h: number, sigmaX: number, sigmaY: number): number;
  elasticField(
    k0: number,
    k1: number,
    w: number,
    h: number,
    alphaX: number,
    alphaY: number,
    sigmaX: number,
    sigmaY: number,
    field: number,
    scratch: number,
  ): void;
}

/** The kernel with its target exports typed. */
export function targetKernel(): { exports: KernelExports & TargetExports; arena: ReturnType<typeof kernel>["arena"] } {
  const k = kernel();
  return { exports: k.exports as KernelExports & TargetExports, arena: k.arena };
}
