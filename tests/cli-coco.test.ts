// `lockstep augment --annotations coco.json`: COCO boxes and key points go through the pipeline
// with their images; annotations.json holds the moved ones; verify recomputes images and boxes.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lockstep, samples } from "./helpers/cli.js";
import * as L from "../src/index.js";
import { decode } from "../src/io/index.js";

const dir = mkdtempSync(join(tmpdir(), "lockstep-coco-"));

const coco = {
  info: { description: "test" },
  images: [{ id: 7, file_name: "photos/chelsea.png", width: 451, height: 300 }],
  annotations: [
    {
      id: 70,
      image_id: 7,
      bbox: [120.5, 40, 200, 210.25],
      category_id: 17,
      iscrowd: 0,
      area: 42050,
      keypoints: [150, 80, 2, 260, 90, 1],
      num_keypoints: 2,
      segmentation: [[120, 40, 320, 40, 320, 250]],
    },
    {
      id: 71,
      image_id: 7,
      bbox: [10, 250, 30, 40],
      category_id: 3,
      iscrowd: 1,
      area: 1200,
      keypoints: [20, 260, 2, 0, 0, 0],
      num_keypoints: 1,
    },
  ],
  categories: [
    { id: 17, name: "cat" },
    { id: 3, name: "thing" },
  ],
};

test("augment --annotations moves the COCO boxes with the images, keeps what Sanitize keeps, and verify confirms", async () => {
  const ann = join(dir, "coco.json");
  writeFileSync(ann, JSON.stringify(coco));
  const pipe = join(dir, "pipe.json");
  const pipeline = {
    type: "Compose",
    transforms: [
      { type: "RandomZoomOut", p: 1, fill: { image: [123, 117, 104], mask: 0 } },
      { type: "RandomIoUCrop" },
      { type: "RandomHorizontalFlip", p: 1 },
      { type: "Resize", size: [160, 200] },
      { type: "SanitizeBoundingBoxes" },
    ],
  };
  writeFileSync(pipe, JSON.stringify(pipeline));
  const run = (out: string) =>
    lockstep(
      "augment",
      join(samples, "chelsea.png"),
      "--annotations",
      ann,
      "--pipeline",
      pipe,
      "--seed",
      "5",
      "--epochs",
      "2",
      "--out",
      join(dir, out),
    );
  const a = run("a");
  assert.is(a.code, 0, a.err);
  assert.is(run("b").code, 0);
  assert.is(
    readFileSync(join(dir, "a", "annotations.json"), "utf8"),
    readFileSync(join(dir, "b", "annotations.json"), "utf8"),
    "two runs, the same annotations",
  );
  const out = JSON.parse(readFileSync(join(dir, "a", "annotations.json"), "utf8"));
  assert.equal(out.categories, coco.categories);
  assert.is(out.images.length, 2);
  // The same sample through the library gives the same boxes.
  await L.ready();
  const img = await decode(readFileSync(join(samples, "chelsea.png")));
  const t = L.fromJSON(pipeline as unknown as L.TransformJSON);
  for (const [epoch, im] of out.images.entries()) {
    assert.equal([im.height, im.width], [160, 200]);
    const mine = out.annotations.filter((x: { image_id: number }) => x.image_id === im.id);
    const r = t.apply(
      {
        image: img,
        boxes: L.boundingBoxes(
          coco.annotations.map((x) => x.bbox),
          { format: "XYWH", canvasSize: [img.height, img.width] },
        ),
        labels: [0, 1],
      },
      { seed: 5, epoch, index: 0 },
    ) as { boxes: L.BoundingBoxes; labels: number[] };
    assert.equal(
      mine.map((x: { source_annotation: number }) => x.source_annotation),
      r.labels.map((i) => coco.annotations[i]!.id),
    );
    r.labels.forEach((_, i) => {
      assert.equal(mine[i].bbox, Array.from(r.boxes.data.subarray(4 * i, 4 * i + 4)));
      assert.is(mine[i].area, mine[i].bbox[2] * mine[i].bbox[3]);
      assert.is(mine[i].segmentation, undefined, "polygons are not carried");
      assert.is(mine[i].keypoints.length, 6);
    });
  }
  const v = lockstep("verify", join(dir, "a", "manifest.jsonl"));
  assert.is(v.code, 0, v.out + v.err);
  assert.match(v.out, /2\/2 entries match/);
  const lines = readFileSync(join(dir, "a", "manifest.jsonl"), "utf8")
    .trim()
    .split("\n");
  const e = JSON.parse(lines[1]!);
  e.annotationsSha256 = "0".repeat(64);
  lines[1] = JSON.stringify(e);
  writeFileSync(join(dir, "a", "tampered.jsonl"), lines.join("\n"));
  const bad = lockstep("verify", join(dir, "a", "tampered.jsonl"));
  assert.is(bad.code, 1);
  assert.match(bad.out, /annotations differ/);
});

test("bad annotation files are named with the field", () => {
  const ann = join(dir, "bad.json");
  writeFileSync(ann, JSON.stringify({ ...coco, annotations: [{ ...coco.annotations[0], bbox: [1, 2, -3, 4] }] }));
  const r = lockstep("augment", join(samples, "chelsea.png"), "--annotations", ann, "--epochs", "1", "--out", join(dir, "x"));
  assert.is(r.code, 2);
  assert.match(r.err, /bad\.json: annotations\[0\]\.bbox has a negative width or height/);
  writeFileSync(ann, JSON.stringify({ ...coco, images: [{ id: 1, file_name: "other.png" }], annotations: [] }));
  const s = lockstep("augment", join(samples, "chelsea.png"), "--annotations", ann, "--epochs", "1", "--out", join(dir, "y"));
  assert.match(s.err, /chelsea\.png: not in the annotation file/);
});

test.run();
