// Datasets: anything with a length and get(index). Built-in ones describe themselves as JSON
// (`workerSpec`) so worker threads rebuild them and read and decode files on their own.
import { checkImage, describe, type Image } from "../image.js";
import type { DecodeMode } from "../io/decode.js";
import { readSource } from "../platform/workers.js";
import { checkLength } from "./permutation.js";

/** A sample's label (class index for folders), or null. */
export type Label = number | string | null;

/**
 * What `get(index)` may return: a decoded image, or the encoded bytes of a PNG/JPEG file (decoded
 * where the sample is processed, i.e. in a worker), with an optional label and a source (a file
 * name or URL, used in error messages).
 */
export interface Item {
  image: Image | Uint8Array;
  label?: Label;
  source?: string;
  /** How encoded bytes are decoded (lockstep/io's `mode`); default "keep". File datasets say "RGB". */
  mode?: DecodeMode;
}

/** How a worker rebuilds a dataset by itself (built-in datasets only). */
export type DatasetSpec =
  | { kind: "files"; files: string[]; labels: Label[] | null; mode?: DecodeMode }
  | { kind: "module"; url: string; exportName: string; args: unknown };

/**
 * A dataset: `length` samples, `get(index)` returning an {@link Image}, encoded bytes, or an
 * {@link Item} (image plus label), possibly as a promise. With workers, datasets that have no
 * `workerSpec` are read on the main thread and their items posted to the workers, where they are
 * decoded and transformed.
 */
export interface Dataset {
  readonly length: number;
  get(index: number): Image | Uint8Array | Item | Promise<Image | Uint8Array | Item>;
  /** Optional: how workers rebuild this dataset themselves (see {@link DatasetSpec}). */
  workerSpec?(): DatasetSpec;
}

/** Normalizes what `get` returned to an {@link Item}. */
export function toItem(x: unknown, index: number): Item {
  if (x instanceof Uint8Array) return { image: x };
  if (typeof x === "object" && x !== null) {
    const o = x as Partial<Item> & Partial<Image>;
    if (o.image !== undefined) {
      if (!(o.image instanceof Uint8Array)) checkImage(o.image, `dataset.get(${index}).image`);
      if (o.label !== undefined && o.label !== null && typeof o.label !== "number" && typeof o.label !== "string") {
        throw new TypeError(`dataset.get(${index}).label must be a number, a string or null, got ${describe(o.label)}`);
      }
      if (o.mode !== undefined) checkMode(o.mode, `dataset.get(${index}).mode`);
      return o as Item;
    }
    if (o.width !== undefined) return { image: checkImage(o, `dataset.get(${index})`) };
  }
  throw new TypeError(
    `dataset.get(${index}) must return an Image, the bytes of a PNG/JPEG file, or { image, label?, source? }; got ${describe(x)}`,
  );
}

const MODES: readonly DecodeMode[] = ["RGB", "RGBA", "L", "keep"];

function checkMode(m: unknown, name: string): DecodeMode {
  if (!MODES.includes(m as DecodeMode)) throw new TypeError(`${name} must be "RGB", "RGBA", "L" or "keep", got ${describe(m)}`);
  return m as DecodeMode;
}

/** Options of the file datasets ({@link FileDataset}, {@link imageFolder}, {@link manifestDataset}). */
export interface FileDatasetOptions {
  /**
   * How each file is decoded: "RGB" (default, like torchvision's ImageFolder, which calls
   * `.convert("RGB")` on every file, so grey, RGBA and palette files all work in an RGB
   * pipeline), "RGBA", "L", or "keep" the file's own channels.
   */
  mode?: DecodeMode;
}

/** Checks a dataset's shape: a length in [0, 2^53] and a get method. */
export function checkDataset(d: unknown): Dataset {
  if (typeof d !== "object" || d === null || typeof (d as Dataset).get !== "function") {
    throw new TypeError(`dataset must be an object with length and get(index), got ${describe(d)}`);
  }
  checkLength((d as Dataset).length, "dataset.length");
  return d as Dataset;
}

function checkLabels(labels: unknown, n: number): Label[] | null {
  if (labels === undefined || labels === null) return null;
  if (!Array.isArray(labels) || labels.length !== n) throw new TypeError(`labels must be an array of ${n} labels, got ${describe(labels)}`);
  labels.forEach((l, i) => {
    if (l !== null && typeof l !== "number" && typeof l !== "string")
      throw new TypeError(`labels[${i}] must be a number, a string or null, got ${describe(l)}`);
  });
  return labels as Label[];
}

/** Images (or encoded files, or items) in memory. Read on the main thread; workers get copies of each batch's items. */
export class ArrayDataset implements Dataset {
  private readonly items: readonly (Image | Uint8Array | Item)[];
  private readonly labels: Label[] | null;

  constructor(items: readonly (Image | Uint8Array | Item)[], labels?: readonly Label[]) {
    if (!Array.isArray(items)) throw new TypeError(`items must be an array of images, got ${describe(items)}`);
    this.items = items;
    this.labels = checkLabels(labels, items.length);
  }

  get length(): number {
    return this.items.length;
  }

  get(index: number): Item {
    if (!Number.isInteger(index) || index < 0 || index >= this.items.length)
      throw new RangeError(`index must be an integer in [0, ${this.items.length}), got ${describe(index)}`);
    const item = toItem(this.items[index], index);
    return this.labels ? { ...item, label: this.labels[index] } : item;
  }
}

/**
 * Image files (paths, or URLs in browsers), read and decoded where the samples are processed:
 * in the workers when there are workers. Decoded as `mode` says: "RGB" by default.
 */
export class FileDataset implements Dataset {
  readonly files: readonly string[];
  readonly labels: readonly Label[] | null;
  /** Class names for folder datasets: `classes[label]`. */
  readonly classes: readonly string[] | null;
  /** How each file is decoded (see {@link FileDatasetOptions}). */
  readonly mode: DecodeMode;

  constructor(files: readonly string[], options: FileDatasetOptions & { labels?: readonly Label[]; classes?: readonly string[] } = {}) {
    if (!Array.isArray(files)) throw new TypeError(`files must be an array of paths or URLs, got ${describe(files)}`);
    checkLength(files.length, "files.length");
    if (files.length > 2 ** 32 - 1 || !files.every((f) => typeof f === "string" && f !== ""))
      throw new TypeError(`files must be an array of paths or URLs, got ${describe(files)}`);
    this.files = [...files];
    this.labels = checkLabels(options.labels, files.length);
    this.classes = options.classes ? [...options.classes] : null;
    this.mode = checkMode(options.mode ?? "RGB", "mode");
  }

  get length(): number {
    return this.files.length;
  }

  async get(index: number): Promise<Item> {
    const source = this.files[index];
    if (source === undefined) throw new RangeError(`index must be an integer in [0, ${this.files.length}), got ${describe(index)}`);
    const image = await readSource(source);
    return { image, source, label: this.labels ? this.labels[index]! : null, mode: this.mode };
  }

  workerSpec(): DatasetSpec {
    return { kind: "files", files: [...this.files], labels: this.labels ? [...this.labels] : null, mode: this.mode };
  }
}

const IMAGE_EXT = /\.(png|jpe?g|bmp|gif|tiff?)$/i;

/**
 * A folder of class sub-folders, like torchvision's `ImageFolder`: `root/<class>/**.png|jpg|...`,
 * decoded to RGB by default (ImageFolder's `.convert("RGB")`).
 * Classes are the sorted sub-folder names and labels their positions; files are sorted, so
 * indices never depend on directory order. Node, Deno and Bun (reads the file system).
 */
export async function imageFolder(root: string, options: FileDatasetOptions = {}): Promise<FileDataset> {
  const { readdir } = await import("node:fs/promises");
  const { join } = await import("node:path");
  const entries = await readdir(root, { withFileTypes: true }).catch((e: unknown) => {
    throw new Error(`imageFolder: cannot read ${root}: ${(e as Error).message}`);
  });
  const classes = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  if (classes.length === 0) throw new Error(`imageFolder: ${root} has no class sub-folders (expected root/<class>/<image>)`);
  const files: string[] = [];
  const labels: number[] = [];
  const walk = async (dir: string, label: number): Promise<void> => {
    for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p, label);
      else if (IMAGE_EXT.test(e.name)) {
        files.push(p);
        labels.push(label);
      }
    }
  };
  for (const [label, c] of classes.entries()) await walk(join(root, c), label);
  if (files.length === 0) throw new Error(`imageFolder: no image files (.png, .jpg, .jpeg, .bmp, .gif, .tif, .tiff) under ${root}`);
  return new FileDataset(files, { ...options, labels, classes });
}

/**
 * A JSONL manifest, one sample a line: `{"path": "cats/1.jpg", "label": 0}` (`label` optional; a
 * number, a string or null). Relative paths are relative to the manifest's folder.
 */
export async function manifestDataset(path: string, options: FileDatasetOptions = {}): Promise<FileDataset> {
  const text = new TextDecoder().decode(await readSource(path));
  const base = new URL(
    ".",
    /^[a-z][a-z0-9+.-]*:/i.test(path) ? path : (await import("node:url")).pathToFileURL((await import("node:path")).resolve(path)),
  );
  const files: string[] = [];
  const labels: Label[] = [];
  const lines = text.split("\n");
  for (const [i, line] of lines.entries()) {
    if (line.trim() === "") continue;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      throw new SyntaxError(`${path}:${i + 1}: not valid JSON`);
    }
    const rec = o as { path?: unknown; label?: unknown };
    if (typeof o !== "object" || o === null || typeof rec.path !== "string" || rec.path === "") {
      throw new TypeError(`${path}:${i + 1}: expected {"path": "...", "label": ...}, got ${describe(o)}`);
    }
    const label = rec.label ?? null;
    if (label !== null && typeof label !== "number" && typeof label !== "string")
      throw new TypeError(`${path}:${i + 1}: label must be a number, a string or null, got ${describe(label)}`);
    const url = new URL(rec.path, base);
    files.push(url.protocol === "file:" ? (await import("node:url")).fileURLToPath(url) : url.href);
    labels.push(label);
  }
  if (files.length === 0) throw new Error(`${path}: the manifest lists no samples`);
  return new FileDataset(files, { ...options, labels });
}

/**
 * A dataset made by a module, so workers can build it too: `url` is imported (in each worker and
 * on the main thread) and `module[exportName](args)` must return a {@link Dataset}. `args` must
 * survive structured cloning.
 */
export async function moduleDataset(url: string | URL, args: unknown = null, exportName = "default"): Promise<Dataset> {
  const href = String(url);
  const ds = await buildModuleDataset(href, exportName, args);
  const spec: DatasetSpec = { kind: "module", url: href, exportName, args };
  return {
    get length() {
      return ds.length;
    },
    get: (i) => ds.get(i),
    workerSpec: () => spec,
  };
}

async function buildModuleDataset(url: string, exportName: string, args: unknown): Promise<Dataset> {
  const m = (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
  const make = m[exportName];
  if (typeof make !== "function") throw new TypeError(`moduleDataset: ${url} has no function export ${JSON.stringify(exportName)}`);
  return checkDataset(await (make as (a: unknown) => Dataset | Promise<Dataset>)(args));
}

/** Rebuilds a dataset from its {@link DatasetSpec} (in a worker). */
export async function datasetFromSpec(spec: DatasetSpec): Promise<Dataset> {
  if (spec.kind === "files") return new FileDataset(spec.files, { labels: spec.labels ?? undefined, mode: spec.mode ?? "RGB" });
  if (spec.kind === "module") return buildModuleDataset(spec.url, spec.exportName, spec.args);
  throw new TypeError(`unknown dataset spec ${describe((spec as { kind?: unknown }).kind)}`);
}
