// One batch, from dataset indices to one buffer: the same code runs inline (workers: 0) and in
// every worker, so the bytes cannot depend on where it ran. Each sample's output is
// pipeline.apply(image, { seed, epoch, index, out }) written straight into its slot.
import { metaOf, type Image, type Meta } from "../image.js";
import type { Json, Transform } from "../transforms/base.js";
import { toItem, type Label } from "./dataset.js";
import type { DecodeMode } from "../io/decode.js";

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

/** Gets a dataset item; may throw (the error is attributed to the index). */
export type Fetch = (index: number) => unknown;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

interface Prepared {
  index: number;
  image: Image;
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

/** Computes one batch. Never throws for a sample's fault: it reports it in the result. */
export async function processBatch(
  task: BatchTask,
  pipeline: Transform,
  fetch: Fetch,
  decode: () => Promise<Decoder>,
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
    let image: Image;
    try {
      image = got.image instanceof Uint8Array ? await (await decode())(got.image, { mode: got.mode ?? "keep" }) : got.image;
    } catch (e) {
      if (fail({ index, source, stage: "decode", message: message(e) })) return result;
      continue;
    }
    try {
      const params = pipeline.sample(image, keyed(index));
      const out = pipeline.outputMeta(metaOf(image), params);
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
  const buffer = new ArrayBuffer(total * bytesPer);
  const view = kind === "tensor" ? new Float32Array(buffer) : new Uint8Array(buffer);

  // 3. Each sample straight into its slot.
  let at = 0;
  for (const p of ready) {
    try {
      pipeline.apply(p.image, { ...keyed(p.index), out: view.subarray(at, at + p.size) });
    } catch (e) {
      if (fail({ index: p.index, source: p.source, stage: "transform", message: message(e) })) return result;
      continue;
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
