"""lockstep: seeded image transforms that give the same bytes everywhere (mirrors src/index.ts).

The same build/lockstep.wasm as the JavaScript host, run by wasmtime: every random draw and every
pixel comes from the kernel, so pipeline(img, seed=, epoch=, index=) gives the JavaScript bytes.
"""
from .errors import BatchTimeoutError, JSONSyntaxError, KernelError, RangeError
from .kernel.instance import init, ready
from .kernel.math import kmath
from .random.philox import philox4x32
from .random.generator import Generator
from .random.stream import Stream
from .random.keys import fold_in, sample_key, seed_key
from .image import MAX_PIXELS, MAX_SIDE, is_tensor, meta_of
from . import functional as F
from .functional.args import InterpolationMode
from .functional.semantics import DEFAULT_SEMANTICS
from .transforms import *  # noqa: F401,F403
from .transforms import from_json, registered_types, register_lambda, Transform
from .data.permutation import KeyedPermutation
from .data.sampler import DistributedSampler, SequentialSampler, ShuffleSampler
from .targets import BoundingBoxes, KeyPoints, Mask, BOX_FORMATS, clamp_bounding_boxes, clamp_key_points, convert_bounding_box_format
from .io import DEFAULT_MAX_PIXELS, DecodeError, decode, read_info

__version__ = "0.1.0"
