// A Loader worker entry without lockstep/io (no decoder, so it boots in milliseconds): the same
// protocol as src/data/worker.ts, built from dist/. For tests whose subject is the main thread's
// side (the pool, stopping workers) and whose items are decoded images.
import { init } from "../../dist/kernel/instance.js";
import { workerPort } from "../../dist/platform/workers.js";
import { fromJSON } from "../../dist/transforms/index.js";
import { processBatch } from "../../dist/data/process.js";

const port = await workerPort();
let pipeline;
let queue = Promise.resolve();
const message = (e) => (e instanceof Error ? e.message : String(e));

async function handle(m) {
  if (m.type === "init") {
    try {
      await init({ module: m.module });
      pipeline = fromJSON(m.pipeline);
      port.post({ type: "ready" });
    } catch (e) {
      port.post({ type: "init-error", message: message(e) });
    }
    return;
  }
  try {
    const items = m.items;
    const fetch = (index) => {
      const got = items[m.task.indices.indexOf(index)];
      if ("error" in got) throw new Error(got.error);
      return got.item;
    };
    const result = await processBatch(m.task, pipeline, fetch, async () => {
      throw new Error("this test worker has no decoder");
    });
    port.post({ type: "result", id: m.id, result }, [result.buffer]);
  } catch (e) {
    port.post({ type: "task-error", id: m.id, message: message(e) });
  }
}

port.onMessage((m) => {
  queue = queue.then(() => handle(m));
});
