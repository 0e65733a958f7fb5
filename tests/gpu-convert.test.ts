// ToDtype on WebGPU gives the kernel's bytes (src/gpu/ops/convert.ts against assembly/targets.ts's
// u8ToF32): uint8 images to float32 tensors with and without scaling, 1/3/4 channels, sizes from
// 1x1 up, alone and between other ops, all in one submission; float32 to uint8 is refused by name.
import "./helpers/gpu-env.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { F, ready } from "../src/index.js";
import { gpuBackend } from "../src/gpu/device.js";
import type { Op } from "../src/ir/ops.js";
import { GpuUnsupported, lower } from "../src/gpu/plan.js";
import { requireCapability } from "./helpers/capability.js";
import { mulberry32, sameOnGpu, testImage, type Pair } from "./helpers/gpu-ops.js";

await ready();
const HAVE = (await gpuBackend()) !== null;

const toDtype = (dtype: string, scale: boolean): Op => ({ op: "call", name: "toDtype", args: { dtype, scale } });

test("toDtype: uint8 images to float32 (scaled and not), alone, after a crop and before Normalize; no-op conversions", async () => {
  requireCapability("webgpu", HAVE);
  const r = mulberry32(5);
  const pairs: Pair[] = [];
  for (const c of [1, 3, 4] as const) {
    for (const [w, h] of [
      [1, 1],
      [3, 2],
      [17, 9],
      [40, 31],
    ] as [number, number][]) {
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

test("toDtype: a float32 tensor to uint8 has no WebGPU shader yet, and says which conversion", () => {
  const t = F.toTensor(testImage(mulberry32(1), 4, 3, 3));
  assert.throws(
    () => lower(t, [toDtype("uint8", true)]),
    (e: Error) => e instanceof GpuUnsupported && e.message === 'the "toDtype" op from a float32 tensor to uint8 has no WebGPU shader yet',
  );
});

test.run();
