// Messages between the loader and its workers (structured-clone data only).
import type { TransformJSON } from "../transforms/base.js";
import type { DatasetSpec, Item } from "./dataset.js";
import type { BatchResult, BatchTask } from "./process.js";

/** An item read on the main thread, or why reading it failed. */
export type PostedItem = { item: Item } | { error: string };

export type ToWorker =
  | { type: "init"; module: WebAssembly.Module; pipeline: TransformJSON; dataset: DatasetSpec | null }
  | {
      type: "task";
      id: number;
      task: BatchTask;
      items: PostedItem[] | null;
      /** A batch buffer the user gave back (transferred): the worker keeps it for a batch of its size. */
      spare?: ArrayBuffer;
    };

export type FromWorker =
  | { type: "ready" }
  | { type: "init-error"; message: string }
  | { type: "result"; id: number; result: BatchResult }
  | { type: "task-error"; id: number; message: string };
