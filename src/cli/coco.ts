// COCO-style annotations for `lockstep augment --annotations coco.json`: boxes (and key points)
// of each image go through the pipeline with it, and the outputs are written back as COCO.
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { boundingBoxes, keyPoints, type BoundingBoxes, type Image, type Json, type KeyPoints } from "../index.js";

/** The parts of a COCO file lockstep reads (others are copied through). */
export interface Coco {
  images: { id: number; file_name: string; width: number; height: number; [k: string]: unknown }[];
  annotations: {
    id: number;
    image_id: number;
    bbox: [number, number, number, number];
    category_id: number;
    iscrowd?: number;
    area?: number;
    keypoints?: number[];
    num_keypoints?: number;
    segmentation?: unknown;
    [k: string]: unknown;
  }[];
  categories?: unknown[];
  [k: string]: unknown;
}

/** A COCO file indexed by image file name (its base name). */
export interface CocoIndex {
  coco: Coco;
  byFile: Map<string, { image: Coco["images"][number]; annotations: Coco["annotations"] }>;
}

function fail(path: string, what: string): never {
  throw new Error(`${path}: ${what}`);
}

/** Reads and checks a COCO annotation file; errors name the file and the field. */
export async function readCoco(path: string): Promise<CocoIndex> {
  let coco: Coco;
  try {
    coco = JSON.parse(await readFile(path, "utf8")) as Coco;
  } catch (e) {
    fail(path, `not a readable JSON file (${(e as Error).message})`);
  }
  if (typeof coco !== "object" || coco === null || !Array.isArray(coco.images) || !Array.isArray(coco.annotations))
    fail(path, 'expected COCO JSON with "images" and "annotations" arrays');
  const byId = new Map<number, { image: Coco["images"][number]; annotations: Coco["annotations"] }>();
  const byFile = new Map<string, { image: Coco["images"][number]; annotations: Coco["annotations"] }>();
  coco.images.forEach((im, i) => {
    if (typeof im?.file_name !== "string" || !Number.isInteger(im.id)) fail(path, `images[${i}] needs an integer "id" and a "file_name"`);
    const entry = { image: im, annotations: [] as Coco["annotations"] };
    byId.set(im.id, entry);
    byFile.set(basename(im.file_name), entry);
  });
  coco.annotations.forEach((a, i) => {
    const entry = byId.get(a?.image_id);
    if (!entry) fail(path, `annotations[${i}].image_id ${JSON.stringify(a?.image_id)} names no image`);
    if (!Array.isArray(a.bbox) || a.bbox.length !== 4 || !a.bbox.every((v) => typeof v === "number" && Number.isFinite(v)))
      fail(path, `annotations[${i}].bbox must be [x, y, width, height] of finite numbers`);
    if (a.bbox[2] < 0 || a.bbox[3] < 0) fail(path, `annotations[${i}].bbox has a negative width or height: ${JSON.stringify(a.bbox)}`);
    if (a.keypoints !== undefined && (!Array.isArray(a.keypoints) || a.keypoints.length % 3 !== 0))
      fail(path, `annotations[${i}].keypoints must be [x, y, v] triples`);
    entry.annotations.push(a);
  });
  return { coco, byFile };
}

/**
 * The sample of one image: `{ image, boxes (XYWH, as COCO), labels }` where labels are the
 * annotations' positions (so SanitizeBoundingBoxes keeps the annotations it keeps), plus
 * `keypoints` [N, K, 2] when every annotation has K key points.
 */
export function cocoSample(
  image: Image,
  anns: Coco["annotations"],
): { image: Image; boxes: BoundingBoxes; labels: number[]; keypoints?: KeyPoints } {
  const canvas: [number, number] = [image.height, image.width];
  const sample: { image: Image; boxes: BoundingBoxes; labels: number[]; keypoints?: KeyPoints } = {
    image,
    boxes: boundingBoxes(
      anns.map((a) => a.bbox),
      { format: "XYWH", canvasSize: canvas },
    ),
    labels: anns.map((_, i) => i),
  };
  const k = anns[0]?.keypoints?.length;
  if (k && anns.every((a) => a.keypoints?.length === k)) {
    const pts = anns.flatMap((a) => a.keypoints!.flatMap((v, j) => (j % 3 === 2 ? [] : [v])));
    sample.keypoints = keyPoints(pts, { canvasSize: canvas, shape: [anns.length, k / 3, 2] });
  }
  return sample;
}

/** The output annotations of one sample: the kept ones, with transformed bbox, area and key points (visibility kept). */
export function cocoAnnotations(
  out: { boxes: BoundingBoxes; labels: number[]; keypoints?: KeyPoints },
  anns: Coco["annotations"],
  imageId: number,
  nextId: () => number,
): Json[] {
  const b = out.boxes;
  if (b.format !== "XYWH")
    throw new Error(
      `the pipeline changed the boxes to ${b.format}; the COCO output needs XYWH (end with ConvertBoundingBoxFormat("XYWH"))`,
    );
  const k = out.keypoints;
  const per = k ? k.shape[1]! : 0;
  // Key points are one group per input annotation unless a SanitizeKeyPoints kept them with the labels.
  const group = (src: number, i: number) => (k && k.shape[0] === anns.length ? src : i);
  return out.labels.map((src, i) => {
    const a = anns[src]!;
    const bbox = Array.from(b.data.subarray(4 * i, 4 * i + 4));
    const entry: Record<string, Json> = {
      ...(a as Record<string, Json>),
      id: nextId(),
      image_id: imageId,
      bbox,
      area: bbox[2]! * bbox[3]!,
      source_annotation: a.id,
    };
    delete entry.segmentation; // polygons and RLE are not transformed (not rasterised by lockstep)
    if (k && a.keypoints) {
      entry.keypoints = a.keypoints.map((v, j) => (j % 3 === 2 ? v : k.data[(group(src, i) * per + Math.floor(j / 3)) * 2 + (j % 3)]!));
    }
    return entry;
  });
}
