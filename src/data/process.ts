// One batch, from dataset indices to one buffer: the same code runs inline (workers: 0) and in
// every worker, so the bytes cannot depend on where it ran. Each sample's output is
// pipeline.apply(image, { seed, epoch, index, out }) written straight into its slot. PNG and
// JPEG files are planned from their headers first and decoded only when their turn comes,
// into kernel memory, where the pipeline's first pass reads them in place (no copy out and
// back in); the bytes are those of decode + apply.
import { metaOf, type Channels, type Image, type Meta } from "../image.js";
import { checkedOps, type Json, type Transform } from "../transforms/base.js";
import { execute } from "../ir/execute.js";
import { kernel } from "../kernel/instance.js";
import type { HeldImage } from "../kernel/arena.js";
import { toItem, type Label } from "./dataset.js";
import type { DecodeMode } from "../io/decode.js";
import { uninitializedBuffer } from "../platform/memory.js";

/** What to do with a sample that fails to read, decode or transform. */
export type OnError = "raise" | "skip";

/** A batch to compute: plain data, posted to workers as is. */
export interface BatchTask {
  epoch: number;
  batch: number;
  seed: number | bigint;
  /** Dataset indices, in batch order. */
  indices: number[];
  onError: OnError;
  /** Return each sample's drawn params. */
  records: boolean;
  /** Require one shape for all tensor samples (NCHW); otherwise they are concatenated. */
  stack: boolean;
}

/** A sample left out of its batch under `onError: "skip"`, or the one that stopped the loader. */
export interface SampleFailure {
  index: number;
  source: string | null;
  /** What failed: "read" (dataset.get), "decode", "transform", or "collate" (outputs that cannot share a batch). */
  stage: "read" | "decode" | "transform" | "collate";
  message: string;
}

/** A computed batch: every sample's output, one after the other, in `buffer`. */
export interface BatchResult {
  batch: number;
  kind: "tensor" | "image";
  buffer: ArrayBuffer;
  /** Per sample: CHW for tensors, [H, W, C] for images. */
  shapes: number[][];
  indices: number[];
  labels: Label[];
  sources: (string | null)[];
  params: Json[] | null;
  skipped: SampleFailure[];
  /** Set when a sample failed and onError is "raise": the batch has no data. */
  failure: SampleFailure | null;
}

/** Decodes image file bytes (lockstep/io's `decode`); `options.mode` comes from the item. */
export type Decoder = (bytes: Uint8Array, options?: { mode?: DecodeMode }) => Image | Promise<Image>;

/**
 * The decoders a batch uses: `decode`, and lockstep/io's in-kernel pair when the decoder is
 * lockstep/io's own (a user's `decode` option has neither, and every file goes through it).
 */
export interface Decoders {
  decode: Decoder;
  /** The output's size and channels from the header alone; null for formats it does not plan (BMP, GIF, TIFF). */
  planDecode?: (bytes: Uint8Array, options: { mode: DecodeMode }) => { width: number; height: number; channels: Channels } | null;
  /** Decodes into kernel memory and holds it there (the caller releases the arena). */
  decodeHeld?: (bytes: Uint8Array, options: { mode: DecodeMode }) => HeldImage;
}

/** The Decoders for `decode`: with lockstep/io's in-kernel pair when `decode` is lockstep/io's (it carries them). */
export function decodersOf(decode: Decoder): Decoders {
  const pair = (decode as unknown as Record<symbol, Omit<Decoders, "decode"> | undefined>)[Symbol.for("lockstep.decode.inKernel")];
  return { decode, ...pair };
}

/** Gets a dataset item; may throw (the error is attributed to the index). */
export type Fetch = (index: number) => unknown;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

interface Prepared {
  index: number;
  /** A decoded image, or a planned file decoded in step 3. */
  image: Image | { bytes: Uint8Array; mode: DecodeMode; meta: Meta };
  label: Label;
  source: string | null;
  params: Json;
  out: Meta;
  size: number;
}

const sizeOf = (m: Meta): number => (m.kind === "tensor" ? m.shape.reduce((a, b) => a * b, 1) : m.width * m.height * m.channels);
const shapeOf = (m: Meta): number[] => (m.kind === "tensor" ? [...m.shape] : [m.height, m.width, m.channels]);

/** The most frequent key among `items` (ties: the one seen first); null for none. */
function majority<T>(items: readonly T[], key: (x: T) => string): string | null {
  const counts = new Map<string, number>();
  let best: string | null = null;
  for (const x of items) {
    const k = key(x);
    const n = (counts.get(k) ?? 0) + 1;
    counts.set(k, n);
    if (best === null || n > counts.get(best)!) best = k;
  }
  return best;
}

/**
 * Computes one batch into a buffer from `allocate` (given the byte length; default: memory that is
 * not zeroed, see uninitializedBuffer: every byte of the batch is written before it is returned).
 * Never throws for a sample's fault: it reports it in the result.
 */
export async function processBatch(
  task: BatchTask,
  pipeline: Transform,
  fetch: Fetch,
  decoders: () => Promise<Decoders>,
  allocate: (bytes: number) => ArrayBuffer = uninitializedBuffer,
): Promise<BatchResult> {
  const result: BatchResult = {
    batch: task.batch,
    kind: "tensor",
    buffer: new ArrayBuffer(0),
    shapes: [],
    indices: [],
    labels: [],
    sources: [],
    params: task.records ? [] : null,
    skipped: [],
    failure: null,
  };
  const fail = (f: SampleFailure): boolean => {
    if (task.onError === "skip") {
      result.skipped.push(f);
      return false;
    }
    result.failure = f;
    return true;
  };
  const keyed = (index: number) => ({ seed: task.seed, epoch: task.epoch, index });

  // 1. Read every item (concurrently: files are I/O), then decode and draw params in order.
  const items = await Promise.all(
    task.indices.map(async (index) => {
      try {
        return toItem(await fetch(index), index);
      } catch (e) {
        return { error: e };
      }
    }),
  );
  const ready: Prepared[] = [];
  for (const [i, index] of task.indices.entries()) {
    const got = items[i]!;
    if ("error" in got) {
      if (fail({ index, source: null, stage: "read", message: message(got.error) })) return result;
      continue;
    }
    const source = got.source ?? null;
    let image: Prepared["image"];
    let meta: Meta;
    try {
      if (got.image instanceof Uint8Array) {
        const d = await decoders();
        const mode = got.mode ?? "keep";
        const planned = d.planDecode && d.decodeHeld ? d.planDecode(got.image, { mode }) : null;
        if (planned) {
          meta = { kind: "image", ...planned };
          image = { bytes: got.image, mode, meta };
        } else {
          image = await d.decode(got.image, { mode });
          meta = metaOf(image);
        }
      } else {
        image = got.image;
        meta = metaOf(image);
      }
    } catch (e) {
      if (fail({ index, source, stage: "decode", message: message(e) })) return result;
      continue;
    }
    try {
      const params = pipeline.sample("bytes" in image ? meta : image, keyed(index));
      const out = pipeline.outputMeta(meta, params);
      ready.push({ index, image, label: got.label ?? null, source, params, out, size: sizeOf(out) });
    } catch (e) {
      if (fail({ index, source, stage: "transform", message: message(e) })) return result;
    }
  }

  // 2. One buffer for the batch; outputs must agree on kind (and on shape when stacking). The
  // odd one out is the sample that differs from most of the batch (ties: the earliest shape),
  // not whichever sample happened to come second.
  const kindOf = (p: Prepared) => p.out.kind;
  const majorityKind = majority(ready, kindOf);
  const kind = (majorityKind ?? "tensor") as Meta["kind"];
  result.kind = kind;
  const stackShape = (p: Prepared) => shapeOf(p.out).join(", ");
  const majorityShape =
    kind === "tensor" && task.stack
      ? majority(
          ready.filter((p) => p.out.kind === "tensor"),
          stackShape,
        )
      : null;
  for (const p of ready) {
    const other = (f: (q: Prepared) => string, want: string) => ready.find((q) => f(q) === want)!.index;
    const mismatch =
      p.out.kind !== kind
        ? `its output is ${p.out.kind === "tensor" ? "a tensor" : "an image"}, but the batch's other outputs (e.g. sample ${other(kindOf, kind)}'s) are ${kind === "tensor" ? "tensors" : "images"}`
        : majorityShape !== null && stackShape(p) !== majorityShape
          ? `its output has shape [${stackShape(p)}], but the batch's other outputs (e.g. sample ${other(stackShape, majorityShape)}'s) have [${majorityShape}]: end the pipeline with a fixed size (Resize + CenterCrop, RandomResizedCrop) or pass stack: false`
          : null;
    if (mismatch) {
      // A shape mismatch is a property of the pipeline and data: it always raises.
      result.failure = { index: p.index, source: p.source, stage: "collate", message: mismatch };
      return result;
    }
  }
  const total = ready.reduce((a, p) => a + p.size, 0);
  const bytesPer = kind === "tensor" ? 4 : 1;
  // A buffer the user gave back (batch.release()) or memory that is not zeroed: every byte of
  // [0, at) is written below, and a batch with skipped samples is cut to that length.
  const buffer = allocate(total * bytesPer);
  const view = kind === "tensor" ? new Float32Array(buffer) : new Uint8Array(buffer);

  // 3. Each sample straight into its slot: the params drawn in step 1, the ops apply runs. A
  // planned file is decoded into kernel memory here and read there (no await until released:
  // an inline loader may be computing another batch on this thread).
  const d = ready.some((p) => "bytes" in p.image) ? await decoders() : null;
  let at = 0;
  for (const p of ready) {
    const meta = "bytes" in p.image ? p.image.meta : metaOf(p.image);
    let input: Image | HeldImage;
    if ("bytes" in p.image) {
      try {
        input = d!.decodeHeld!(p.image.bytes, { mode: p.image.mode });
      } catch (e) {
        kernel().arena.release();
        if (fail({ index: p.index, source: p.source, stage: "decode", message: message(e) })) return result;
        continue;
      }
    } else input = p.image;
    try {
      execute(input, checkedOps(pipeline, p.params, meta), view.subarray(at, at + p.size));
    } catch (e) {
      if (fail({ index: p.index, source: p.source, stage: "transform", message: message(e) })) return result;
      continue;
    } finally {
      if (input !== p.image) kernel().arena.release();
    }
    at += p.size;
    result.indices.push(p.index);
    result.labels.push(p.label);
    result.sources.push(p.source);
    result.shapes.push(shapeOf(p.out));
    result.params?.push(p.params);
  }
  result.buffer = at === total ? buffer : buffer.slice(0, at * bytesPer);
  return result;
}
