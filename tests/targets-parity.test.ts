// Targets against torchvision 0.28 v2 (fixtures from tests/parity/make_fixtures_targets.py):
// each case replays torchvision's params through the lockstep transform. Unrotated boxes and
// key points must be bit for bit torchvision's float32 (including -0 and the canvas size),
// masks byte for byte, and inputs torchvision refuses must be refused. Rotated boxes go through
// torch's float32 sin, cos, atan2 and sqrt, which are not correctly rounded on this CPU
// (AVX-512 builds); lockstep's are, so those agree to 1e-3 (pixels or degrees).
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as L from "../src/index.js";
import { ks, critical } from "./helpers/check.js";
import { bits, canvasImage, decodeMask, replayer, samplerFixtures, targetFixtures, type TargetCase } from "./helpers/targets-fixtures.js";

await L.ready();

const ROTATED_TOLERANCE = 1e-3;

type Outcome = { error?: string } & Record<string, unknown>;

function attempt(fn: () => Record<string, unknown>): Outcome {
  try {
    return fn();
  } catch (e) {
    assert.not.instance(e, WebAssembly.RuntimeError, "a wasm trap");
    return { error: (e as Error).constructor.name, message: (e as Error).message };
  }
}

/** Compares float32 lists: exact bits, or within `tol`; returns the largest difference. */
function compare(got: Float32Array, want: number[], tol: number, what: string): number {
  assert.is(got.length, want.length, `${what}: length`);
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i]! - want[i]!);
    worst = Math.max(worst, d);
    if (tol === 0) assert.is(bits(got[i]!), bits(want[i]!), `${what}[${i}]: got ${got[i]}, torchvision ${want[i]}`);
    else assert.ok(d <= tol, `${what}[${i}]: got ${got[i]}, torchvision ${want[i]} (|diff| ${d} > ${tol})`);
  }
  return worst;
}

const rows = new Map<string, { exact: number; close: number; refused: number; worst: number }>();
function tally(key: string, kind: "exact" | "close" | "refused", worst = 0): void {
  const r = rows.get(key) ?? { exact: 0, close: 0, refused: 0, worst: 0 };
  r[kind]++;
  r.worst = Math.max(r.worst, worst);
  rows.set(key, r);
}

function boxesCase(c: TargetCase): void {
  const exp = c.expectBoxes!;
  const rotated = L.isRotated(c.boxes!.format);
  const run = replayer(c);
  const got = attempt(() => {
    const sample: Record<string, unknown> = {
      image: canvasImage(c),
      boxes: L.boundingBoxes(Float32Array.from(c.boxes!.data), {
        format: c.boxes!.format,
        canvasSize: c.canvas,
        clampingMode: c.boxes!.clampingMode,
      }),
    };
    if (c.labels) sample.labels = c.labels;
    if (c.id.startsWith("Sanitize")) sample.masks = decodeMask(c.masks[0]!);
    if (c.id.startsWith("RandomIoUCrop")) sample.masks = decodeMask(c.masks[0]!);
    return run(sample);
  });
  const key = `${c.id.split("#")[0]} boxes${rotated ? " (rotated)" : ""}`;
  if ("error" in exp) {
    assert.ok("error" in got, `${c.id}: torchvision refuses (${exp.error}); lockstep gave a result`);
    tally(key, "refused");
    return;
  }
  assert.not.ok("error" in got, `${c.id}: ${(got as { message?: string }).message}`);
  const b = got.boxes as L.BoundingBoxes;
  assert.equal(b.canvasSize, exp.canvasSize, `${c.id}: canvas size`);
  assert.is(b.format, exp.format, `${c.id}: format`);
  const worst = compare(b.data, exp.data, rotated ? ROTATED_TOLERANCE : 0, `${c.id} ${c.boxes!.format} ${c.boxes!.clampingMode}`);
  tally(key, worst === 0 && Array.from(b.data).every((v, i) => bits(v) === bits(exp.data[i]!)) ? "exact" : "close", worst);
  if (c.expectLabels) assert.equal(Array.from(got.labels as number[]), c.expectLabels, `${c.id}: labels`);
  if (c.expectMasks && (c.id.startsWith("Sanitize") || c.id.startsWith("RandomIoUCrop"))) {
    const m = got.masks as L.Mask,
      want = decodeMask(c.expectMasks[0] as { shape: number[]; dtype: "u8"; base64: string });
    assert.equal(m.shape, want.shape, `${c.id}: mask shape`);
    assert.ok(
      m.data.every((v, i) => v === want.data[i]),
      `${c.id}: mask bytes`,
    );
  }
}

function keypointsCase(c: TargetCase): void {
  const exp = c.expectKeypoints!;
  const run = replayer(c);
  const got = attempt(() => {
    const sample: Record<string, unknown> = {
      image: canvasImage(c),
      points: L.keyPoints(Float32Array.from(c.keypoints!.data), { canvasSize: c.canvas, shape: c.keypoints!.shape }),
    };
    if (c.labels) sample.labels = c.labels;
    return run(sample);
  });
  const key = `${c.id.split("#")[0]} key points`;
  if ("error" in exp) {
    assert.ok("error" in got, `${c.id}: torchvision refuses key points (${exp.error})`);
    tally(key, "refused");
    return;
  }
  assert.not.ok("error" in got, `${c.id}: ${(got as { message?: string }).message}`);
  const k = got.points as L.KeyPoints;
  assert.equal(k.canvasSize, exp.canvasSize, `${c.id}: canvas size`);
  assert.equal(k.shape, exp.shape, `${c.id}: shape`);
  compare(k.data, exp.data, 0, `${c.id} key points`);
  if (c.expectLabels) assert.equal(Array.from(got.labels as number[]), c.expectLabels, `${c.id}: labels`);
  tally(key, "exact");
}

function masksCase(c: TargetCase): void {
  const run = replayer(c);
  c.masks.forEach((spec, j) => {
    const exp = c.expectMasks![j]!;
    const key = `${c.id.split("#")[0]} masks`;
    const got = attempt(() => run({ image: canvasImage(c), mask: decodeMask(spec) }));
    if ("error" in exp) {
      assert.ok("error" in got, `${c.id} mask ${j}: torchvision refuses (${exp.error})`);
      tally(key, "refused");
      return;
    }
    assert.not.ok("error" in got, `${c.id} mask ${j}: ${(got as { message?: string }).message}`);
    const m = got.mask as L.Mask,
      want = decodeMask(exp);
    assert.equal(m.shape, want.shape, `${c.id} mask ${j}: shape`);
    assert.is(m.data.constructor, want.data.constructor, `${c.id} mask ${j}: dtype`);
    let bad = 0;
    for (let i = 0; i < want.data.length; i++) if (m.data[i] !== want.data[i]) bad++;
    assert.is(
      bad,
      0,
      `${c.id} mask ${j} (${spec.dtype} [${spec.shape.join(", ")}]): ${bad} of ${want.data.length} values differ from torchvision`,
    );
    tally(key, "exact");
  });
}

test("boxes, key points and masks equal torchvision 0.28's on its own params", () => {
  for (const c of targetFixtures.cases) {
    if (c.boxes && c.expectBoxes) boxesCase(c);
    if (c.keypoints && c.expectKeypoints) keypointsCase(c);
    if (c.expectMasks && !c.id.startsWith("Sanitize") && !c.id.startsWith("RandomIoUCrop")) masksCase(c);
  }
  const lines = [...rows].map(
    ([k, r]) =>
      `  ${k}: ${r.exact} exact${r.close ? `, ${r.close} within ${r.worst.toExponential(1)}` : ""}${r.refused ? `, ${r.refused} refused as torchvision` : ""}`,
  );
  console.log(
    `targets vs torchvision ${targetFixtures.versions.torchvision} (torch CPU ${targetFixtures.versions.cpuCapability}):\n${lines.join("\n")}`,
  );
  // Only rotated boxes may be anything but exact.
  for (const [k, r] of rows) if (!k.includes("rotated")) assert.is(r.close, 0, `${k}: not exact`);
});

test("MixUp and CutMix on torchvision's params: images and label weights bit for bit", () => {
  const mix = (
    targetFixtures as unknown as {
      mix: {
        id: string;
        transform: L.TransformJSON;
        params: L.Json;
        images: { shape: number[]; data: number[] };
        labels: number[] | { shape: number[]; data: number[] };
        expectImages: number[];
        expectLabels: { shape: number[]; data: number[] };
      }[];
    }
  ).mix;
  assert.ok(mix.length >= 8);
  for (const c of mix) {
    const t = L.batchTransformFromJSON(c.transform);
    const labels = Array.isArray(c.labels) ? c.labels : { shape: c.labels.shape, data: Float32Array.from(c.labels.data) };
    const out = t.replay({ images: { shape: c.images.shape, data: Float32Array.from(c.images.data) }, labels }, {
      params: c.params,
    } as never);
    compare(out.images.data as Float32Array, c.expectImages, 0, `${c.id} images`);
    assert.equal(out.labels.shape, c.expectLabels.shape);
    compare(out.labels.data, c.expectLabels.data, 0, `${c.id} labels`);
  }
});

test("RandomIoUCrop's crops follow torchvision's sampler (two-sample KS per quantity)", () => {
  const f = samplerFixtures.iouCrop;
  const [H, W] = f.canvas;
  const t = new L.RandomIoUCrop();
  const sample = {
    image: { width: W, height: H, channels: 3 as const, data: new Uint8Array(W * H * 3) },
    boxes: L.boundingBoxes(f.boxes, { format: "XYXY", canvasSize: [H, W] }),
  };
  const ours: (number[] | null)[] = [];
  for (let i = 0; i < 4000; i++) {
    const p = t.sample(sample, { seed: 11, index: i });
    ours.push(p === null ? null : [p.top, p.left, p.height, p.width]);
  }
  const theirs = f.samples;
  const none = (s: (unknown | null)[]) => s.filter((v) => v === null).length / s.length;
  assert.ok(Math.abs(none(ours) - none(theirs)) < 0.04, `no-crop rate ${none(ours)} vs torchvision ${none(theirs)}`);
  for (const [k, name] of ["top", "left", "height", "width"].entries()) {
    const a = ours.filter((v): v is number[] => v !== null).map((v) => v[k]!);
    const b = theirs.filter((v): v is [number, number, number, number] => v !== null).map((v) => v[k]!);
    const d = ks(a, b);
    assert.ok(d < critical(a.length, b.length), `${name}: KS ${d.toFixed(4)} >= ${critical(a.length, b.length).toFixed(4)}`);
  }
});

test("MixUp's lambda and CutMix's boxes follow torchvision's samplers (KS)", () => {
  const batch = { images: { shape: [4, 3, 120, 160], data: new Float32Array(4 * 3 * 120 * 160) }, labels: [0, 1, 2, 3] };
  for (const [alpha, theirs] of [
    [1, samplerFixtures.mixupAlpha1],
    [0.2, samplerFixtures.mixupAlpha02],
  ] as const) {
    const m = new L.MixUp({ alpha, numClasses: 10 });
    const ours = Array.from({ length: 4000 }, (_, i) => m.sample(batch, { seed: 3, batch: i }).lam);
    const d = ks(ours, theirs);
    assert.ok(d < critical(4000, theirs.length), `MixUp alpha ${alpha}: KS ${d.toFixed(4)}`);
  }
  const c = new L.CutMix({ numClasses: 10 });
  const ours = Array.from({ length: 4000 }, (_, i) => c.sample(batch, { seed: 5, batch: i }));
  const theirs = samplerFixtures.cutmix.samples;
  for (const [k, name] of ["x1", "y1", "x2", "y2"].entries()) {
    const d = ks(
      ours.map((p) => p.box[k]!),
      theirs.map((p) => p[k]!),
    );
    assert.ok(d < critical(4000, theirs.length), `CutMix ${name}: KS ${d.toFixed(4)}`);
  }
  const d = ks(
    ours.map((p) => p.lam),
    theirs.map((p) => p[4]),
  );
  assert.ok(d < critical(4000, theirs.length), `CutMix lam: KS ${d.toFixed(4)}`);
});

test("torchvision's detection and segmentation recipes end to end: the image's float32 bytes, boxes, labels and masks", async () => {
  const { readFileSync } = await import("node:fs");
  const { createHash } = await import("node:crypto");
  const doc = JSON.parse(readFileSync(new URL("./parity/fixtures/targets/tutorials.json", import.meta.url), "utf8")) as {
    photo: { resize: [number, number]; base64: string };
    boxes: number[][];
    labels: number[];
    pipelines: Record<string, L.TransformJSON>;
    cases: {
      id: string;
      pipeline: string;
      params: L.Json;
      image: { shape: number[]; sha256: string };
      boxes?: { canvasSize: [number, number]; data: number[] };
      labels?: number[];
      masks?: { shape: number[]; sha256: string };
      mask?: { shape: number[]; sha256: string };
    }[];
  };
  // The detection tutorial whole: its RandomPhotometricDistort runs on the uint8 tensor ToImage
  // makes, which lockstep reproduces under semantics "tensor" (v2's colour kernels).
  const det = doc.pipelines.detection as unknown as { semantics?: string; transforms: { type: string }[] };
  assert.is(det.semantics, "tensor");
  assert.equal(det.transforms.map((x) => x.type).slice(0, 3), ["ToImage", "RandomPhotometricDistort", "RandomZoomOut"]);
  const [W, H] = doc.photo.resize;
  const image: L.Image = { width: W, height: H, channels: 3, data: new Uint8Array(Buffer.from(doc.photo.base64, "base64")) };
  // The masks as make_fixtures_tutorials.py draws them: one rectangle per box, and a label grid.
  const inst = new Uint8Array(doc.boxes.length * H * W);
  doc.boxes.forEach(([x1, y1, x2, y2], n) => {
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (x >= x1! && x < x2! && y >= y1! && y < y2!) inst[(n * H + y) * W + x] = 1;
  });
  const seg = new Uint8Array(H * W).map((_, i) => (Math.floor((i % W) / 20) * 3 + Math.floor(Math.floor(i / W) / 15) * 5) % 21);
  const hash = (a: ArrayBufferView) =>
    createHash("sha256")
      .update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
      .digest("hex");
  const meta = { kind: "image" as const, width: W, height: H, channels: 3 as const };
  for (const c of doc.cases) {
    const t = L.fromJSON(doc.pipelines[c.pipeline]!);
    if (c.pipeline === "detection") {
      const sample = [
        image,
        {
          boxes: L.boundingBoxes(doc.boxes, { format: "XYXY", canvasSize: [H, W] }),
          labels: doc.labels,
          masks: L.mask(inst, [doc.boxes.length, H, W]),
        },
      ];
      const [img, target] = t.replay(sample, { meta, params: c.params }) as [
        L.Tensor,
        { boxes: L.BoundingBoxes; labels: number[]; masks: L.Mask },
      ];
      assert.equal(img.shape, c.image.shape, `${c.id}: image shape`);
      assert.is(hash(img.data), c.image.sha256, `${c.id}: image bytes`);
      assert.equal(target.boxes.canvasSize, c.boxes!.canvasSize, `${c.id}: canvas`);
      compare(target.boxes.data, c.boxes!.data, 0, `${c.id} boxes`);
      assert.equal(target.labels, c.labels, `${c.id}: labels`);
      assert.equal(target.masks.shape, c.masks!.shape, `${c.id}: masks shape`);
      assert.is(hash(target.masks.data), c.masks!.sha256, `${c.id}: masks`);
    } else {
      const out = t.replay({ image, mask: L.mask(seg, [H, W]) }, { meta, params: c.params }) as { image: L.Tensor; mask: L.Mask };
      assert.equal(out.image.shape, c.image.shape, `${c.id}: image shape`);
      assert.is(hash(out.image.data), c.image.sha256, `${c.id}: image bytes`);
      assert.equal(out.mask.shape, c.mask!.shape, `${c.id}: mask shape`);
      assert.is(hash(out.mask.data), c.mask!.sha256, `${c.id}: mask`);
    }
  }
});

test.run();
