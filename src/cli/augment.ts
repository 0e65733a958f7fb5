import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { basename, dirname, extname, join, relative, resolve } from "node:path";
import { ready, fromJSON, isTensor, type Image, type Tensor, type Transform, type TransformJSON, type Json, type Semantics } from "../index.js";
import { checkSemantics } from "../functional/semantics.js";
import { decode, encodePng, type DecodeMode } from "../io/index.js";
import { listImages } from "./files.js";
import { FileDataset, Loader, SampleError } from "../data/index.js";
import { Progress } from "./progress.js";
import { cocoAnnotations, cocoSample, readCoco, type CocoIndex } from "./coco.js";

/** First line of a manifest: what produced it. */
export interface ManifestHeader {
  kind: "header";
  lockstep: string;
  pipeline: TransformJSON;
  /** The torchvision pipeline the bytes reproduce ("pil" or "tensor"; absent in older manifests: "pil"). */
  semantics?: Semantics;
  seed: number;
  epochs: number;
  /** How inputs were decoded (lockstep/io's `mode`); absent in manifests from before it existed ("keep"). */
  mode?: DecodeMode;
  /** With --annotations: the input COCO file (relative to the manifest) the targets came from. */
  annotations?: string;
}

/** One output of a manifest. Paths are relative to the manifest's folder. */
export interface ManifestEntry {
  kind: "sample";
  input: string;
  output: string;
  seed: number;
  epoch: number;
  index: number;
  params: Json;
  shape: number[];
  dtype: "uint8" | "float32";
  /** SHA-256 of the raw output values (HWC u8 or CHW f32 little-endian), independent of the PNG encoder. */
  sha256: string;
  /** With --annotations: SHA-256 of this output's COCO annotations (JSON), and how many there are. */
  annotationsSha256?: string;
  annotations?: number;
}

/** SHA-256 of an output's raw bytes. */
export function outputHash(x: Image | Tensor): string {
  const d = x.data;
  return createHash("sha256").update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)).digest("hex");
}

/** A .npy file (v1.0, little-endian f32) for tensor outputs. */
function npy(t: Tensor): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${t.shape.join(", ")}${t.shape.length === 1 ? "," : ""}), }`;
  header += " ".repeat(63 - ((10 + header.length) % 64)) + "\n";
  const out = new Uint8Array(10 + header.length + t.data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), 10 + header.length);
  return out;
}

/** Decodes an image file in `mode`; errors name the file. */
export async function readImage(path: string, mode: DecodeMode = "RGB"): Promise<Image> {
  try {
    return await decode(await readFile(path), { mode });
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
}

export interface AugmentOptions {
  inputs: string[];
  pipeline: Transform;
  seed: number;
  epochs: number;
  out: string;
  version: string;
  /** Worker threads computing the outputs (default 0: this thread). The manifest does not depend on it. */
  workers?: number;
  /** How inputs are decoded (default "RGB", as torchvision's ImageFolder). */
  mode?: DecodeMode;
  /** A COCO annotation file: its boxes and key points go through the pipeline with their images; writes annotations.json. */
  annotations?: string;
}

/** One image with its COCO annotations through the pipeline: the output and its COCO annotations. */
function withAnnotations(pipeline: Transform, img: Image, coco: CocoIndex, file: string, key: { seed: number; epoch: number; index: number }, imageId: number, nextId: () => number) {
  const entry = coco.byFile.get(basename(file));
  if (!entry) throw new Error(`${file}: not in the annotation file (no image with file_name ${JSON.stringify(basename(file))})`);
  const { output, record } = pipeline.applyWithRecord(cocoSample(img, entry.annotations), key);
  const out = output as unknown as Parameters<typeof cocoAnnotations>[0] & { image: Image | Tensor };
  return { output: out.image, params: record.params, annotations: cocoAnnotations(out, entry.annotations, imageId, nextId) };
}

/** Writes every (epoch, image) output and the manifest; returns the manifest's path. */
export async function augment(o: AugmentOptions): Promise<string> {
  if (o.annotations) return augmentAnnotated(o);
  await ready();
  const files = await listImages(o.inputs);
  const out = resolve(o.out);
  await mkdir(out, { recursive: true });
  const manifestPath = join(out, "manifest.jsonl");
  const mode = o.mode ?? "RGB";
  const header: ManifestHeader = { kind: "header", lockstep: o.version, pipeline: o.pipeline.toJSON(), semantics: o.pipeline.semantics, seed: o.seed, epochs: o.epochs, mode };
  const lines: string[] = [JSON.stringify(header)];
  const progress = new Progress(files.length * o.epochs, "augment");
  // The loader computes every (epoch, index) output, inline or in worker threads: each one is
  // keyed by (seed, epoch, index), so the manifest is the same for any number of workers.
  const loader = new Loader(new FileDataset(files, { mode }), { pipeline: o.pipeline, seed: o.seed, batchSize: 1, workers: o.workers ?? 0, records: true, stack: false });
  try {
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      await mkdir(join(out, `epoch-${epoch}`), { recursive: true });
      loader.setEpoch(epoch);
      for await (const batch of loader) {
        for (const [i, output] of batch.samples.entries()) {
          const index = batch.indices[i]!;
          const file = files[index]!;
          const name = `${String(index).padStart(5, "0")}-${basename(file, extname(file))}`;
          const rel = join(`epoch-${epoch}`, isTensor(output) ? `${name}.npy` : `${name}.png`);
          await writeFile(join(out, rel), isTensor(output) ? npy(output) : await encodePng(output));
          const entry: ManifestEntry = {
            kind: "sample",
            input: relative(out, file),
            output: rel,
            seed: o.seed,
            epoch,
            index,
            params: batch.params![i]!,
            shape: isTensor(output) ? output.shape : [output.height, output.width, output.channels],
            dtype: isTensor(output) ? "float32" : "uint8",
            sha256: outputHash(output),
          };
          lines.push(JSON.stringify(entry));
          progress.tick();
        }
      }
    }
  } catch (e) {
    // Name the file first, as readImage does.
    if (e instanceof SampleError && e.source) throw new Error(`${e.source}: ${e.reason}`, { cause: e });
    throw e;
  } finally {
    await loader.close();
  }
  await writeFile(manifestPath, lines.join("\n") + "\n");
  return manifestPath;
}

/**
 * augment with --annotations: each image goes through the pipeline with its COCO boxes (and key
 * points) on this thread; writes annotations.json (COCO: one image per output, the kept
 * annotations with transformed bbox, area and key points) beside the manifest.
 */
async function augmentAnnotated(o: AugmentOptions): Promise<string> {
  await ready();
  if (o.workers) throw new Error("--workers with --annotations: targets are computed on this thread; leave out --workers");
  const coco = await readCoco(o.annotations!);
  const files = await listImages(o.inputs);
  const out = resolve(o.out);
  await mkdir(out, { recursive: true });
  const manifestPath = join(out, "manifest.jsonl");
  const mode = o.mode ?? "RGB";
  const header: ManifestHeader = {
    kind: "header", lockstep: o.version, pipeline: o.pipeline.toJSON(), semantics: o.pipeline.semantics, seed: o.seed, epochs: o.epochs, mode,
    annotations: relative(out, resolve(o.annotations!)),
  };
  const lines: string[] = [JSON.stringify(header)];
  const images: Json[] = [];
  const annotations: Json[] = [];
  let id = 0;
  const nextId = () => ++id;
  const progress = new Progress(files.length * o.epochs, "augment");
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    await mkdir(join(out, `epoch-${epoch}`), { recursive: true });
    for (const [index, file] of files.entries()) {
      const img = await readImage(file, mode);
      const imageId = images.length + 1;
      const r = withAnnotations(o.pipeline, img, coco, file, { seed: o.seed, epoch, index }, imageId, nextId);
      const output = r.output;
      const name = `${String(index).padStart(5, "0")}-${basename(file, extname(file))}`;
      const rel = join(`epoch-${epoch}`, isTensor(output) ? `${name}.npy` : `${name}.png`);
      await writeFile(join(out, rel), isTensor(output) ? npy(output) : await encodePng(output));
      const shape = isTensor(output) ? output.shape : [output.height, output.width, output.channels];
      images.push({ id: imageId, file_name: rel, height: shape[isTensor(output) ? 1 : 0]!, width: shape[isTensor(output) ? 2 : 1]!, source: relative(out, file), epoch, index });
      annotations.push(...r.annotations);
      const entry: ManifestEntry = {
        kind: "sample", input: relative(out, file), output: rel, seed: o.seed, epoch, index, params: r.params, shape, dtype: isTensor(output) ? "float32" : "uint8", sha256: outputHash(output),
        annotationsSha256: annotationsHash(r.annotations), annotations: r.annotations.length,
      };
      lines.push(JSON.stringify(entry));
      progress.tick();
    }
  }
  await writeFile(join(out, "annotations.json"), JSON.stringify({ ...coco.coco, images, annotations }) + "\n");
  await writeFile(manifestPath, lines.join("\n") + "\n");
  return manifestPath;
}

/** SHA-256 of one output's COCO annotations, without their running ids. */
function annotationsHash(anns: Json[]): string {
  return createHash("sha256").update(JSON.stringify(anns.map((a) => ({ ...(a as Record<string, Json>), id: null, image_id: null })))).digest("hex");
}

/** The outcome of {@link verify}. */
export interface VerifyResult {
  total: number;
  matched: number;
  mismatches: { line: number; input: string; epoch: number; index: number; reason: string }[];
}

/** Recomputes every manifest entry from its input and the recorded pipeline, and compares hashes and params. */
export async function verify(manifestPath: string): Promise<VerifyResult> {
  await ready();
  const text = await readFile(manifestPath, "utf8");
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const parse = (l: string, i: number): unknown => {
    try {
      return JSON.parse(l);
    } catch {
      throw new Error(`${manifestPath}:${i + 1}: not valid JSON`);
    }
  };
  const header = parse(lines[0] ?? "", 0) as ManifestHeader;
  if (header?.kind !== "header") throw new Error(`${manifestPath}:1: expected a header line written by lockstep augment`);
  const pipeline = fromJSON(header.pipeline);
  const semantics = checkSemantics(header.semantics, "header.semantics");
  if (semantics !== pipeline.semantics) throw new Error(`${manifestPath}:1: the header says semantics ${JSON.stringify(semantics)}, but its pipeline runs with ${JSON.stringify(pipeline.semantics)}`);
  const base = dirname(resolve(manifestPath));
  const coco = header.annotations ? await readCoco(resolve(base, header.annotations)) : null;
  const result: VerifyResult = { total: 0, matched: 0, mismatches: [] };
  const progress = new Progress(lines.length - 1, "verify");
  const images = new Map<string, Image>();
  for (let i = 1; i < lines.length; i++) {
    const e = parse(lines[i]!, i) as ManifestEntry;
    result.total++;
    const file = resolve(base, e.input);
    let img = images.get(file);
    if (!img) images.set(file, (img = await readImage(file, header.mode ?? "keep")));
    const key = { seed: e.seed, epoch: e.epoch, index: e.index };
    let ids = 0;
    const { output, params, annotations } = coco ? withAnnotations(pipeline, img, coco, file, key, 0, () => ++ids) : (() => {
      const r = pipeline.applyWithRecord(img, key);
      return { output: r.output, params: r.record.params, annotations: null };
    })();
    const bad = (reason: string) => result.mismatches.push({ line: i + 1, input: e.input, epoch: e.epoch, index: e.index, reason });
    if (outputHash(output) !== e.sha256) bad(`output hash ${outputHash(output).slice(0, 12)}… != recorded ${String(e.sha256).slice(0, 12)}…`);
    else if (JSON.stringify(params) !== JSON.stringify(e.params)) bad("params differ");
    else if (annotations && annotationsHash(annotations) !== e.annotationsSha256) bad("annotations differ");
    else result.matched++;
    progress.tick();
  }
  return result;
}
