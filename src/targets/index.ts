// Targets: bounding boxes, masks and key points that move with the image (torchvision's tv_tensors).
import { clampBoxes, convertFormat } from "./boxes.js";
import {
  checkBoundingBoxes,
  checkClampingMode,
  checkFormat,
  checkKeyPoints,
  type BoundingBoxes,
  type BoxFormat,
  type ClampingMode,
  type KeyPoints,
} from "./types.js";

export {
  boundingBoxes,
  keyPoints,
  mask,
  isTarget,
  boxSize,
  isRotated,
  BOX_FORMATS,
  type BoundingBoxes,
  type Mask,
  type KeyPoints,
  type Target,
  type BoxFormat,
  type ClampingMode,
  type BoundingBoxesOptions,
  type KeyPointsOptions,
} from "./types.js";
export type { Geo } from "./geometry.js";
export type { TargetState, Leaf, Path } from "./sample.js";

/** The boxes in another format (torchvision F.convert_bounding_box_format), float32 as torchvision computes it. */
export function convertBoundingBoxFormat(boxes: BoundingBoxes, format: BoxFormat | Lowercase<BoxFormat>): BoundingBoxes {
  const b = checkBoundingBoxes(boxes);
  const to = checkFormat(format);
  return { ...b, format: to, data: convertFormat(b.data, b.format, to) };
}

/** The boxes clamped to their canvas (torchvision F.clamp_bounding_boxes); `mode` defaults to the boxes' own clampingMode. */
export function clampBoundingBoxes(boxes: BoundingBoxes, mode?: ClampingMode): BoundingBoxes {
  const b = checkBoundingBoxes(boxes);
  return { ...b, data: clampBoxes(b.data, b.format, b.canvasSize, mode === undefined ? b.clampingMode : checkClampingMode(mode, "mode")) };
}

/** Key points clamped into [0, W - 1] x [0, H - 1] (torchvision F.clamp_keypoints). */
export function clampKeyPoints(points: KeyPoints): KeyPoints {
  const p = checkKeyPoints(points);
  const [H, W] = p.canvasSize;
  const d = p.data.slice();
  for (let i = 0; i < d.length; i += 2) {
    d[i] = Math.min(Math.max(d[i]!, 0), W - 1);
    d[i + 1] = Math.min(Math.max(d[i + 1]!, 0), H - 1);
  }
  return { ...p, data: d };
}
