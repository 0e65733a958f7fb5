// Masks through the kernel's pixel ops, one plane at a time and always nearest, so labels
// stay labels: a u8 plane is a 1-channel image, an i32 plane a 4-channel image whose "pixel"
// is the 4 bytes of one label (nearest moves whole pixels, so every label survives exactly).
import { targetKernel } from "./kernel.js";
import { checkArea, type Image } from "../image.js";
import { hflip, vflip, window } from "../functional/geometry.js";
import { elasticKeyed, perspectiveCoeffs, rotate, rotatePlan, type Corners } from "../functional/warp.js";
import { affineMatrix } from "./points.js";
import { maskSize, type Mask } from "./types.js";

/** Bytes of one mask value's pixel: 1 (u8) or 4 (i32). */
function bpp(m: Mask): 1 | 4 {
  return m.data instanceof Int32Array ? 4 : 1;
}

/** A mask fill as the bytes of one pixel. */
export function fillPixel(m: Mask, fill: number): number[] {
  if (bpp(m) === 1) {
    if (!Number.isInteger(fill) || fill < 0 || fill > 255)
      throw new RangeError(`the mask fill must be an integer in [0, 255] for a Uint8Array mask, got ${fill}`);
    return [fill];
  }
  if (!Number.isInteger(fill) || fill < -(2 ** 31) || fill >= 2 ** 31)
    throw new RangeError(`the mask fill must be a 32-bit integer, got ${fill}`);
  return Array.from(new Uint8Array(new Int32Array([fill]).buffer));
}

/** Runs `op` on every plane (a 1- or 4-channel image) and assembles the output mask. */
export function perPlane(m: Mask, op: (plane: Image) => Image): Mask {
  const [H, W] = maskSize(m);
  const c = bpp(m);
  const n = m.shape.length === 3 ? m.shape[0]! : 1;
  const bytes = new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength);
  const planeBytes = H * W * c;
  let out: Uint8Array | null = null;
  let oh = H,
    ow = W;
  for (let i = 0; i < n; i++) {
    const r = op({ width: W, height: H, channels: c as 1 | 4, data: bytes.subarray(i * planeBytes, (i + 1) * planeBytes) });
    if (!out) {
      oh = r.height;
      ow = r.width;
      out = new Uint8Array(n * oh * ow * c);
    }
    out.set(r.data, i * oh * ow * c);
  }
  if (!out) {
    // no planes: only the size changes; find it from a 1x1 stand-in would be wrong, so ask op on an empty plane
    const r = op({ width: W, height: H, channels: c as 1 | 4, data: new Uint8Array(planeBytes) });
    oh = r.height;
    ow = r.width;
    out = new Uint8Array(0);
  }
  const data = c === 4 ? new Int32Array(out.buffer, out.byteOffset, out.byteLength / 4) : out;
  return { kind: "mask", shape: m.shape.length === 3 ? [n, oh, ow] : [oh, ow], data };
}

/** torch's nearest resize (F.interpolate mode "nearest") of one plane to [h, w]. */
export function resizeNearestTorch(img: Image, size: [number, number]): Image {
  const [oh, ow] = size;
  if (oh === img.height && ow === img.width) return { ...img, data: img.data.slice() };
  checkArea(ow, oh, "the resized mask");
  const { exports: x, arena } = targetKernel();
  arena.reset();
  const src = arena.put(img.data);
  const xs = arena.alloc(ow * 4);
  const ys = arena.alloc(oh * 4);
  x.torchNearestTable(img.width, ow, xs);
  x.torchNearestTable(img.height, oh, ys);
  const n = ow * oh * img.channels;
  const dst = arena.alloc(n);
  x.gatherPixels(src, img.width, img.channels, xs, ys, ow, oh, dst);
  return { width: ow, height: oh, channels: img.channels, data: arena.takeU8(dst, n) };
}

const GRID = { affine: 0, perspective: 1 } as const;

/** torch's nearest grid_sample of a plane through an affine (inverse matrix) or perspective (coefficients) grid (assembly/targets.ts gridNearest). */
function gridNearest(img: Image, kind: keyof typeof GRID, m: number[], dw: number, dh: number, fill: number[]): Image {
  checkArea(dw, dh, "the warped mask");
  const { exports: x, arena } = targetKernel();
  arena.reset();
  const src = arena.put(img.data);
  const mm = arena.alloc(64);
  new Float64Array(x.memory.buffer, mm, 8).set(m.concat([0, 0]).slice(0, 8));
  const f = arena.put(Uint8Array.from(fill));
  const n = dw * dh * img.channels;
  const dst = arena.alloc(n);
  x.gridNearest(src, img.width, img.height, img.channels, dst, dw, dh, GRID[kind], mm, f);
  return { width: dw, height: dh, channels: img.channels, data: arena.takeU8(dst, n) };
}

/** Python's x % 360.0 (the sign of 360). */
function pyMod360(a: number): number {
  const m = a % 360;
  return m !== 0 && m < 0 ? m + 360 : m === 0 ? 0 : m;
}

/**
 * torchvision's rotate_image on a tensor: torch.rot90 fast paths, else the float32 affine grid.
 * An expanding rotation's output is `expandTo` [h, w], the image's canvas under its semantics.
 */
function rotateTorch(p: Image, angle: number, expandTo: [number, number] | null, center: [number, number] | null, fill: number[]): Image {
  const a = pyMod360(angle);
  const expand = expandTo !== null;
  // The fast paths (copy, quarter turns) are torch.rot90's, which Pillow's transposes equal.
  if (rotatePlan(p.width, p.height, a, expand, center).kind !== "affine" && center === null) return rotate(p, a, { expand, fill });
  const cf: [number, number] = center ? [center[0] - p.width * 0.5, center[1] - p.height * 0.5] : [0, 0];
  const m = affineMatrix(cf, -a, [0, 0], 1, [0, 0], true);
  // The image's size (Pillow's under "pil", which torch's own formula matches but in rare float cases).
  const [oh, ow] = expandTo ?? [p.height, p.width];
  return gridNearest(p, "affine", m, ow, oh, fill);
}

/** The pixel ops a geometric call makes on a mask plane: torchvision's tensor kernels with nearest interpolation. */
export const maskOps = {
  hflip: (p: Image) => hflip(p),
  vflip: (p: Image) => vflip(p),
  window: (
    p: Image,
    top: number,
    left: number,
    height: number,
    width: number,
    mode: "constant" | "edge" | "reflect" | "symmetric",
    fill: number[],
  ) => window(p, top, left, height, width, mode, Uint8Array.from(fill)),
  resize: resizeNearestTorch,
  rotate: rotateTorch,
  affine: (
    p: Image,
    a: { angle: number; translate: [number, number]; scale: number; shear: [number, number]; center: [number, number] | null },
    fill: number[],
  ) => {
    const cf: [number, number] = a.center ? [a.center[0] - p.width * 0.5, a.center[1] - p.height * 0.5] : [0, 0];
    return gridNearest(p, "affine", affineMatrix(cf, a.angle, a.translate, a.scale, a.shear, true), p.width, p.height, fill);
  },
  perspective: (p: Image, s: Corners, e: Corners, fill: number[]) =>
    gridNearest(p, "perspective", perspectiveCoeffs(s, e), p.width, p.height, fill),
  elastic: (p: Image, key: [number, number], alpha: [number, number], sigma: [number, number], fill: number[]) =>
    elasticKeyed(p, key, alpha, sigma, { interpolation: "nearest", fill }),
};
