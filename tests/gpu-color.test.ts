// Colour ops on WebGPU give the kernel's bytes (src/gpu/ops/color.ts against
// assembly/pilcolor.ts, tvcolor.ts and color.ts): every op under every semantics, random
// factors (and the edges 0, 1, 1e6, +-0.5 for hue), 1/3/4 channels, sizes from 1x1 up,
// images with flat, extreme, grey and noisy content, all in one submission.
import "./helpers/gpu-env.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ready } from "../src/index.js";
import { gpuBackend } from "../src/gpu/device.js";
import type { Op } from "../src/ir/ops.js";
import type { Image } from "../src/image.js";
import { GpuUnsupported, lower } from "../src/gpu/plan.js";
import { requireCapability } from "./helpers/capability.js";
import { call, EDGE_SIZES, mulberry32, sameOnGpu, testImage, type Pair } from "./helpers/gpu-ops.js";

await ready();
const HAVE = (await gpuBackend()) !== null;

const SEMANTICS = ["pil", "tensor", "tensor-v1"] as const;
const SIZES = EDGE_SIZES;

function pairsFor(name: string, args: (r: () => number, k: number) => Record<string, unknown>, seed: number, per = 3): Pair[] {
  const r = mulberry32(seed);
  const pairs: Pair[] = [];
  for (const semantics of SEMANTICS) {
    for (const c of [1, 3, 4] as const) {
      for (const [w, h] of SIZES) {
        for (let k = 0; k < per; k++) {
          const a = { ...args(r, k), semantics };
          pairs.push({ image: testImage(r, w, h, c), ops: [call(name, a)], what: `${name} ${JSON.stringify(a)} on ${w}x${h}x${c}` });
        }
      }
    }
  }
  return pairs;
}

const factor = (r: () => number, k: number): number => [0, 1, 1e6][k] ?? r() * 3;
const anyFactor = (r: () => number, k: number): number =>
  k < 3 ? [0, 1, 1e6][k]! : r() < 0.2 ? [0.5, 2, 1.5, 0.25][Math.floor(r() * 4)]! : r() * 3;

test("grayscale (1 and 3 output channels)", async () => {
  requireCapability("webgpu", HAVE);
  const pairs = pairsFor("rgbToGrayscale", (_, k) => ({ numOutputChannels: k % 2 === 0 ? 1 : 3 }), 1, 2);
  // v1 keeps a grey image one channel where the op's meta says 3: the GPU refuses that one case by name.
  const v1GreyTo3 = (p: Pair): boolean => {
    const a = (p.ops[0] as { args: Record<string, unknown> }).args;
    return a.semantics === "tensor-v1" && a.numOutputChannels === 3 && (p.image as Image).channels === 1;
  };
  for (const p of pairs.filter(v1GreyTo3))
    assert.throws(
      () => lower(p.image as Image, p.ops),
      (e: Error) => e instanceof GpuUnsupported && /tensor-v1/.test(e.message),
      p.what,
    );
  await sameOnGpu(pairs.filter((p) => !v1GreyTo3(p)));
});

test("contrast: the grey mean by an exact integer reduction, then the semantics' blend table", async () => {
  requireCapability("webgpu", HAVE);
  await sameOnGpu(pairsFor("adjustContrast", (r, k) => ({ factor: anyFactor(r, k) }), 2, 5));
});

test("saturation", async () => {
  requireCapability("webgpu", HAVE);
  await sameOnGpu(pairsFor("adjustSaturation", (r, k) => ({ factor: anyFactor(r, k) }), 3, 5));
});

test("sharpness (borders copied, images under 3x3 unchanged)", async () => {
  requireCapability("webgpu", HAVE);
  await sameOnGpu(pairsFor("adjustSharpness", (r, k) => ({ factor: anyFactor(r, k) }), 4, 5));
});

test("hue: Pillow's HSV round trip and v2's float32 one", async () => {
  requireCapability("webgpu", HAVE);
  await sameOnGpu(pairsFor("adjustHue", (r, k) => ({ factor: [0, 0.5, -0.5][k] ?? r() - 0.5 }), 5, 6));
});

test("autocontrast and equalize: extremes and histograms by exact integer reductions", async () => {
  requireCapability("webgpu", HAVE);
  await sameOnGpu([...pairsFor("autocontrast", () => ({}), 6, 2), ...pairsFor("equalize", () => ({}), 7, 2)]);
});

test("brightness, invert, posterize, solarize, permutation, chained with the image-dependent ops", async () => {
  requireCapability("webgpu", HAVE);
  const r = mulberry32(8);
  const pairs: Pair[] = [];
  for (const semantics of SEMANTICS) {
    for (const c of [1, 3, 4] as const) {
      for (const [w, h] of SIZES) {
        const perm = c === 1 ? [0] : c === 3 ? [2, 0, 1] : [1, 2, 0, 3];
        const ops: Op[] = [
          call("adjustBrightness", { factor: factor(r, 3), semantics }),
          call("adjustContrast", { factor: r() * 2, semantics }),
          call("permuteChannels", { permutation: perm, semantics }),
          call("adjustSaturation", { factor: r() * 2, semantics }),
          call("equalize", { semantics }),
          call("adjustHue", { factor: r() - 0.5, semantics }),
          call("solarize", { threshold: r() * 255, semantics }),
          call("adjustSharpness", { factor: r() * 3, semantics }),
          call("autocontrast", { semantics }),
          call("posterize", { bits: Math.floor(r() * 9), semantics }),
          call("invert", { semantics }),
        ];
        pairs.push({ image: testImage(r, w, h, c), ops, what: `chain ${semantics} on ${w}x${h}x${c}` });
      }
    }
  }
  assert.is(await sameOnGpu(pairs), 1, "one submission");
});

test.run();
