"""JPEG (torchvision v2): compression artefacts at a fixed or drawn quality, encoded and decoded in the
kernel (mirrors src/transforms/jpeg.ts)."""
from __future__ import annotations

from typing import Any, Optional

from ..errors import RangeError
from ..functional.args import is_array
from ..functional.jpeg import check_jpeg_image, check_quality, jpeg
from ..image import describe
from ..functional.semantics import DEFAULT_SEMANTICS
from .base import Context, Transform
from .ops import define_op
from .params import expect_params, image_meta, is_int, is_object
from .schema import register, req


def _jpeg_meta(meta: dict) -> dict:
    """An image meta JPEG can code: 1 or 3 channels (torchvision's encode_jpeg refuses others)."""
    m = image_meta(meta, "JPEG")
    if m["channels"] not in (1, 3):
        raise RangeError(f"JPEG expects a grey or RGB image (1 or 3 channels, as torchvision's encode_jpeg), got {m['channels']} channels")
    return m


def _jpeg_check(a: dict) -> Optional[str]:
    q = a.get("quality")
    return None if is_int(q) and 1 <= q <= 100 else f"quality must be an integer in [1, 100], got {describe(q)}"


define_op("jpeg", meta=lambda a, m: _jpeg_meta(m), check=_jpeg_check, run=lambda x, a: jpeg(check_jpeg_image(x, "input"), a["quality"]))


class JPEG(Transform):
    """Applies JPEG compression and decompression (torchvision v2 JPEG): quality an integer in [1, 100],
    or [min, max] to draw one per sample uniformly from min..max inclusive (torch.randint(min, max + 1))."""

    type = "JPEG"

    def __init__(self, quality: Any) -> None:
        if isinstance(quality, bool) or not (is_array(quality) or isinstance(quality, (int, float))):
            raise TypeError(f"quality must be an integer in [1, 100] or [min, max], got {describe(quality)}")
        if is_array(quality):
            if len(quality) != 2:
                raise TypeError(f"quality must be an integer in [1, 100] or [min, max], got {describe(quality)}")
            a, b = check_quality(quality[0], "quality[0]"), check_quality(quality[1], "quality[1]")
            if a > b:
                raise RangeError(f"quality must be [min, max] with min <= max, got [{a}, {b}]")
            self.quality = [a, b]
        else:
            q = check_quality(quality)
            self.quality = [q, q]
        self.random = self.quality[0] != self.quality[1]

    def make_params(self, ctx: Context, meta: dict) -> dict:
        _jpeg_meta(meta)
        return {"quality": ctx.rng.randint(self.quality[0], self.quality[1] + 1) if self.random else self.quality[0]}

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        _jpeg_meta(meta)
        q = params.get("quality") if is_object(params) else None
        expect_params(is_object(params) and is_int(q) and 1 <= q <= 100, self.type, "{ quality: integer in [1, 100] }", params)
        return [{"op": "call", "name": "jpeg", "args": {"quality": q}}]

    def config(self) -> dict:
        return {"quality": [self.quality[0], self.quality[1]] if self.random else self.quality[0]}


register("JPEG", ["quality"], lambda f, p: JPEG(req(f, "quality")))
