import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { copyFile, link, lstat, mkdir, open, readdir, readFile, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { createInterface } from "node:readline";
import { Staging } from "./staging.js";
import { classLabels, type Labels } from "./labels.js";
import { seedFromJson, seedJson } from "./args.js";
import {
  ready,
  fromJSON,
  isTensor,
  type Image,
  type Tensor,
  type Transform,
  type TransformJSON,
  type Json,
  type Semantics,
} from "../index.js";
import { checkSemantics } from "../functional/semantics.js";
import { decode, encodePng, type DecodeMode } from "../io/index.js";
import { isInside, listImages } from "./files.js";
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
  /** A JSON number below 2^53, else the seed's decimal string (seeds go up to 2^64 - 1). */
  seed: number | string;
  epochs: number;
  /** The first epoch written (absent: 0); epochs run from it for `epochs` epochs. */
  startEpoch?: number;
  /** With class sub-folders among the inputs (root/<class>/<image>, as torchvision's ImageFolder): the sorted class names. */
  classes?: string[];
  /** How inputs were decoded (lockstep/io's `mode`); absent in manifests from before it existed ("keep"). */
  mode?: DecodeMode;
  /** With --annotations: the input COCO file (its copy, relative to the manifest) the targets came from. */
  annotations?: string;
}

/**
 * One output of a manifest. Paths are relative to the manifest's folder and stay inside it:
 * `augment` copies (or hard-links) its inputs into `inputs/` there, so the folder is
 * self-contained and `verify` never reads outside it.
 */
export interface ManifestEntry {
  kind: "sample";
  input: string;
  output: string;
  seed: number | string;
  epoch: number;
  index: number;
  params: Json;
  shape: number[];
  dtype: "uint8" | "float32";
  /** SHA-256 of the raw output values (HWC u8 or CHW f32 little-endian), independent of the PNG encoder. */
  sha256: string;
  /** The class index of the input's class folder (absent for inputs outside one). */
  label?: number;
  /** With --annotations: SHA-256 of this output's COCO annotations (JSON), and how many there are. */
  annotationsSha256?: string;
  annotations?: number;
}

/** SHA-256 of an output's raw bytes. */
export function outputHash(x: Image | Tensor): string {
  const d = x.data;
  return createHash("sha256")
    .update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength))
    .digest("hex");
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
  /** Any seed the API takes: below 2^53 a number, up to 2^64 - 1 a bigint. */
  seed: number | bigint;
  epochs: number;
  /** The first epoch (default 0). */
  startEpoch?: number;
  out: string;
  version: string;
  /** Worker threads computing the outputs (default 0: this thread). The manifest does not depend on it. */
  workers?: number;
  /** Write into an `out` folder that is not empty (files of the same names are replaced). Default false. */
  overwrite?: boolean;
  /** How inputs are decoded (default "RGB", as torchvision's ImageFolder). */
  mode?: DecodeMode;
  /** A COCO annotation file: its boxes and key points go through the pipeline with their images; writes annotations.json. */
  annotations?: string;
}

/** One image with its COCO annotations through the pipeline: the output and its COCO annotations. */
function withAnnotations(
  pipeline: Transform,
  img: Image,
  coco: CocoIndex,
  file: string,
  key: { seed: number | bigint; epoch: number; index: number },
  imageId: number,
  nextId: () => number,
) {
  const entry = coco.byFile.get(basename(file));
  if (!entry) throw new Error(`${file}: not in the annotation file (no image with file_name ${JSON.stringify(basename(file))})`);
  const { output, record } = pipeline.applyWithRecord(cocoSample(img, entry.annotations), key);
  const out = output as unknown as Parameters<typeof cocoAnnotations>[0] & { image: Image | Tensor };
  return { output: out.image, params: record.params, annotations: cocoAnnotations(out, entry.annotations, imageId, nextId) };
}

/** The longest folder that holds every one of `files` (absolute paths). */
function commonFolder(files: string[]): string {
  let common = dirname(files[0]!);
  for (const f of files) while (!isInside(f, common)) common = dirname(common);
  return common;
}

/** Puts `file` at `to`: a hard link where the file system allows one, else a copy. */
async function place(file: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  await unlink(to).catch(() => {});
  await link(file, to).catch(() => copyFile(file, to));
}

/** Where augment --annotations keeps its copy of the input COCO file, inside the output folder. */
const COCO_COPY = "inputs/annotations.coco.json";

/**
 * The output folder (refused when not empty, unless `overwrite`), the inputs (never augment's
 * own outputs), copied or linked into `inputs/` there, and each input's path in the manifest.
 */
interface Prepared {
  /** The output folder (absolute). */
  out: string;
  files: string[];
  /** Each input's path in the manifest. */
  inputPath: (file: string) => string;
  /** The class labels of ImageFolder-style inputs. */
  labels: Labels;
}

/**
 * The output folder (refused when not empty, unless `overwrite`), the inputs (never augment's
 * own outputs) and their class labels; nothing is written yet.
 */
async function prepare(o: AugmentOptions): Promise<Prepared> {
  const out = resolve(o.out);
  const existing = await readdir(out).catch(() => [] as string[]);
  if (existing.length > 0 && !o.overwrite) {
    throw new Error(
      `the output folder ${o.out} is not empty; pass --overwrite to write into it (files of the same names are replaced), or choose another --out`,
    );
  }
  // Never what augment writes (epoch-N/, inputs/, its scratch folder), even when --out is an input folder.
  const own = (path: string) =>
    isInside(path, join(out, "inputs")) ||
    (dirname(path) === out && /^epoch-\d+$/.test(basename(path))) ||
    /\.lockstep-partial-/.test(basename(path));
  const files = await listImages(o.inputs, own);
  const root = commonFolder(files);
  const inputPath = (file: string) => ["inputs", ...relative(root, file).split(sep)].join("/");
  return { out, files, inputPath, labels: await classLabels(o.inputs, (dir) => dir === out || own(dir)) };
}

/** Copies (or links) the inputs into the staged output's `inputs/`, so the manifest's paths stay inside it. */
async function placeInputs(p: Prepared, stage: Staging): Promise<void> {
  for (const file of p.files) await place(file, stage.path(p.inputPath(file)));
}

/** The manifest's header fields every run has: version, pipeline, seed, epochs, mode, classes. */
function headerOf(o: AugmentOptions, classes: string[]): ManifestHeader {
  const header: ManifestHeader = {
    kind: "header",
    lockstep: o.version,
    pipeline: o.pipeline.toJSON(),
    semantics: o.pipeline.semantics,
    seed: seedJson(o.seed),
    epochs: o.epochs,
    mode: o.mode ?? "RGB",
  };
  // Only when used, so manifests without them stay as they were.
  if (o.startEpoch) header.startEpoch = o.startEpoch;
  if (classes.length) header.classes = classes;
  return header;
}

/** The epochs a run writes: `epochs` of them from `startEpoch`. */
const epochsOf = (o: AugmentOptions): number[] => Array.from({ length: o.epochs }, (_, i) => (o.startEpoch ?? 0) + i);

/**
 * Writes every (epoch, image) output and the manifest; returns the manifest's path. Everything
 * (outputs, the inputs' copies, the manifest) is written into a scratch folder beside `out` and
 * moved into place at the end, the manifest last: a run that fails leaves nothing behind, and
 * says so.
 */
export async function augment(o: AugmentOptions): Promise<string> {
  await ready();
  if (o.annotations && o.workers) throw new Error("--workers with --annotations: targets are computed on this thread; leave out --workers");
  const coco = o.annotations ? await readCoco(o.annotations) : null;
  const prepared = await prepare(o);
  const stage = await Staging.open(prepared.out);
  try {
    await placeInputs(prepared, stage);
    if (coco) await augmentAnnotated(o, coco, prepared, stage);
    else await augmentPlain(o, prepared, stage);
  } catch (e) {
    await stage.abort();
    throw new Error(`${(e as Error).message} (nothing was written to ${prepared.out})`, { cause: e });
  }
  await stage.commit("manifest.jsonl");
  return join(prepared.out, "manifest.jsonl");
}

/** augment without annotations: the Loader computes the outputs (inline or in workers). */
async function augmentPlain(o: AugmentOptions, { files, inputPath, labels }: Prepared, stage: Staging): Promise<void> {
  const mode = o.mode ?? "RGB";
  const lines: string[] = [JSON.stringify(headerOf(o, labels.classes))];
  const progress = new Progress(files.length * o.epochs, "augment");
  // The loader computes every (epoch, index) output, inline or in worker threads: each one is
  // keyed by (seed, epoch, index), so the manifest is the same for any number of workers.
  const loader = new Loader(new FileDataset(files, { mode }), {
    pipeline: o.pipeline,
    seed: o.seed,
    batchSize: 1,
    workers: o.workers ?? 0,
    records: true,
    stack: false,
  });
  try {
    for (const epoch of epochsOf(o)) {
      await mkdir(stage.path(`epoch-${epoch}`), { recursive: true });
      loader.setEpoch(epoch);
      for await (const batch of loader) {
        for (const [i, output] of batch.samples.entries()) {
          const index = batch.indices[i]!;
          const file = files[index]!;
          const entry = await writeSample(stage, o, { file, input: inputPath(file), epoch, index, params: batch.params![i]!, output });
          lines.push(JSON.stringify(withLabel(entry, labels, file)));
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
  await writeFile(stage.path("manifest.jsonl"), lines.join("\n") + "\n");
}

/**
 * augment with --annotations: each image goes through the pipeline with its COCO boxes (and key
 * points) on this thread; writes annotations.json (COCO: one image per output, the kept
 * annotations with transformed bbox, area and key points) beside the manifest.
 */
async function augmentAnnotated(o: AugmentOptions, coco: CocoIndex, { files, inputPath, labels }: Prepared, stage: Staging): Promise<void> {
  // The COCO file goes into the output folder too: verify reads nothing outside it.
  await place(resolve(o.annotations!), stage.path(COCO_COPY));
  const mode = o.mode ?? "RGB";
  const header: ManifestHeader = { ...headerOf(o, labels.classes), annotations: COCO_COPY };
  const lines: string[] = [JSON.stringify(header)];
  const images: Json[] = [];
  const annotations: Json[] = [];
  let id = 0;
  const nextId = () => ++id;
  const progress = new Progress(files.length * o.epochs, "augment");
  for (const epoch of epochsOf(o)) {
    await mkdir(stage.path(`epoch-${epoch}`), { recursive: true });
    for (const [index, file] of files.entries()) {
      const img = await readImage(file, mode);
      const imageId = images.length + 1;
      const r = withAnnotations(o.pipeline, img, coco, file, { seed: o.seed, epoch, index }, imageId, nextId);
      const output = r.output;
      const entry = await writeSample(stage, o, { file, input: inputPath(file), epoch, index, params: r.params, output });
      const { shape } = entry;
      images.push({
        id: imageId,
        file_name: entry.output,
        height: shape[isTensor(output) ? 1 : 0]!,
        width: shape[isTensor(output) ? 2 : 1]!,
        source: entry.input,
        epoch,
        index,
      });
      annotations.push(...r.annotations);
      entry.annotationsSha256 = annotationsHash(r.annotations);
      entry.annotations = r.annotations.length;
      withLabel(entry, labels, file);
      lines.push(JSON.stringify(entry));
      progress.tick();
    }
  }
  await writeFile(stage.path("annotations.json"), JSON.stringify({ ...coco.coco, images, annotations }) + "\n");
  await writeFile(stage.path("manifest.jsonl"), lines.join("\n") + "\n");
}

/** One output of augment: its input file, that file's manifest path, and what the pipeline gave it. */
interface Sample {
  file: string;
  input: string;
  epoch: number;
  index: number;
  params: Json;
  output: Image | Tensor;
}

/**
 * Writes one output under epoch-N (a PNG, or a .npy for a tensor) and returns its manifest entry;
 * the caller adds what only it knows (annotations, then the label: the keys keep that order).
 */
async function writeSample(stage: Staging, o: AugmentOptions, s: Sample): Promise<ManifestEntry> {
  const { output } = s;
  const name = `${String(s.index).padStart(5, "0")}-${basename(s.file, extname(s.file))}`;
  const rel = join(`epoch-${s.epoch}`, isTensor(output) ? `${name}.npy` : `${name}.png`);
  await writeFile(stage.path(rel), isTensor(output) ? npy(output) : await encodePng(output));
  return {
    kind: "sample",
    input: s.input,
    output: rel,
    seed: seedJson(o.seed),
    epoch: s.epoch,
    index: s.index,
    params: s.params,
    shape: isTensor(output) ? output.shape : [output.height, output.width, output.channels],
    dtype: isTensor(output) ? "float32" : "uint8",
    sha256: outputHash(output),
  };
}

/** The entry with the input's class label, when it has one. */
function withLabel(entry: ManifestEntry, labels: Labels, file: string): ManifestEntry {
  const label = labels.labelOf(file);
  if (label !== null) entry.label = label;
  return entry;
}

/** SHA-256 of one output's COCO annotations, without their running ids. */
function annotationsHash(anns: Json[]): string {
  return createHash("sha256")
    .update(JSON.stringify(anns.map((a) => ({ ...(a as Record<string, Json>), id: null, image_id: null }))))
    .digest("hex");
}

/** The outcome of {@link verify}. */
export interface VerifyResult {
  total: number;
  matched: number;
  mismatches: { line: number; input: string; epoch: number; index: number; reason: string }[];
}

/** The decode modes a manifest header may name. */
const MODES: readonly string[] = ["RGB", "RGBA", "L", "keep"];

/** Largest input or output file `verify` reads. */
const MAX_FILE = 2 ** 30;

/**
 * The absolute path of `rel` inside `base`, or why it is refused: manifests may come from
 * anywhere, so a path must be relative, without `..`, and name a regular file (no symlink,
 * device or folder) under the manifest's folder.
 */
async function confined(base: string, rel: unknown): Promise<{ path: string } | { refused: string }> {
  if (typeof rel !== "string" || rel === "") return { refused: `path ${JSON.stringify(rel)} is not a file name` };
  if (isAbsolute(rel) || /^[a-zA-Z]:/.test(rel) || rel.startsWith("/") || rel.startsWith("\\"))
    return { refused: `path ${JSON.stringify(rel)} is absolute; manifest paths are relative to its folder` };
  if (rel.split(/[\\/]/).some((part) => part === "..")) return { refused: `path ${JSON.stringify(rel)} leaves the manifest's folder` };
  const path = resolve(base, rel);
  if (!isInside(path, base) || path === base) return { refused: `path ${JSON.stringify(rel)} leaves the manifest's folder` };
  const s = await lstat(path).catch(() => null);
  if (!s) return { refused: `${rel} does not exist` };
  if (!s.isFile()) return { refused: `${rel} is not a regular file` };
  if (s.size > MAX_FILE) return { refused: `${rel} is ${s.size} bytes, over the ${MAX_FILE}-byte limit` };
  return { path };
}

/** Reads a confined regular file, refusing one that grew past the limit meanwhile. */
async function readConfined(path: string): Promise<Uint8Array> {
  const f = await open(path, "r");
  try {
    const size = (await f.stat()).size;
    if (size > MAX_FILE) throw new Error(`${path} is over the ${MAX_FILE}-byte limit`);
    const buf = new Uint8Array(size);
    let at = 0;
    while (at < size) {
      const { bytesRead } = await f.read(buf, at, size - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return buf.subarray(0, at);
  } finally {
    await f.close();
  }
}

/** The values of a .npy file written by augment (v1.0, little-endian f32): shape and data bytes. */
function parseNpy(b: Uint8Array): { shape: number[]; data: Uint8Array } | null {
  if (b.length < 10 || b[0] !== 0x93 || String.fromCharCode(...b.subarray(1, 6)) !== "NUMPY" || b[6] !== 1) return null;
  const hlen = b[8]! | (b[9]! << 8);
  const header = new TextDecoder().decode(b.subarray(10, 10 + hlen));
  if (!/'descr': '<f4'/.test(header) || !/'fortran_order': False/.test(header)) return null;
  const m = /'shape': \(([\d, ]*)\)/.exec(header);
  if (!m) return null;
  const shape = m[1]!
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map(Number);
  const data = b.subarray(10 + hlen);
  return data.length === shape.reduce((a, x) => a * x, 1) * 4 ? { shape, data } : null;
}

const hex = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** The hash of an output file's values and its shape, decoded as augment wrote it (PNG or .npy). */
async function outputFileHash(path: string): Promise<{ sha256: string; shape: number[] } | { refused: string }> {
  const bytes = await readConfined(path);
  if (path.endsWith(".npy")) {
    const t = parseNpy(bytes);
    return t ? { sha256: hex(t.data), shape: t.shape } : { refused: "it is not a little-endian float32 .npy file" };
  }
  try {
    const img = await decode(bytes);
    return { sha256: outputHash(img), shape: [img.height, img.width, img.channels] };
  } catch (e) {
    return { refused: `it does not decode (${(e as Error).message})` };
  }
}

/**
 * Recomputes every manifest entry from its input and the recorded pipeline, and checks the
 * recomputed output, the output file on disk and the recorded hash and params all agree. Reads
 * the manifest line by line and keeps one decoded input at a time, so memory does not grow with
 * the manifest. Paths are confined to the manifest's folder (see {@link confined}).
 */
export async function verify(manifestPath: string): Promise<VerifyResult> {
  await ready();
  const base = dirname(resolve(manifestPath));
  const result: VerifyResult = { total: 0, matched: 0, mismatches: [] };
  const lines = createInterface({ input: createReadStream(manifestPath, { encoding: "utf8" }), crlfDelay: Infinity });
  let pipeline: Transform | null = null;
  let mode: DecodeMode = "keep";
  let lineNo = 0;
  let cached = null as { file: string; image: Image } | null;
  let coco: CocoIndex | null = null;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`${manifestPath}:${lineNo}: not valid JSON`);
    }
    if (pipeline === null) {
      const header = value as ManifestHeader;
      if (header?.kind !== "header") throw new Error(`${manifestPath}:${lineNo}: expected a header line written by lockstep augment`);
      pipeline = fromJSON(header.pipeline);
      const semantics = checkSemantics(header.semantics, "header.semantics");
      if (semantics !== pipeline.semantics)
        throw new Error(
          `${manifestPath}:${lineNo}: the header says semantics ${JSON.stringify(semantics)}, but its pipeline runs with ${JSON.stringify(pipeline.semantics)}`,
        );
      // Manifests from before the header named a mode decoded each file as it was ("keep").
      const m: unknown = header.mode ?? "keep";
      if (typeof m !== "string" || !MODES.includes(m))
        throw new Error(`${manifestPath}:${lineNo}: header.mode must be one of ${MODES.join(", ")}, got ${JSON.stringify(m)}`);
      mode = m as DecodeMode;
      if (header.annotations !== undefined) {
        const ann = await confined(base, header.annotations);
        if ("refused" in ann) throw new Error(`${manifestPath}:${lineNo}: header.annotations: ${ann.refused}`);
        coco = await readCoco(ann.path);
      }
      continue;
    }
    const e = value as Partial<ManifestEntry>;
    result.total++;
    const bad = (reason: string) =>
      result.mismatches.push({ line: lineNo, input: String(e?.input), epoch: Number(e?.epoch), index: Number(e?.index), reason });
    if (typeof e !== "object" || e === null || e.kind !== "sample" || typeof e.sha256 !== "string" || !Array.isArray(e.shape)) {
      bad("not a sample entry written by lockstep augment");
      continue;
    }
    const input = await confined(base, e.input);
    if ("refused" in input) {
      bad(`input: ${input.refused}`);
      continue;
    }
    const output = await confined(base, e.output);
    if ("refused" in output) {
      bad(`output: ${output.refused}`);
      continue;
    }
    let got: { output: Image | Tensor; params: Json; annotations: Json[] | null };
    try {
      if (cached?.file !== input.path) {
        cached = null; // one decoded input at a time
        cached = { file: input.path, image: await decode(await readConfined(input.path), { mode }) };
      }
      const key = { seed: seedFromJson(e.seed, "seed"), epoch: e.epoch as number, index: e.index as number };
      let ids = 0;
      if (coco) got = withAnnotations(pipeline, cached.image, coco, input.path, key, 0, () => ++ids);
      else {
        const r = pipeline.applyWithRecord(cached.image, key);
        got = { output: r.output, params: r.record.params, annotations: null };
      }
    } catch (err) {
      bad(`could not recompute: ${(err as Error).message}`);
      continue;
    }
    const recomputed = outputHash(got.output);
    const onDisk = await outputFileHash(output.path);
    const shape = isTensor(got.output) ? got.output.shape : [got.output.height, got.output.width, got.output.channels];
    if (recomputed !== e.sha256) bad(`recomputed output hash ${recomputed.slice(0, 12)}… != recorded ${e.sha256.slice(0, 12)}…`);
    else if (JSON.stringify(got.params) !== JSON.stringify(e.params)) bad("params differ");
    else if (got.annotations && annotationsHash(got.annotations) !== e.annotationsSha256) bad("annotations differ");
    else if ("refused" in onDisk) bad(`output file ${e.output}: ${onDisk.refused}`);
    else if (onDisk.sha256 !== e.sha256 || JSON.stringify(onDisk.shape) !== JSON.stringify(shape))
      bad(
        `output file ${e.output} holds other values (hash ${onDisk.sha256.slice(0, 12)}…, shape [${onDisk.shape.join(", ")}]) than the recorded ${e.sha256.slice(0, 12)}…`,
      );
    else result.matched++;
  }
  if (pipeline === null) throw new Error(`${manifestPath}:1: expected a header line written by lockstep augment`);
  return result;
}
