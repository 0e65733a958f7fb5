// Child process of tests/loader-robust.test.ts: leaves `for await` loops over a Loader with
// workers, by `break` or by throwing, many times, printing a line after each. A process that
// ends before the last line lost the code after a loop (the event loop emptied while the
// loader was stopping its workers). The worker entry is plain JavaScript from dist/, which boots in
// milliseconds (tests/helpers/light-worker.mjs); the loader, pool and adapter under test are the sources.
import { ready, Loader, ArrayDataset, Compose, RandomResizedCrop, ToTensor } from "../../src/index.js";
import { synthetic } from "./recipes.js";

const [how = "break", times = "20"] = process.argv.slice(2);
await ready();
const ds = new ArrayDataset(Array.from({ length: 40 }, (_, i) => synthetic(64, 48, 3, i)));
const pipeline = new Compose([new RandomResizedCrop(16), new ToTensor()]);
const workerUrl = new URL("./light-worker.mjs", import.meta.url);
for (let i = 0; i < Number(times); i++) {
  try {
    for await (const b of new Loader(ds, { pipeline, batchSize: 8, seed: 3, workers: 4, workerUrl })) {
      if (how === "break") break;
      throw new Error(`thrown in the loop body at batch ${b.batch}`);
    }
  } catch (e) {
    if (!/thrown in the loop body/.test((e as Error).message)) throw e;
  }
  console.log(`after ${i}`);
}
