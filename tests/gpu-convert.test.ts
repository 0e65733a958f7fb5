// ToDtype on WebGPU gives the kernel's bytes (src/gpu/ops/convert.ts against assembly/targets.ts's
// u8ToF32): uint8 images to float32 tensors with and without scaling, 1/3/4 channels, sizes from
// 1x1 up, alone and between other ops, all in one submission; float32 tensors back to uint8
// (assembly/targets.ts's f32ToU8) and RGB (toRGB) likewise.
import "./helpers/gpu-env.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ready } from "../src/index.js";
import { gpuBackend } from "../src/gpu/device.js";
import type { Op } from "../src/ir/ops.js";
import { requireCapability } from "./helpers/capability.js";
import { mulberry32, sameOnGpu, testImage, type Pair } from "./helpers/gpu-ops.js";

await ready();
const HAVE = (await gpuBackend()) !== null;

const toDtype = (dtype: string, scale: boolean): Op => ({ op: "call", name: "toDtype", args: { dtype, scale } });

/** The float32 conversions' sizes (both directions): a single pixel, a tiny one, two odd larger ones. */
const SIZES: readonly [number, number][] = [
  [1, 1],
  [3, 2],
  [17, 9],
  [40, 31],
];

test("toDtype: uint8 images to float32 (scaled and not), alone, after a crop and before Normalize; no-op conversions", async () => {
  requireCapability("webgpu", HAVE);
  const r = mulberry32(5);
  const pairs: Pair[] = [];
  for (const c of [1, 3, 4] as const) {
    for (const [w, h] of SIZES) {
      for (const scale of [true, false]) {
        const image = testImage(r, w, h, c);
        pairs.push({ image, ops: [toDtype("float32", scale)], what: `float32 scale=${scale} ${w}x${h}x${c}` });
        pairs.push({ image, ops: [toDtype("uint8", scale)], what: `uint8 of an image ${w}x${h}x${c}` });
        pairs.push({
          image,
          ops: [
            { op: "window", top: 0, left: 0, height: Math.max(1, h - 1), width: w, mode: "constant", fill: [0] },
            toDtype("float32", scale),
          ],
          what: `crop then float32 ${w}x${h}x${c}`,
        });
        pairs.push({
          image,
          ops: [
            toDtype("float32", scale),
            toDtype("float32", scale),
            { op: "normalize", mean: Array(c).fill(0.5), std: Array(c).fill(0.25) },
          ],
          what: `float32 twice then Normalize ${w}x${h}x${c}`,
        });
      }
    }
  }
  assert.is(await sameOnGpu(pairs), 1, "one submission");
});

test("toDtype: float32 tensors to uint8 (scaled and not; values past 0 and 255, -0, NaN, subnormals), 1/3/4 channels", async () => {
  requireCapability("webgpu", HAVE);
  const r = mulberry32(6);
  const pairs: Pair[] = [];
  const special = [0, -0, 255, 255.5, 256, -1, 1e-45, 0.99999994, 1, 1e30, -1e30, Number.NaN, Number.POSITIVE_INFINITY];
  for (const c of [1, 3, 4] as const) {
    for (const [w, h] of SIZES) {
      for (const scale of [true, false]) {
        const n = w * h * c;
        const data = Float32Array.from({ length: n }, () =>
          r() < 0.2 ? special[Math.floor(r() * special.length)]! : scale ? r() * 1.2 - 0.1 : r() * 300 - 20,
        );
        const tensor = { shape: [c, h, w], data };
        pairs.push({ image: tensor, ops: [toDtype("uint8", scale)], what: `uint8 scale=${scale} of [${c}, ${h}, ${w}]` });
        const image = testImage(r, w, h, c);
        pairs.push({ image, ops: [toDtype("float32", scale), toDtype("uint8", scale)], what: `round trip scale=${scale} ${w}x${h}x${c}` });
      }
    }
  }
  assert.is(await sameOnGpu(pairs), 1, "one submission");
});

test("RGB: grey repeated to three channels, RGBA's alpha dropped, alone and between other ops", async () => {
  requireCapability("webgpu", HAVE);
  const r = mulberry32(7);
  const pairs: Pair[] = [];
  const rgb: Op = { op: "call", name: "rgb", args: {} };
  for (const c of [1, 4] as const) {
    for (const [w, h] of [
      [1, 1],
      [2, 3],
      [5, 1],
      [17, 9],
      [33, 20],
    ] as [number, number][]) {
      const image = testImage(r, w, h, c);
      pairs.push({ image, ops: [rgb], what: `rgb ${w}x${h}x${c}` });
      pairs.push({
        image,
        ops: [
          { op: "window", top: 0, left: 0, height: h, width: Math.max(1, w - 1), mode: "constant", fill: [0] },
          rgb,
          toDtype("float32", true),
        ],
        what: `crop, rgb, float32 ${w}x${h}x${c}`,
      });
    }
  }
  assert.is(await sameOnGpu(pairs), 1, "one submission");
});

test.run();
