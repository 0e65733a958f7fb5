// Targets move with the image: properties that hold for every transform (a box drawn on the
// image and transformed is the box of the transformed drawing; masks stay label-valued; the
// image and the params do not depend on the targets), records and JSON, the Loader's batch
// transforms, and bad input (clear errors naming the field).
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as L from "../src/index.js";
import { property, rejects, type Rng } from "./helpers/check.js";

await L.ready();

/** A 1-channel image with a filled rectangle [x1, x2) x [y1, y2) of 255 on 0, and its XYXY box. */
function drawing(w: number, h: number, r: Rng): { image: L.Image; box: [number, number, number, number] } {
  const x1 = r.int(1, w - 4),
    y1 = r.int(1, h - 4);
  const x2 = r.int(x1 + 2, w - 1),
    y2 = r.int(y1 + 2, h - 1);
  const data = new Uint8Array(w * h);
  for (let y = y1; y < y2; y++) data.fill(255, y * w + x1, y * w + x2);
  return { image: { width: w, height: h, channels: 1, data }, box: [x1, y1, x2, y2] };
}

/** The XYXY extent (pixel edges) of the pixels >= 128, or null when none. */
function extent(img: L.Image): [number, number, number, number] | null {
  let x1 = Infinity,
    y1 = Infinity,
    x2 = -Infinity,
    y2 = -Infinity;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if (img.data[(y * img.width + x) * img.channels]! >= 128) {
        x1 = Math.min(x1, x);
        y1 = Math.min(y1, y);
        x2 = Math.max(x2, x + 1);
        y2 = Math.max(y2, y + 1);
      }
    }
  }
  return x1 === Infinity ? null : [x1, y1, x2, y2];
}

/** Geometric transforms with nearest interpolation, and how far (pixels) the drawn extent may be from the box. */
const GEOMETRIC: [string, (r: Rng) => L.Transform, number][] = [
  ["hflip", () => new L.RandomHorizontalFlip(1), 0],
  ["vflip", () => new L.RandomVerticalFlip(1), 0],
  ["crop", (r) => new L.RandomCrop([r.int(10, 30), r.int(10, 30)], { padIfNeeded: true }), 0],
  ["pad", (r) => new L.Pad([r.int(0, 6), r.int(0, 6), r.int(0, 6), r.int(0, 6)]), 0],
  ["center", (r) => new L.CenterCrop([r.int(8, 24), r.int(8, 24)]), 0],
  ["zoom-out", () => new L.RandomZoomOut({ p: 1, sideRange: [1, 2.5] }), 0],
  ["resize", (r) => new L.Resize([r.int(10, 60), r.int(10, 60)], { interpolation: "nearest" }), 1.6],
  ["resized-crop", (r) => new L.RandomResizedCrop([r.int(10, 40), r.int(10, 40)], { interpolation: "nearest", scale: [0.3, 1] }), 2.6],
  // expand: torchvision shifts by the exact corner minimum where Pillow centres an integer canvas (up to 0.5 px more)
  ["rotate", (r) => new L.RandomRotation(r.pick([15, 90, 180, 60]), { expand: r.chance(0.5) }), 2],
  ["affine", () => new L.RandomAffine(20, { translate: [0.1, 0.1], scale: [0.8, 1.2], shear: 8 }), 1.5],
  ["perspective", () => new L.RandomPerspective({ p: 1, distortionScale: 0.3, interpolation: "nearest" }), 1.5],
  ["elastic", () => new L.ElasticTransform({ alpha: 8, sigma: 4, interpolation: "nearest" }), 2.5],
  ["scale-jitter", () => new L.ScaleJitter([40, 40], { interpolation: "nearest", scaleRange: [0.5, 1.5] }), 1.6],
];

property("a box drawn on the image and transformed is the box of the transformed drawing (within the rasterisation)", 260, (r) => {
  const [name, make, tol] = r.pick(GEOMETRIC);
  const w = r.int(16, 40),
    h = r.int(16, 40);
  const { image, box } = drawing(w, h, r);
  const t = make(r);
  const key = { seed: r.u32(), index: r.int(0, 1000) };
  const out = t.apply({ image, boxes: L.boundingBoxes([box], { format: "XYXY", canvasSize: [h, w] }) }, key) as {
    image: L.Image;
    boxes: L.BoundingBoxes;
  };
  assert.equal(out.boxes.canvasSize, [out.image.height, out.image.width], `${name}: the boxes' canvas is the image's size`);
  const got = extent(out.image);
  const b = Array.from(out.boxes.data);
  if (got === null) {
    // Nothing visible left: the clamped box must be (nearly) empty too.
    assert.ok(b[2]! - b[0]! <= tol + 1 || b[3]! - b[1]! <= tol + 1, `${name}: no pixels left but box ${b}`);
    return;
  }
  for (let i = 0; i < 4; i++)
    assert.ok(
      Math.abs(got[i]! - b[i]!) <= tol + 1e-4,
      `${name} (${JSON.stringify(t.toJSON())}): drawn extent ${got} vs box ${b.map((v) => v.toFixed(2))}`,
    );
});

property("key points move with the drawing: a marked pixel's centre lands on the transformed key point", 200, (r) => {
  const [name, make, tol] = r.pick(GEOMETRIC.filter(([n]) => !["elastic"].includes(n)));
  const w = r.int(16, 40),
    h = r.int(16, 40);
  const x = r.int(3, w - 4),
    y = r.int(3, h - 4);
  const data = new Uint8Array(w * h);
  for (let dy = -1; dy <= 1; dy++) data.fill(255, (y + dy) * w + x - 1, (y + dy) * w + x + 2); // a 3x3 dot
  const t = make(r);
  // torchvision's key points are pixel indices for flips (x -> W - 1 - x) and continuous coordinates elsewhere; place the dot's centre accordingly.
  const flips = name === "hflip" || name === "vflip";
  const point = flips ? [x, y] : [x + 0.5, y + 0.5];
  const out = t.apply(
    { image: { width: w, height: h, channels: 1 as const, data }, points: L.keyPoints([point], { canvasSize: [h, w] }) },
    { seed: r.u32() },
  ) as { image: L.Image; points: L.KeyPoints };
  const e = extent(out.image);
  if (e === null) return;
  const cx = flips ? (e[0] + e[2] - 1) / 2 : (e[0] + e[2]) / 2,
    cy = flips ? (e[1] + e[3] - 1) / 2 : (e[1] + e[3]) / 2;
  const [px, py] = [out.points.data[0]!, out.points.data[1]!];
  // Only when the dot is wholly inside (its extent is 3x3 scaled, not cut by the border).
  if (e[0] === 0 || e[1] === 0 || e[2] === out.image.width || e[3] === out.image.height) return;
  assert.ok(Math.abs(px - cx) <= tol + 1 && Math.abs(py - cy) <= tol + 1, `${name}: dot centre (${cx}, ${cy}) vs key point (${px}, ${py})`);
});

const PIPELINES: (() => L.Transform)[] = [
  () =>
    new L.Compose([
      new L.RandomResizedCrop(24, { interpolation: "bilinear" }),
      new L.RandomHorizontalFlip(),
      new L.RandomRotation(30, { interpolation: "bilinear", fill: { image: [9, 9, 9], mask: 255 } }),
    ]),
  () =>
    new L.Compose([
      new L.RandomZoomOut({ p: 1, fill: { image: 123, mask: 7 } }),
      new L.RandomIoUCrop(),
      new L.RandomHorizontalFlip(),
      new L.SanitizeBoundingBoxes(),
    ]),
  () =>
    new L.Compose([
      new L.ScaleJitter([48, 48]),
      new L.RandomCrop(32, { padIfNeeded: true, fill: { image: 0, mask: 255 } }),
      new L.ColorJitter(0.4, 0.4, 0.4, 0.1),
    ]),
  () =>
    new L.Compose([
      new L.RandomAffine(25, { translate: [0.1, 0.1], shear: 10, fill: 4 }),
      new L.RandomPerspective({ p: 0.7, fill: 4 }),
      new L.ElasticTransform({ alpha: 10, sigma: 3, fill: 4 }),
    ]),
  () =>
    new L.RandomChoice([
      new L.Resize(20, { interpolation: "nearest" }),
      new L.RandomShortestSize([12, 20], { maxSize: 30 }),
      new L.CenterCrop(18),
    ]),
  () =>
    new L.Compose([new L.RandomRotation(40, { expand: true, interpolation: "bilinear", fill: { image: 0, mask: 255 } }), new L.Resize(24)]),
];

function detectionSample(r: Rng, w: number, h: number, dtype: "u8" | "i32") {
  const n = r.int(1, 5);
  const rows = Array.from({ length: n }, () => {
    const x1 = r.float(0, w - 4),
      y1 = r.float(0, h - 4);
    return [x1, y1, x1 + r.float(2, w / 2), y1 + r.float(2, h / 2)];
  });
  const labels = rows.map(() => r.int(0, 90));
  const lm =
    dtype === "u8" ? new Uint8Array(w * h).map((_, i) => ((i % w) >> 3) + 1) : new Int32Array(w * h).map((_, i) => 100000 + ((i % w) >> 3));
  const image = { width: w, height: h, channels: 3 as const, data: new Uint8Array(w * h * 3).map((_, i) => (i * 37) & 255) };
  return {
    sample: {
      image,
      boxes: L.boundingBoxes(rows, { format: "XYXY", canvasSize: [h, w] }),
      masks: L.mask(lm, [h, w]),
      points: L.keyPoints(
        [
          [1, 1],
          [w - 2, h - 2],
        ],
        { canvasSize: [h, w] },
      ),
      labels,
    },
    values: new Set(Array.from(lm as ArrayLike<number>)),
  };
}

property("masks stay label-valued (their own labels or the fill), and their size follows the image, under either semantics", 80, (r) => {
  const semantics = r.pick(["pil", "tensor"] as const);
  const t = new L.Compose([r.pick(PIPELINES)()], { semantics });
  const dtype = r.chance(0.5) ? "u8" : "i32";
  const { sample, values } = detectionSample(r, r.int(30, 64), r.int(30, 64), dtype);
  const out = t.apply(sample, { seed: r.u32(), index: r.int(0, 99) }) as typeof sample;
  const allowed = new Set([...values, 0, 255, 7, 4]);
  assert.equal(out.masks.shape, [out.image.height, out.image.width]);
  assert.is(out.masks.data.constructor, sample.masks.data.constructor);
  for (const v of out.masks.data) assert.ok(allowed.has(v), `mask value ${v} is not a label of the input (${dtype})`);
  assert.equal(out.boxes.canvasSize, [out.image.height, out.image.width]);
  assert.equal(out.points.canvasSize, [out.image.height, out.image.width]);
});

property("targets never change the image or the params: apply(sample).image === apply(image), sample() agrees", 60, (r) => {
  const t = r.pick(PIPELINES.slice(0, 4).filter((_, i) => i !== 1))();
  const { sample } = detectionSample(r, r.int(30, 64), r.int(30, 64), "u8");
  const key = { seed: r.u32(), epoch: r.int(0, 3), index: r.int(0, 999) };
  const a = t.applyWithRecord(sample, key);
  const b = t.applyWithRecord(sample.image, key);
  assert.equal(a.record, b.record);
  assert.ok(Buffer.from((a.output as typeof sample).image.data).equals(Buffer.from((b.output as L.Image).data)));
  assert.equal(t.sample(sample, key), a.record.params);
  assert.is(sample.labels, (a.output as typeof sample).labels, "labels pass through untouched (the same array)");
});

test("an expanding rotation puts the targets on the image's canvas, which depends on the semantics", () => {
  // torchvision 0.28, 58 x 11 rotated by 33.25 degrees with expand=True: F.rotate gives a PIL image
  // of 43 x 56 and a uint8 tensor (and a Mask) of [56, 41]. Targets follow the image under each.
  const w = 11,
    h = 58;
  const sample = {
    image: { width: w, height: h, channels: 3 as const, data: new Uint8Array(w * h * 3).fill(200) },
    masks: L.mask(new Uint8Array(w * h).fill(1), [h, w]),
    boxes: L.boundingBoxes([[1, 2, 9, 40]], { format: "XYXY", canvasSize: [h, w] }),
    points: L.keyPoints([[5, 30]], { canvasSize: [h, w] }),
  };
  for (const [semantics, size] of [
    ["pil", [56, 43]],
    ["tensor", [56, 41]],
  ] as const) {
    const t = new L.Compose([new L.RandomRotation([33.25, 33.25], { expand: true })], { semantics });
    const { output, record } = t.applyWithRecord(sample, { seed: 1 });
    const out = output as typeof sample;
    assert.equal([out.image.height, out.image.width], size, `${semantics}: the image`);
    assert.equal(out.masks.shape, size, `${semantics}: the mask`);
    assert.equal(out.boxes.canvasSize, size, `${semantics}: the boxes' canvas`);
    assert.equal(out.points.canvasSize, size, `${semantics}: the key points' canvas`);
    // The record carries the semantics: a bare RandomRotation replaying the child's params under it agrees.
    const bare = new L.RandomRotation([33.25, 33.25], { expand: true }).replay(sample, {
      ...record,
      params: (record.params as L.Json[])[0]!,
    }) as typeof sample;
    assert.equal(
      [bare.masks.shape, bare.boxes.canvasSize, bare.points.canvasSize],
      [size, size, size],
      `${semantics}: replayed with the record's semantics`,
    );
    assert.equal(Array.from(bare.boxes.data), Array.from(out.boxes.data));
  }
});

test("records replay targets exactly, and every new transform round-trips through JSON", () => {
  const r = { seed: 7, index: 3 };
  const { sample } = detectionSample(
    (() => {
      let s = 1;
      return {
        int: (a: number, b: number) => a + ((s = (s * 48271) % 2147483647) % (b - a + 1)),
        float: (a: number, b: number) => a + ((s = (s * 48271) % 2147483647) / 2147483647) * (b - a),
        u32: () => s,
        pick: <T>(x: readonly T[]) => x[0]!,
        chance: () => true,
      } as unknown as Rng;
    })(),
    48,
    40,
    "u8",
  );
  const t = new L.Compose([
    new L.RandomIoUCrop(),
    new L.RandomRotation(20, { expand: true }),
    new L.SanitizeBoundingBoxes(),
    new L.ConvertBoundingBoxFormat("CXCYWH"),
    new L.ClampBoundingBoxes(),
    new L.ClampKeyPoints(),
    new L.SanitizeKeyPoints(),
    new L.RGB(),
    new L.ToImage(),
    new L.Identity(),
    new L.ToDtype({ image: "float32", mask: "int32" }, { scale: true }),
    new L.ToPureTensor(),
  ]);
  const { output, record } = t.applyWithRecord(sample, r);
  const again = L.fromJSON(JSON.stringify(t.toJSON())).replay(sample, JSON.parse(JSON.stringify(record)));
  assert.equal(
    JSON.stringify(again, (_, v) => (ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v)),
    JSON.stringify(output, (_, v) => (ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v)),
  );
  const pure = output as unknown as { boxes: { shape: number[]; data: Float32Array }; masks: { shape: number[]; data: Int32Array } };
  assert.equal(pure.boxes.shape[1], 4, "ToPureTensor leaves [N, 4] boxes");
  assert.instance(pure.masks.data, Int32Array);
});

test("torchvision's key point semantics: points outside the canvas move like the others, ClampKeyPoints clamps to [0, W - 1], SanitizeKeyPoints drops them", () => {
  const image = { width: 10, height: 8, channels: 1 as const, data: new Uint8Array(80) };
  const points = L.keyPoints(
    [
      [-3, 2],
      [4, 9.5],
      [9, 7],
      [10, 0],
    ],
    { canvasSize: [8, 10] },
  );
  const flip = new L.RandomHorizontalFlip(1).apply({ image, points }, { seed: 0 }) as { points: L.KeyPoints };
  assert.equal(Array.from(flip.points.data), [12, 2, 5, 9.5, 0, 7, -1, 0]);
  const clamped = new L.ClampKeyPoints().apply({ image, points });
  assert.equal(Array.from((clamped as { points: L.KeyPoints }).points.data), [0, 2, 4, 7, 9, 7, 9, 0]);
  const kept = new L.SanitizeKeyPoints({ labelsGetter: ["names"] }).apply({ image, points, names: ["a", "b", "c", "d"] }) as {
    points: L.KeyPoints;
    names: string[];
  };
  assert.equal(Array.from(kept.points.data), [9, 7]);
  assert.equal(kept.names, ["c"]);
});

test("SanitizeBoundingBoxes drops degenerate boxes with their labels and per-instance masks, torchvision's labels heuristic included", () => {
  const image = { width: 20, height: 10, channels: 3 as const, data: new Uint8Array(600) };
  const boxes = L.boundingBoxes(
    [
      [0, 0, 5, 5],
      [3, 3, 3.5, 9],
      [12, 1, 19, 9],
      [15, 2, 21, 4],
    ],
    { format: "XYXY", canvasSize: [10, 20], clampingMode: null },
  );
  const masks = L.mask(
    new Uint8Array(4 * 200).map((_, i) => Math.floor(i / 200) + 1),
    [4, 10, 20],
  );
  const out = new L.SanitizeBoundingBoxes().apply([
    image,
    { boxes, masks, class_labels: new Int32Array([5, 6, 7, 8]), iscrowd: [0, 0, 1, 0] },
  ]) as [L.Image, { boxes: L.BoundingBoxes; masks: L.Mask; class_labels: Int32Array; iscrowd: number[] }];
  assert.equal(Array.from(out[1].boxes.data), [0, 0, 5, 5, 12, 1, 19, 9]);
  assert.equal(Array.from(out[1].class_labels), [5, 7], "a key containing 'label' is the labels (torchvision's fallback)");
  assert.instance(out[1].class_labels, Int32Array);
  assert.equal(out[1].masks.shape, [2, 10, 20]);
  assert.equal([out[1].masks.data[0], out[1].masks.data[200]], [1, 3]);
  assert.equal(out[1].iscrowd, [0, 0, 1, 0], "other leaves pass through");
  const both = new L.SanitizeBoundingBoxes({ labelsGetter: ["1.class_labels", "1.iscrowd"] }).apply([
    image,
    { boxes, class_labels: [5, 6, 7, 8], iscrowd: [0, 0, 1, 0] },
  ]) as [L.Image, { iscrowd: number[] }];
  assert.equal(both[1].iscrowd, [0, 1]);
});

test("the Loader's batchTransform mixes each batch keyed by (seed, epoch, batch number), the same for any worker count", async () => {
  const images = Array.from({ length: 6 }, (_, i) => ({
    width: 12,
    height: 10,
    channels: 3 as const,
    data: new Uint8Array(360).map((_, j) => (i * 40 + j) & 255),
  }));
  const data = new L.ArrayDataset(images.map((image, i) => ({ image, label: i % 3 })));
  const pipeline = new L.Compose([new L.RandomHorizontalFlip(), new L.ToTensor()]);
  const run = async (workers: number, t: L.BatchTransform) => {
    const out: { data: number[]; mix: unknown }[] = [];
    const loader = new L.Loader(data, { pipeline, batchSize: 3, seed: 9, workers, batchTransform: t });
    for await (const b of loader)
      out.push({ data: Array.from(b.data), mix: JSON.parse(JSON.stringify({ ...b.mix, labels: Array.from(b.mix!.labels.data) })) });
    return out;
  };
  for (const t of [new L.MixUp({ numClasses: 3 }), new L.CutMix({ numClasses: 3, alpha: 0.5 })]) {
    const a = await run(0, t);
    const b = await run(2, t);
    assert.equal(a, b, `${t.type}: workers 0 and 2`);
    const plain = new L.Loader(data, { pipeline, batchSize: 3, seed: 9 });
    let k = 0;
    for await (const batch of plain) {
      const want = t.apply(
        { images: { shape: batch.shape!, data: batch.data as Float32Array }, labels: batch.labels as number[] },
        { seed: 9, epoch: 0, batch: k },
      );
      assert.equal(a[k]!.data, Array.from(want.images.data), `${t.type}: batch ${k} is the keyed mix of the plain batch`);
      k++;
    }
  }
});

test("bad input: clear errors naming the field", () => {
  const image = { width: 8, height: 6, channels: 3 as const, data: new Uint8Array(144) };
  const boxes = (rows: number[][], format: L.BoxFormat = "XYXY") => L.boundingBoxes(rows, { format, canvasSize: [6, 8] });
  rejects(() => boxes([[0, NaN, 2, 2]]), RangeError, /boxes\.data\[0\]\[1\] must be finite, got NaN/);
  rejects(() => boxes([[0, 0, -2, 2]], "XYWH"), RangeError, /boxes\.data\[0\]: width and height must be >= 0 \(a negative size\)/);
  rejects(() => boxes([[4, 0, 2, 2]]), RangeError, /x2 and y2 must be >= x1 and y1/);
  rejects(() => boxes([[0, 0, 2, 2]], "XYZW" as L.BoxFormat), RangeError, /format must be one of XYXY, XYWH/);
  rejects(() => boxes([[0, 0, 2]]), RangeError, /boxes\[0\] must have 4 numbers/);
  rejects(
    () => L.boundingBoxes([[0, 0, 2, 2]], { format: "XYXY", canvasSize: [0, 8] }),
    RangeError,
    /canvasSize must be \[height, width\]/,
  );
  rejects(() => L.mask(new Uint8Array(10), [2, 6]), RangeError, /mask\.data has 10 values, but shape \[2, 6\] needs 12/);
  rejects(
    () => L.mask(new Float32Array(12) as unknown as Uint8Array, [2, 6]),
    TypeError,
    /mask\.data must be a Uint8Array or an Int32Array/,
  );
  const flip = new L.RandomHorizontalFlip(1);
  rejects(
    () => flip.apply({ image, masks: L.mask(new Uint8Array(40), [5, 8]) }, { seed: 1 }),
    RangeError,
    /sample\.masks \(shape \[\.\.\., H, W\]\) is \[5, 8\] but the image at sample\.image is 6x8/,
  );
  rejects(
    () => flip.apply({ image, target: { boxes: L.boundingBoxes([[0, 0, 1, 1]], { format: "XYXY", canvasSize: [8, 6] }) } }, { seed: 1 }),
    RangeError,
    /sample\.target\.boxes\.canvasSize is \[8, 6\]/,
  );
  rejects(
    () => flip.apply({ boxes: boxes([[0, 0, 1, 1]]), labels: [1] }, { seed: 1 }),
    TypeError,
    /the sample has no image.*found boxes at sample\.boxes/,
  );
  rejects(() => flip.apply([image, image], { seed: 1 }), TypeError, /holds 2 images \(sample\[0\], sample\[1\]\)/);
  rejects(
    () => flip.apply({ image, boxes: { ...boxes([[0, 0, 1, 1]]), data: new Float32Array([0, 0, 1, Infinity]) } }, { seed: 1 }),
    RangeError,
    /sample\.boxes\.data\[0\]\[3\] must be finite/,
  );
  rejects(() => new L.SanitizeBoundingBoxes().apply({ image, boxes: boxes([[0, 0, 1, 1]]) }), TypeError, /could not find the labels/);
  rejects(
    () => new L.SanitizeBoundingBoxes().apply({ image, boxes: boxes([[0, 0, 1, 1]]), labels: [1, 2] }),
    RangeError,
    /1 boxes but 2 labels at sample\.labels/,
  );
  rejects(() => new L.SanitizeBoundingBoxes().apply({ image }), TypeError, /no bounding boxes were found/);
  rejects(
    () => new L.RandomIoUCrop().apply(image, { seed: 1 }),
    TypeError,
    /RandomIoUCrop needs a sample with an image and bounding boxes/,
  );
  rejects(
    () =>
      new L.RandomIoUCrop().apply(
        { image, boxes: L.boundingBoxes([[2, 2, 3, 3, 10]], { format: "XYWHR", canvasSize: [6, 8] }) },
        { seed: 1 },
      ),
    TypeError,
    /rotated boxes \(XYWHR\) are not supported/,
  );
  rejects(
    () => new L.FiveCrop(4).apply({ image, boxes: boxes([[0, 0, 1, 1]]) }),
    TypeError,
    /FiveCrop does not support bounding boxes, masks or key points \(as torchvision\), found boxes at sample\.boxes/,
  );
  rejects(
    () => new L.AutoAugment().apply({ image, m: L.mask(new Uint8Array(48), [6, 8]) }, { seed: 1 }),
    TypeError,
    /AutoAugment does not support/,
  );
  rejects(
    () => new L.Pad(1, { paddingMode: "reflect" }).apply({ image, boxes: boxes([[0, 0, 1, 1]]) }),
    TypeError,
    /padding mode "reflect" is not supported with bounding boxes/,
  );
  rejects(
    () => new L.Pad(1, { fill: [1, 2, 3] }).apply({ image, m: L.mask(new Uint8Array(48), [6, 8]) }),
    TypeError,
    /pad: this transform's fill is per channel.*\{ image: \[\.\.\.\], mask: n \}/,
  );
  rejects(
    () => new L.Pad(1, { fill: { image: 3, mask: 300 } }).apply({ image, m: L.mask(new Uint8Array(48), [6, 8]) }),
    RangeError,
    /mask fill must be an integer in \[0, 255\] for a Uint8Array mask, got 300/,
  );
  rejects(() => new L.Pad(1, { fill: { image: 3, colour: 1 } as unknown as L.Fill }), RangeError, /fill\.colour: unknown key/);
  rejects(
    () =>
      new L.RandomIoUCrop().replay(
        { image, boxes: boxes([[0, 0, 1, 1]]) },
        { meta: { kind: "image", width: 8, height: 6, channels: 3 }, params: { top: 0, left: 0, height: -2, width: 3, within: [true] } },
      ),
    TypeError,
    /RandomIoUCrop: params must be null or \{ top, left, height, width, within/,
  );
  rejects(() => new L.ToDtype("float64" as L.ImageDtype), RangeError, /dtype must be "uint8" or "float32", got "float64"/);
  rejects(
    () => new L.ConvertBoundingBoxFormat("XYWHR").apply({ image, boxes: boxes([[0, 0, 1, 1]]) }),
    TypeError,
    /cannot convert between rotated and unrotated boxes \(XYXY -> XYWHR\)/,
  );
  const batch = { images: { shape: [2, 3, 2, 2], data: new Float32Array(24) }, labels: [0, 1] };
  rejects(
    () => new L.MixUp({ numClasses: 2 }).apply({ images: { shape: [2, 2, 2, 3], data: new Uint8Array(24) }, labels: [0, 1] }, { seed: 1 }),
    TypeError,
    /MixUp needs float images/,
  );
  rejects(() => new L.MixUp().apply(batch, { seed: 1 }), TypeError, /numClasses must be given for index labels/);
  rejects(
    () => new L.CutMix({ numClasses: 2 }).apply({ ...batch, labels: [0, 2] }, { seed: 1 }),
    RangeError,
    /labels\[1\] must be a class index in \[0, 2\), got 2/,
  );
  rejects(() => new L.CutMix({ numClasses: 2 }).apply(batch, {} as L.BatchRandom), TypeError, /pass \{ seed, epoch, batch \}/);
  rejects(() => new L.MixUp({ alpha: 0 }), RangeError, /alpha must be > 0/);
  rejects(
    () => new L.CutMix({ numClasses: 2 }).replay(batch, { params: { box: [0, 0, 9, 9], lam: 0.5 } }),
    RangeError,
    /box \[0, 0, 9, 9\] does not fit 2x2 images/,
  );
});

test.run();
