// The worker entry: loads the kernel from the posted WebAssembly.Module, rebuilds the pipeline
// from JSON and the dataset from its spec, then computes batches with processBatch.
import { init } from "../kernel/instance.js";
import { workerPort } from "../platform/workers.js";
import { fromJSON } from "../transforms/index.js";
import type { Transform } from "../transforms/base.js";
import { datasetFromSpec, type Dataset } from "./dataset.js";
import { decodersOf, processBatch, type Fetch } from "./process.js";
import { decode } from "../io/decode.js";
import type { FromWorker, ToWorker } from "./protocol.js";
import { Spares } from "./recycle.js";

// No top-level await: bundlers that emit workers as classic scripts (Vite's default) refuse it.
// Messages that arrive before the handler is attached wait in the port's queue.
const port = workerPort();
const send = (m: FromWorker, transfer?: Transferable[]) => void port.then((p) => p.post(m, transfer));
let pipeline: Transform | undefined;
let dataset: Dataset | null = null;
let queue: Promise<void> = Promise.resolve();
const decoders = decodersOf(decode);
/** Batch buffers the loader gave back (the user released them): the next batches of their size go there. */
const spares = new Spares(2);

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function handle(m: ToWorker): Promise<void> {
  if (m.type === "init") {
    try {
      await init({ module: m.module });
      pipeline = fromJSON(m.pipeline);
      dataset = m.dataset ? await datasetFromSpec(m.dataset) : null;
      send({ type: "ready" });
    } catch (e) {
      send({ type: "init-error", message: message(e) });
    }
    return;
  }
  try {
    if (!pipeline) throw new Error("worker got a task before init");
    if (m.spare) spares.keep(m.spare);
    const items = m.items;
    const fetch: Fetch = items
      ? (index) => {
          const got = items[m.task.indices.indexOf(index)]!;
          if ("error" in got) throw new Error(got.error);
          return got.item;
        }
      : (index) => dataset!.get(index);
    const result = await processBatch(m.task, pipeline, fetch, async () => decoders, spares.take);
    send({ type: "result", id: m.id, result }, [result.buffer]);
  } catch (e) {
    send({ type: "task-error", id: m.id, message: message(e) });
  }
}

// One message at a time, in arrival order.
void port.then((p) =>
  p.onMessage((m) => {
    queue = queue.then(() => handle(m as ToWorker));
  }),
);
