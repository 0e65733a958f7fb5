"""Targets: bounding boxes, masks and key points that move with the image (torchvision's tv_tensors;
mirrors src/targets/)."""
from __future__ import annotations

from typing import Optional

import numpy as np

from .f32 import jmax, jmin
from .boxes import clamp_boxes, convert_format
from .types import BOX_FORMATS, BoundingBoxes, KeyPoints, Mask, box_size, check_bounding_boxes, check_format, check_key_points, is_rotated, is_target

_AUTO = object()


def convert_bounding_box_format(boxes: BoundingBoxes, format: str) -> BoundingBoxes:
    """The boxes in another format (torchvision F.convert_bounding_box_format), float32 as torchvision computes it."""
    check_bounding_boxes(boxes)
    to = check_format(format)
    return boxes.replace(format=to, data=convert_format(boxes.data, boxes.format, to))


def clamp_bounding_boxes(boxes: BoundingBoxes, clamping_mode=_AUTO) -> BoundingBoxes:
    """The boxes clamped to their canvas (torchvision F.clamp_bounding_boxes); clamping_mode defaults to the boxes' own."""
    check_bounding_boxes(boxes)
    mode = boxes.clamping_mode if clamping_mode is _AUTO else clamping_mode
    return boxes.replace(data=clamp_boxes(boxes.data, boxes.format, boxes.canvas_size, mode))


def clamp_key_points(points: KeyPoints) -> KeyPoints:
    """Key points clamped into [0, W - 1] x [0, H - 1] (torchvision F.clamp_keypoints)."""
    check_key_points(points)
    H, W = points.canvas_size
    d = points.data.tolist()
    for i in range(0, len(d), 2):  # Math.min / Math.max: -0 becomes 0 here, as in the JavaScript host
        d[i] = jmin(jmax(d[i], 0), W - 1)
        d[i + 1] = jmin(jmax(d[i + 1], 0), H - 1)
    return points.replace(data=np.array(d, np.float32).reshape(-1))
