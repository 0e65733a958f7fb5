// Shared by the loader tests: hashing batches and the test dataset's URL.
import { createHash } from "node:crypto";
import { Compose, RandomResizedCrop, RandomHorizontalFlip, ToTensor, Normalize } from "../../src/index.js";
import type { Batch, Loader } from "../../src/data/index.js";

/** A file under tests/codec/ as a path. */
export const codecPath = (p: string): string => new URL(`../codec/${p}`, import.meta.url).pathname;

/** Real JPEGs the loaders read: 4:2:0 baseline and progressive, 4:1:1, 4:4:4, CMYK, grey. */
export const LOADER_JPEGS: readonly string[] = [
  codecPath("jpeg/bench_500x375_q90_420.jpg"),
  codecPath("jpeg/bench_500x375_q90_420_prog.jpg"),
  codecPath("jpeg/cv2_411.jpg"),
  codecPath("jpeg/cv2_444.jpg"),
  codecPath("jpeg/cmyk_pil_q75.jpg"),
  codecPath("jpeg/grey_pil_q60.jpg"),
];

/** The repository's two sample photos, a PNG and a JPEG. */
export const SAMPLE_PHOTOS: readonly string[] = [new URL("../../samples/chelsea.png", import.meta.url).pathname, new URL("../../samples/rocket.jpg", import.meta.url).pathname];

export const datasetUrl = new URL("./loader-dataset.ts", import.meta.url).href;

/** A small training recipe: every sample a 3x24x24 tensor. */
export const smallTrain = () => new Compose([new RandomResizedCrop(24), new RandomHorizontalFlip(), new ToTensor(), new Normalize([0.5, 0.4, 0.3], [0.2, 0.25, 0.3])]);

export function sha(data: ArrayBufferView): string {
  return createHash("sha256").update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)).digest("hex");
}

/** One line per batch: indices, labels, shape and the hash of the bytes. */
export function batchKey(b: Batch): string {
  return `${b.batch}|${b.indices.join(",")}|${b.labels.join(",")}|${b.shape?.join("x")}|${sha(b.data)}`;
}

/** Runs one epoch and returns the batch keys. */
export async function epochKeys(loader: Loader): Promise<string[]> {
  const out: string[] = [];
  for await (const b of loader) out.push(batchKey(b));
  return out;
}

/** Awaits a promise that must reject with a message matching `re`; returns the error. */
export async function rejects(p: Promise<unknown>, re: RegExp): Promise<Error> {
  try {
    await p;
  } catch (e) {
    if (!re.test((e as Error).message)) throw new Error(`expected an error matching ${re}, got: ${(e as Error).message}`);
    return e as Error;
  }
  throw new Error(`expected a rejection matching ${re}, but it resolved`);
}
