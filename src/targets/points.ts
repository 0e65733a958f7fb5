// Point maps shared by boxes and key points: the affine and perspective maps torchvision 0.28
// applies to corners and key points (torch.matmul of [x, y, 1] rows in float32, which sums
// (x * m0 + y * m1) + m2, each step rounded), and the matrices behind them from the kernel.
import { targetKernel } from "./kernel.js";
import { perspectiveCoeffs, type Corners } from "../functional/warp.js";

const f = Math.fround;

/** torchvision 0.28's _get_inverse_affine_matrix (f64, from the kernel); inverted: false gives the forward map. */
export function affineMatrix(
  center: [number, number],
  angle: number,
  translate: [number, number],
  scale: number,
  shear: [number, number],
  inverted: boolean,
): number[] {
  const { exports, arena } = targetKernel();
  arena.reset();
  const at = arena.alloc(48);
  exports.targetAffineMatrix(center[0], center[1], angle, translate[0], translate[1], scale, shear[0], shear[1], inverted ? 1 : 0, at);
  return Array.from(new Float64Array(exports.memory.buffer, at, 6));
}

/** Maps (x, y) pairs in place by a float32 affine matrix [a, b, c, d, e, f] (already rounded to f32). */
export function affinePoints(pts: Float32Array, m: readonly number[]): void {
  const [a, b, c, d, e, g] = m as [number, number, number, number, number, number];
  for (let i = 0; i < pts.length; i += 2) {
    const x = pts[i]!,
      y = pts[i + 1]!;
    pts[i] = f(f(f(x * a) + f(y * b)) + c);
    pts[i + 1] = f(f(f(x * d) + f(y * e)) + g);
  }
}

/** The forward affine matrix as the float32 tensor torchvision builds from it. */
export function affine32(
  center: [number, number],
  angle: number,
  translate: [number, number],
  scale: number,
  shear: [number, number],
): number[] {
  return affineMatrix(center, angle, translate, scale, shear, false).map(f);
}

/**
 * The translation torchvision subtracts with expand=True: the per-axis minimum of the four
 * canvas corners mapped by m (f32).
 */
export function expandShift(m: readonly number[], canvas: [number, number]): [number, number] {
  const [H, W] = canvas;
  const corners = new Float32Array([0, 0, 0, H, W, H, W, 0]);
  affinePoints(corners, m);
  return [Math.min(corners[0]!, corners[2]!, corners[4]!, corners[6]!), Math.min(corners[1]!, corners[3]!, corners[5]!, corners[7]!)];
}

/**
 * torchvision's _compute_perspective_thetas as float32: the map from input to output points
 * for the perspective startpoints -> endpoints (the image coefficients, inverted in f64).
 */
export function perspectiveThetas(startpoints: Corners, endpoints: Corners): { theta1: number[]; theta2: number[] } {
  const c = perspectiveCoeffs(startpoints, endpoints);
  const denom = c[0]! * c[4]! - c[1]! * c[3]!;
  if (denom === 0)
    throw new RangeError(`the perspective coefficients ${JSON.stringify(c)} cannot be inverted to transform boxes or key points`);
  const inv = [
    (c[4]! - c[5]! * c[7]!) / denom,
    (-c[1]! + c[2]! * c[7]!) / denom,
    (c[1]! * c[5]! - c[2]! * c[4]!) / denom,
    (-c[3]! + c[5]! * c[6]!) / denom,
    (c[0]! - c[2]! * c[6]!) / denom,
    (-c[0]! * c[5]! + c[2]! * c[3]!) / denom,
    (-c[4]! * c[6]! + c[3]! * c[7]!) / denom,
    (-c[0]! * c[7]! + c[1]! * c[6]!) / denom,
  ];
  return { theta1: inv.slice(0, 6).map(f), theta2: [f(inv[6]!), f(inv[7]!), 1] };
}

/** Maps (x, y) pairs in place through perspective thetas: numerators over the shared denominator, f32. */
export function perspectivePoints(pts: Float32Array, t: { theta1: number[]; theta2: number[] }): void {
  const [a, b, c, d, e, g] = t.theta1 as [number, number, number, number, number, number];
  const [p, q, r] = t.theta2 as [number, number, number];
  for (let i = 0; i < pts.length; i += 2) {
    const x = pts[i]!,
      y = pts[i + 1]!;
    const den = f(f(f(x * p) + f(y * q)) + r);
    pts[i] = f(f(f(f(x * a) + f(y * b)) + c) / den);
    pts[i + 1] = f(f(f(f(x * d) + f(y * e)) + g) / den);
  }
}
