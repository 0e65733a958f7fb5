// Bundled for Chromium by tests/loader-browser.test.ts: runs the same Loader as Node (Web Workers
// instead of worker_threads) and returns one hash per batch. No node: imports here.
import { Compose, RandomResizedCrop, RandomHorizontalFlip, RandomCrop, ToTensor, Normalize, type Image } from "../../src/index.js";
import { Loader, ArrayDataset, FileDataset, type Dataset } from "../../src/data/index.js";
import { liveWorkers } from "../../src/platform/workers.js";
import { decode } from "../../src/io/index.js";

/** The same bytes as tests/helpers/recipes.ts's synthetic(). */
export function synthetic(width: number, height: number, channels: 1 | 3 | 4 = 3, salt = 0): Image {
  const data = new Uint8Array(width * height * channels);
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761 + salt * 40503) >>> 24;
  return { width, height, channels, data };
}

/** The configurations the test runs in both Node and Chromium. */
export const CONFIGS = {
  memory: {
    dataset: () => new ArrayDataset(Array.from({ length: 11 }, (_, i) => synthetic(30 + 3 * i, 40 - i, 3, i)), Array.from({ length: 11 }, (_, i) => i % 2)),
    pipeline: () => new Compose([new RandomCrop(20, { padIfNeeded: true }), new RandomHorizontalFlip(), new ToTensor(), new Normalize([0.5, 0.5, 0.5], [0.25, 0.25, 0.25])]),
    options: { batchSize: 4, shuffle: true, seed: 21, epoch: 1 },
  },
  files: {
    dataset: (files: string[]) => new FileDataset(files, { labels: files.map((_, i) => i) }),
    pipeline: () => new Compose([new RandomResizedCrop(32), new RandomHorizontalFlip(), new ToTensor(), new Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])]),
    options: { batchSize: 1, shuffle: true, seed: 7, epoch: 0 },
  },
} as const;

export type ConfigName = keyof typeof CONFIGS;

/** Hex SHA-256 with Web Crypto (Node has it too). */
async function sha256(data: ArrayBufferView): Promise<string> {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** One line per batch: indices, labels, shape, hash. */
export async function runConfig(name: ConfigName, opts: { workers: number; files?: string[]; module?: WebAssembly.Module; workerUrl?: string }): Promise<string[]> {
  const c = CONFIGS[name];
  const dataset: Dataset = name === "files" ? CONFIGS.files.dataset(opts.files ?? []) : CONFIGS.memory.dataset();
  const loader = new Loader(dataset, { ...c.options, pipeline: c.pipeline(), workers: opts.workers, prefetch: 3, module: opts.module, workerUrl: opts.workerUrl, decode });
  const out: string[] = [];
  try {
    for await (const b of loader) out.push(`${b.batch}|${b.indices.join(",")}|${b.labels.join(",")}|${b.shape?.join("x")}|${await sha256(b.data)}`);
  } finally {
    await loader.close();
  }
  return out;
}

// In the page: window.runLoader(name, workers, files) with the kernel from ./lockstep.wasm and the
// worker bundle ./worker.js.
const g = globalThis as unknown as { document?: unknown; runLoader?: unknown; liveWorkers?: unknown };
if (g.document !== undefined) {
  const module = WebAssembly.compileStreaming(fetch(new URL("./lockstep.wasm", location.href)));
  g.runLoader = async (name: ConfigName, workers: number, files: string[]) => runConfig(name, { workers, files, module: await module, workerUrl: new URL("./worker.js", location.href).href });
  g.liveWorkers = liveWorkers;
}
