"""Native peers of bench/table.ts: OpenCV (cv2) and torchvision 0.28, single-threaded.

bench/table.ts starts this once and drives it over stdin/stdout, one JSON object a line, so
its timed rounds interleave with lockstep's on the same (shared, loaded) machine:

  <- {"ready": true, "cases": [...], "versions": {...}}     after loading the inputs
  -> {"time": "<case>", "seconds": s, "start": i}            run <case> for about s seconds
  <- {"n": calls, "s": elapsed seconds}
  -> {"out": "<case>"}                                       one call's output, for the diff column
  <- {"bytes": "<base64 of f32 or u8 data>", "dtype": "f32" | "u8"}

argv[1]: a folder with the inputs bench/table.ts wrote: img500.raw (375x500x3), img1024.raw
(768x1024x3), img224.raw (224x224x3) and params.json (the crop boxes, flips and ColorJitter
draws lockstep sampled, so every library does the same work).
Not a test: timings only.
"""
import base64
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np  # noqa: E402
import cv2  # noqa: E402
import torch  # noqa: E402
import torch.library  # noqa: E402
from PIL import Image  # noqa: E402

_orig = torch.library.register_fake
torch.library.register_fake = lambda *a, **k: (lambda fn: fn)  # torchvision 0.28's CUDA wheel on a CPU torch (PLATFORMS.md)
import torchvision  # noqa: E402
import torchvision.transforms.functional as TF  # noqa: E402
import torchvision.transforms.v2.functional as F2  # noqa: E402
torch.library.register_fake = _orig

cv2.setNumThreads(1)
torch.set_num_threads(1)

D = Path(sys.argv[1])
P = json.loads((D / "params.json").read_text())
MEAN = np.array([0.485, 0.456, 0.406], np.float32)
STD = np.array([0.229, 0.224, 0.225], np.float32)
SCALE = (1.0 / (255.0 * STD)).astype(np.float32)
BIAS = (-MEAN / STD).astype(np.float32)
S = 224


def raw(name, h, w):
    return np.fromfile(D / name, np.uint8).reshape(h, w, 3)


img500 = raw("img500.raw", 375, 500)
img1024 = raw("img1024.raw", 768, 1024)
img224 = raw("img224.raw", 224, 224)
pil500, pil1024, pil224 = (Image.fromarray(a) for a in (img500, img1024, img224))
ten500, ten1024, ten224 = (torch.from_numpy(a).permute(2, 0, 1).contiguous() for a in (img500, img1024, img224))
boxes500, boxes1024 = P["boxes500"], P["boxes1024"]
jit = P["jitter"]
NB = len(boxes500)

out_chw = np.empty((3, S, S), np.float32)
tmp_hwc = np.empty((S, S, 3), np.float32)
flipped = np.empty((S, S, 3), np.uint8)
last = {"x": None}


def to_chw(u8_hwc):
    """u8 HWC -> normalised f32 CHW in out_chw: what a cv2 user writes with numpy."""
    np.multiply(u8_hwc, SCALE, out=tmp_hwc, casting="unsafe")
    np.add(tmp_hwc, BIAS, out=tmp_hwc)
    out_chw[...] = tmp_hwc.transpose(2, 0, 1)
    return out_chw


def cv_train(img, boxes, interp):
    def run(i):
        b = boxes[i % NB]
        r = cv2.resize(img[b["top"]:b["top"] + b["height"], b["left"]:b["left"] + b["width"]], (S, S), interpolation=interp)
        if b["flip"]:
            cv2.flip(r, 1, dst=flipped)
            r = flipped
        return to_chw(r)
    return run


def tv_train_pil(pil, boxes):
    def run(i):
        b = boxes[i % NB]
        x = TF.resized_crop(pil, b["top"], b["left"], b["height"], b["width"], [S, S], TF.InterpolationMode.BILINEAR)
        if b["flip"]:
            x = TF.hflip(x)
        return TF.normalize(TF.to_tensor(x), MEAN.tolist(), STD.tolist())
    return run


def tv_train_tensor(ten, boxes):
    def run(i):
        b = boxes[i % NB]
        x = F2.resized_crop(ten, b["top"], b["left"], b["height"], b["width"], [S, S], antialias=True)
        if b["flip"]:
            x = F2.horizontal_flip(x)
        return F2.normalize(F2.to_dtype(x, torch.float32, scale=True), MEAN.tolist(), STD.tolist())
    return run


EH, EW = 256, (256 * 500) // 375
ET, EL = round((256 - S) / 2), 58


def cv_eval(interp):
    def run(i):
        r = cv2.resize(img500, (EW, EH), interpolation=interp)
        return to_chw(np.ascontiguousarray(r[ET:ET + S, EL:EL + S]))
    return run


def tv_eval_pil(i):
    x = TF.center_crop(TF.resize(pil500, 256, TF.InterpolationMode.BILINEAR), [S, S])
    return TF.normalize(TF.to_tensor(x), MEAN.tolist(), STD.tolist())


def tv_eval_tensor(i):
    x = F2.center_crop(F2.resize(ten500, 256, antialias=True), [S, S])
    return F2.normalize(F2.to_dtype(x, torch.float32, scale=True), MEAN.tolist(), STD.tolist())


ANGLE = 15.0


def rot_matrix(w, h):
    # torchvision/Pillow: counter-clockwise about the centre ((w-1)/2, (h-1)/2 in pixel indices).
    return cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), ANGLE, 1)


M500 = rot_matrix(500, 375)
gray224 = np.empty((S, S), np.uint8)


def cv_jitter(i):
    """The sampled factors and order with cv2's own 8-bit ops (rounding, not Pillow's truncation)."""
    p = jit[i % NB]
    x = img224
    for k in p["order"]:
        if k == 0:
            x = cv2.convertScaleAbs(x, alpha=p["brightness"])
        elif k == 1:
            m = cv2.mean(cv2.cvtColor(x, cv2.COLOR_RGB2GRAY))[0]
            x = cv2.addWeighted(x, p["contrast"], x, 0, (1 - p["contrast"]) * m)
        elif k == 2:
            g = cv2.cvtColor(cv2.cvtColor(x, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB)
            x = cv2.addWeighted(x, p["saturation"], g, 1 - p["saturation"], 0)
        else:
            hsv = cv2.cvtColor(x, cv2.COLOR_RGB2HSV_FULL)
            hsv[..., 0] += np.uint8(int(p["hue"] * 255) & 255)
            x = cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB_FULL)
    return x


def tv_jitter(pil, fn):
    def run(i):
        p = jit[i % NB]
        x = pil
        for k in p["order"]:
            if k == 0:
                x = fn.adjust_brightness(x, p["brightness"])
            elif k == 1:
                x = fn.adjust_contrast(x, p["contrast"])
            elif k == 2:
                x = fn.adjust_saturation(x, p["saturation"])
            else:
                x = fn.adjust_hue(x, p["hue"])
        return x
    return run


def cv_blur(img):
    return lambda i: cv2.GaussianBlur(img, (5, 5), 1, borderType=cv2.BORDER_REFLECT_101)


CASES = {
    "train500/cv2 INTER_LINEAR": cv_train(img500, boxes500, cv2.INTER_LINEAR),
    "train500/cv2 INTER_AREA": cv_train(img500, boxes500, cv2.INTER_AREA),
    "train500/torchvision PIL": tv_train_pil(pil500, boxes500),
    "train500/torchvision v2 tensor": tv_train_tensor(ten500, boxes500),
    "eval500/cv2 INTER_LINEAR": cv_eval(cv2.INTER_LINEAR),
    "eval500/cv2 INTER_AREA": cv_eval(cv2.INTER_AREA),
    "eval500/torchvision PIL": tv_eval_pil,
    "eval500/torchvision v2 tensor": tv_eval_tensor,
    "train1024/cv2 INTER_LINEAR": cv_train(img1024, boxes1024, cv2.INTER_LINEAR),
    "train1024/cv2 INTER_AREA": cv_train(img1024, boxes1024, cv2.INTER_AREA),
    "train1024/torchvision PIL": tv_train_pil(pil1024, boxes1024),
    "train1024/torchvision v2 tensor": tv_train_tensor(ten1024, boxes1024),
    "resize500/cv2 INTER_LINEAR": lambda i: cv2.resize(img500, (S, S), interpolation=cv2.INTER_LINEAR),
    "resize500/cv2 INTER_AREA": lambda i: cv2.resize(img500, (S, S), interpolation=cv2.INTER_AREA),
    "resize500/torchvision PIL": lambda i: TF.resize(pil500, [S, S], TF.InterpolationMode.BILINEAR),
    "resize500/torchvision v2 tensor": lambda i: F2.resize(ten500, [S, S], antialias=True),
    "resize1024/cv2 INTER_LINEAR": lambda i: cv2.resize(img1024, (S, S), interpolation=cv2.INTER_LINEAR),
    "resize1024/cv2 INTER_AREA": lambda i: cv2.resize(img1024, (S, S), interpolation=cv2.INTER_AREA),
    "resize1024/torchvision PIL": lambda i: TF.resize(pil1024, [S, S], TF.InterpolationMode.BILINEAR),
    "resize1024/torchvision v2 tensor": lambda i: F2.resize(ten1024, [S, S], antialias=True),
    "rotate500/cv2 INTER_LINEAR": lambda i: cv2.warpAffine(img500, M500, (500, 375), flags=cv2.INTER_LINEAR),
    "rotate500/torchvision PIL": lambda i: TF.rotate(pil500, ANGLE, TF.InterpolationMode.BILINEAR),
    "rotate500/torchvision v2 tensor": lambda i: F2.rotate(ten500, ANGLE, F2.InterpolationMode.BILINEAR),
    "blur500/cv2": cv_blur(img500),
    "blur500/torchvision PIL": lambda i: TF.gaussian_blur(pil500, [5, 5], [1.0, 1.0]),
    "blur500/torchvision v2 tensor": lambda i: F2.gaussian_blur(ten500, [5, 5], [1.0, 1.0]),
    "jitter224/cv2": cv_jitter,
    "jitter224/torchvision PIL": tv_jitter(pil224, TF),
    "jitter224/torchvision v2 tensor": tv_jitter(torch.from_numpy(img224).permute(2, 0, 1).contiguous(), F2),
    "hflip500/cv2": lambda i: cv2.flip(img500, 1),
    "hflip500/torchvision PIL": lambda i: TF.hflip(pil500),
    "hflip500/torchvision v2 tensor": lambda i: F2.horizontal_flip(ten500),
    "tensor224/cv2 + numpy": lambda i: to_chw(img224),
    "tensor224/torchvision PIL": lambda i: TF.normalize(TF.to_tensor(pil224), MEAN.tolist(), STD.tolist()),
    "tensor224/torchvision v2 tensor": lambda i: F2.normalize(F2.to_dtype(ten224, torch.float32, scale=True), MEAN.tolist(), STD.tolist()),
}


def as_bytes(x):
    if isinstance(x, Image.Image):
        x = np.asarray(x)
    if isinstance(x, torch.Tensor):
        x = x.numpy()
        if x.ndim == 3 and x.dtype == np.uint8:
            x = x.transpose(1, 2, 0)  # CHW uint8 -> HWC like the others
    x = np.ascontiguousarray(x)
    return ("f32" if x.dtype == np.float32 else "u8"), x.tobytes()


def send(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


for f in CASES.values():  # warm every code path once
    for i in range(3):
        f(i)
send({"ready": True, "cases": list(CASES), "versions": {"cv2": cv2.__version__, "torch": torch.__version__, "torchvision": torchvision.__version__, "numpy": np.__version__}})
for line in sys.stdin:
    cmd = json.loads(line)
    if "time" in cmd:
        f = CASES[cmd["time"]]
        i = int(cmd.get("start", 0))
        budget = float(cmd["seconds"])
        n, t0 = 0, time.perf_counter()
        while True:
            f(i + n)
            n += 1
            t = time.perf_counter() - t0
            if t >= budget:
                break
        send({"n": n, "s": t})
    elif "out" in cmd:
        dtype, b = as_bytes(CASES[cmd["out"]](0))
        send({"dtype": dtype, "bytes": base64.b64encode(b).decode()})
