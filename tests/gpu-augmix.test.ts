// AugMix on WebGPU gives the kernel's bytes (src/gpu/ops/augmix.ts against assembly/mix.ts and
// the chains' own wasm ops): chains of ops that have shaders, 0 to 25 chains (the mixing runs
// 12 chains a pass), weights at 0, 1 and between, 1/3/4 channels; and the AugMix transform's
// own chains, which run on the GPU when every op in them has a shader and otherwise refuse
// naming the op that has none.
import "./helpers/gpu-env.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ready } from "../src/index.js";
import { gpuBackend } from "../src/gpu/device.js";
import type { Op } from "../src/ir/ops.js";
import { GpuUnsupported, lower } from "../src/gpu/plan.js";
import { AugMix } from "../src/transforms/autoaugment.js";
import { checkedOps } from "../src/transforms/base.js";
import { requireCapability } from "./helpers/capability.js";
import { call, mulberry32, sameOnGpu, testImage, type Pair } from "./helpers/gpu-ops.js";

await ready();
const HAVE = (await gpuBackend()) !== null;

const fr = Math.fround;

/** A chain of 0 to 3 colour ops that lower on the GPU today. */
function chain(r: () => number, semantics: string): Op[] {
  const ops: ((r: () => number) => Op)[] = [
    (r) => call("adjustBrightness", { factor: r() * 2, semantics }),
    (r) => call("adjustContrast", { factor: r() * 2, semantics }),
    (r) => call("adjustSharpness", { factor: r() * 2, semantics }),
    () => call("equalize", { semantics }),
    () => call("autocontrast", { semantics }),
    (r) => call("posterize", { bits: 1 + Math.floor(r() * 8), semantics }),
    (r) => call("solarize", { threshold: r() * 255, semantics }),
    () => call("invert", { semantics }),
  ];
  return Array.from({ length: Math.floor(r() * 4) }, () => ops[Math.floor(r() * ops.length)]!(r));
}

test("mixing: 0 to 25 chains of shader ops, weights 0, 1 and between, 1/3/4 channels", async () => {
  requireCapability("webgpu", HAVE);
  const r = mulberry32(21);
  const pairs: Pair[] = [];
  const sizes: [number, number][] = [
    [1, 1],
    [3, 2],
    [13, 7],
  ];
  for (const width of [0, 1, 3, 13, 25]) {
    for (const c of [1, 3, 4] as const) {
      for (const [w, h] of width > 3 ? sizes.slice(0, 2) : sizes) {
        const semantics = r() < 0.5 ? "tensor" : "tensor-v1";
        const edge = r() < 0.2; // saturates: everything at weight 1
        const original = edge ? 1 : fr(r());
        const weights = Array.from({ length: width }, () => (edge ? 1 : fr(r() < 0.1 ? 0 : r())));
        const chains = Array.from({ length: width }, () => chain(r, semantics));
        const ops = [call("augMix", { original, weights, chains })];
        pairs.push({ image: testImage(r, w, h, c), ops, what: `augMix of ${width} chains on ${w}x${h}x${c}` });
      }
    }
  }
  assert.is(await sameOnGpu(pairs), 1, "one submission");
});

test("the AugMix transform's chains: on the GPU where every op has a shader, else refused naming the op", async () => {
  requireCapability("webgpu", HAVE);
  const r = mulberry32(22);
  const pairs: Pair[] = [];
  let refused = 0;
  for (const allOps of [false, true]) {
    const t = new AugMix({ allOps, mixtureWidth: 2, chainDepth: 1 });
    for (let i = 0; i < 16; i++) {
      const c = ([1, 3] as const)[i % 2]!;
      const image = testImage(r, 5 + (i % 7), 3 + (i % 5), c);
      const meta = { kind: "image" as const, width: image.width, height: image.height, channels: c };
      const ops = checkedOps(t, t.sample(meta, { seed: 3, index: i }), meta);
      try {
        lower(image, ops);
      } catch (e) {
        assert.ok(e instanceof GpuUnsupported, String(e));
        const inner = (ops[0] as unknown as { args: { chains: Op[][] } }).args.chains.flat().map((o) => (o.op === "call" ? o.name : o.op));
        const named = /the "([^"]+)" op/.exec((e as Error).message)?.[1];
        assert.ok(named !== undefined && named !== "augMix" && inner.includes(named), (e as Error).message);
        refused++;
        continue;
      }
      pairs.push({ image, ops, what: `AugMix(allOps: ${allOps}) #${i} on ${image.width}x${image.height}x${c}` });
    }
  }
  assert.ok(pairs.length >= 4, `${pairs.length} of ${pairs.length + refused} samples lower`);
  await sameOnGpu(pairs);
});

test.run();
