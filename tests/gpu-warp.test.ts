// Warps on WebGPU give the kernel's bytes (src/gpu/ops/warp.ts against assembly/warp.ts,
// pilwarp.ts, tvwarp.ts): rotate, affine, perspective and elastic under every semantics and
// both interpolations, with the edges (angles 0, 90, 180, 270, 360, -45.5; expand; a centre;
// shear; scale; fill none, one value, per channel), FiveCrop/TenCrop with both flips; 1/3/4
// channels, sizes from 1x1 up.
import "./helpers/gpu-env.js";
import { test } from "uvu";
import { ready } from "../src/index.js";
import { gpuBackend } from "../src/gpu/device.js";
import { requireCapability } from "./helpers/capability.js";
import { call, mulberry32, sameOnGpu, testImage, type Pair } from "./helpers/gpu-ops.js";

await ready();
const HAVE = (await gpuBackend()) !== null;

const SEMANTICS = ["pil", "tensor", "tensor-v1"] as const;
const INTERPOLATIONS = ["nearest", "bilinear"] as const;
const SIZES: [number, number][] = [
  [1, 1],
  [1, 7],
  [5, 4],
  [17, 9],
  [13, 16],
];

/** Every semantics x interpolation x channels x size, `per` random argument sets each (k = 0.. picks the edges). */
function pairsFor(
  name: string,
  args: (r: () => number, k: number, c: number, w: number, h: number) => Record<string, unknown>,
  seed: number,
  per: number,
  semantics: readonly (string | undefined)[] = SEMANTICS,
): Pair[] {
  const r = mulberry32(seed);
  const pairs: Pair[] = [];
  for (const sem of semantics) {
    for (const interpolation of INTERPOLATIONS) {
      for (const c of [1, 3, 4] as const) {
        for (const [w, h] of SIZES) {
          for (let k = 0; k < per; k++) {
            const a = { ...args(r, k, c, w, h), interpolation, ...(sem ? { semantics: sem } : {}) };
            pairs.push({ image: testImage(r, w, h, c), ops: [call(name, a)], what: `${name} ${JSON.stringify(a)} on ${w}x${h}x${c}` });
          }
        }
      }
    }
  }
  return pairs;
}

/** A warp's fill: none, one value, or one per channel. */
function fill(r: () => number, c: number, none = true): number[] | null {
  const u = r();
  if (none && u < 0.3) return null;
  if (u < 0.6) return [Math.floor(r() * 256)];
  return Array.from({ length: c }, () => Math.floor(r() * 256));
}

const ANGLES = [0, 90, 180, 270, 360, -45.5, 30];

test("rotate: the fast paths (copies, quarter turns), expand, a centre, fills", async () => {
  requireCapability("webgpu", HAVE);
  const pairs = pairsFor(
    "rotate",
    (r, k, c, w, h) => ({
      angle: ANGLES[k] ?? (r() - 0.5) * 720,
      expand: r() < 0.5,
      center: r() < 0.3 ? [r() * w, r() * h] : null,
      fill: fill(r, c),
    }),
    1,
    ANGLES.length + 1,
  );
  await sameOnGpu(pairs);
});

test("affine: rotation, translation, scale, shear (Pillow's scale, fixed-point and float nearest paths)", async () => {
  requireCapability("webgpu", HAVE);
  const pairs = pairsFor(
    "affine",
    (r, k, c, w, h) => {
      const edge = [
        { angle: 0, translate: [0, 0], scale: 1, shear: [0, 0] },
        { angle: 0, translate: [1.5, -2], scale: 0.7, shear: [0, 0] },
        { angle: 90, translate: [0, 0], scale: 1, shear: [0, 0] },
        { angle: -45.5, translate: [0, 0], scale: 1.3, shear: [20, -10] },
        { angle: 10, translate: [0, 0], scale: 1e-3, shear: [0, 0] },
        { angle: 30, translate: [5e4, 0], scale: 1, shear: [0, 0] },
      ][k];
      return {
        ...(edge ?? {
          angle: (r() - 0.5) * 360,
          translate: [Math.round((r() - 0.5) * w), Math.round((r() - 0.5) * h)],
          scale: 0.5 + r(),
          shear: [(r() - 0.5) * 60, (r() - 0.5) * 60],
        }),
        center: r() < 0.3 ? [r() * w, r() * h] : null,
        fill: fill(r, c),
      };
    },
    2,
    8,
  );
  await sameOnGpu(pairs);
});

test("perspective: random corners, the identity, a degenerate squeeze", async () => {
  requireCapability("webgpu", HAVE);
  const pairs = pairsFor(
    "perspective",
    (r, k, c, w, h) => {
      const start = [
        [0, 0],
        [w - 1, 0],
        [w - 1, h - 1],
        [0, h - 1],
      ];
      const jitter = k === 0 ? 0 : k === 1 ? 3 : 0.5;
      const end = start.map(([x, y]) => [Math.round(x! + (r() - 0.5) * w * jitter), Math.round(y! + (r() - 0.5) * h * jitter)]);
      return { startpoints: start, endpoints: end, fill: fill(r, c) };
    },
    3,
    4,
  );
  await sameOnGpu(pairs);
});

test("elastic: keyed displacement fields, alpha 0 and large, fills", async () => {
  requireCapability("webgpu", HAVE);
  const pairs = pairsFor(
    "elastic",
    (r, k, c) => ({
      key: [Math.floor(r() * 2 ** 32), k],
      alpha: k === 0 ? [0, 0] : k === 1 ? [200, 50] : [r() * 60, r() * 60],
      sigma: k === 1 ? [0.5, 9] : [1 + r() * 5, 1 + r() * 5],
      fill: fill(r, c, false),
    }),
    4,
    4,
    [undefined],
  );
  await sameOnGpu(pairs);
});

test("FiveCrop and TenCrop (horizontal and vertical flips) as tensors", async () => {
  requireCapability("webgpu", HAVE);
  const r = mulberry32(5);
  const pairs: Pair[] = [];
  for (const c of [1, 3, 4] as const) {
    for (const [w, h] of [
      [1, 1],
      [1, 7],
      [17, 9],
      [8, 8],
    ] as const) {
      for (const [ten, verticalFlip] of [
        [false, false],
        [true, false],
        [true, true],
      ] as const) {
        const size = [1 + Math.floor(r() * h), 1 + Math.floor(r() * w)];
        const ops = [call("multiCrop", { size, ten, verticalFlip })];
        pairs.push({ image: testImage(r, w, h, c), ops, what: `multiCrop ${JSON.stringify(ops[0])} on ${w}x${h}x${c}` });
      }
    }
  }
  await sameOnGpu(pairs);
});

test.run();
