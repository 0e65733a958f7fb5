// JPEG on WebGPU gives the kernel's round-trip bytes (src/gpu/ops/jpeg.ts against
// assembly/codec/jpegenc.ts + jpeg.ts): qualities from 1 to 100, sizes that are not multiples
// of 8 or 16 (edge padding, dummy blocks, chroma rows of 1 to 3 samples), grey and RGB,
// images with flat, extreme, grey and noisy content.
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

const jpeg = (quality: number): Op => ({ op: "call", name: "jpeg", args: { quality } });
const SIZES: [number, number][] = [
  [1, 1],
  [7, 5],
  [8, 8],
  [16, 16],
  [17, 9],
  [33, 21],
  // chroma rows 2 samples wide (plain upsampling) and 3 (fancy), one-row images
  [4, 6],
  [5, 3],
  [6, 1],
];

test("qualities 1..100 at the listed sizes, grey and RGB, against the wasm round trip", async () => {
  requireCapability("webgpu", HAVE);
  const r = mulberry32(17);
  const qualities = [1, 2, 5, 10, 50, 75, 90, 95, 100, 1 + Math.floor(r() * 100), 1 + Math.floor(r() * 100)];
  const pairs: Pair[] = [];
  for (const q of qualities) {
    for (const c of [1, 3] as const) {
      for (const [w, h] of SIZES) {
        pairs.push({ image: testImage(r, w, h, c), ops: [jpeg(q)], what: `jpeg(${q}) on ${w}x${h}x${c}` });
      }
    }
  }
  assert.is(await sameOnGpu(pairs), 1, "one submission");
});

test("every quality on a 40x27 image, grey and RGB; RGBA refused as wasm refuses it", async () => {
  requireCapability("webgpu", HAVE);
  const r = mulberry32(18);
  const pairs: Pair[] = [];
  for (let q = 1; q <= 100; q++) {
    for (const c of [1, 3] as const) pairs.push({ image: testImage(r, 40, 27, c), ops: [jpeg(q)], what: `jpeg(${q}) on 40x27x${c}` });
  }
  pairs.push({ image: testImage(r, 9, 9, 4), ops: [jpeg(75)], what: "jpeg(75) on RGBA" });
  await sameOnGpu(pairs);
});

test("inside a pipeline: crop, jpeg, flip, jpeg again", async () => {
  requireCapability("webgpu", HAVE);
  const r = mulberry32(19);
  const pairs: Pair[] = [];
  for (const c of [1, 3] as const) {
    for (const q of [3, 60, 97]) {
      const ops: Op[] = [
        { op: "window", top: 3, left: 2, height: 29, width: 23, mode: "constant", fill: [0] },
        jpeg(q),
        { op: "hflip" },
        jpeg(101 - q),
      ];
      pairs.push({ image: testImage(r, 37, 41, c), ops, what: `pipeline q=${q} on 37x41x${c}` });
    }
  }
  await sameOnGpu(pairs);
});

test.run();
