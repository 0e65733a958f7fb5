// Faults: a sample that fails to read or decode names its index and file and stops the loader
// cleanly, or is skipped the same way on every run; a crashed worker is reported and its batch
// retried or failed, never a hang; close() and breaking out leave no worker running.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, writeFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ready } from "../src/index.js";
import { Loader, moduleDataset, SampleError, WorkerCrashError, type WorkerCrash } from "../src/data/index.js";
import { liveWorkers } from "../src/platform/workers.js";
import { datasetUrl, epochKeys, rejects, smallTrain } from "./helpers/loader-util.js";

await ready();
const dir = mkdtempSync(join(tmpdir(), "lockstep-faults-"));
const opts = { pipeline: smallTrain(), batchSize: 4, seed: 5 };
const clean = await epochKeys(new Loader(await moduleDataset(datasetUrl, { length: 12 }), opts));

test("a corrupt file stops the loader with an error naming the index and the file (inline and in a worker)", async () => {
  const ds = await moduleDataset(datasetUrl, { length: 12, corruptAt: [6] });
  for (const workers of [0, 1]) {
    const loader = new Loader(ds, { ...opts, workers });
    const seen: number[] = [];
    const e = await rejects(
      (async () => {
        for await (const b of loader) seen.push(b.batch);
      })(),
      /sample 6 \(synthetic-6\.png\) failed to decode in batch 1 of epoch 0: decode:/,
    );
    assert.ok(e instanceof SampleError);
    assert.is((e as SampleError).index, 6);
    assert.is((e as SampleError).source, "synthetic-6.png");
    assert.equal(seen, [0]);
    assert.is(liveWorkers(), 0, "the error terminated the workers");
    await loader.close();
  }
});

test("onError: 'skip' leaves failing samples out and records them, identically inline and in a worker", async () => {
  const ds = await moduleDataset(datasetUrl, { length: 12, corruptAt: [6], throwAt: [9] });
  const runs = [];
  for (const workers of [0, 1]) {
    const loader = new Loader(ds, { ...opts, workers, onError: "skip" });
    const keys = await epochKeys(loader);
    runs.push({ keys, skipped: loader.skipped.map((s) => `${s.epoch}/${s.batch}:${s.index}:${s.stage}:${s.source}`) });
    await loader.close();
  }
  assert.equal(runs[1], runs[0]);
  assert.equal(runs[0]!.skipped, ["0/1:6:decode:synthetic-6.png", "0/2:9:read:null"]);
  assert.match(runs[0]!.keys[1]!, /^1\|4,5,7\|/);
  assert.is(runs[0]!.keys[0], clean[0]);
  assert.is(runs[0]!.keys[1]!.split("|")[3], "3x3x24x24");
});

test("a worker that crashes is reported, replaced, and its batch retried with the same bytes", async () => {
  const flag = join(dir, "crash-once");
  writeFileSync(flag, "");
  const ds = await moduleDataset(datasetUrl, { length: 12, crashAt: 5, crashFlag: flag });
  const crashes: WorkerCrash[] = [];
  const loader = new Loader(ds, { ...opts, workers: 1, prefetch: 3, onWorkerCrash: (c) => crashes.push(c) });
  assert.equal(await epochKeys(loader), clean);
  assert.not.ok(existsSync(flag));
  assert.is(crashes.length, 1);
  assert.is(crashes[0]!.batch, 1);
  assert.equal(crashes[0]!.indices, [4, 5, 6, 7]);
  assert.ok(crashes[0]!.retried);
  assert.match(crashes[0]!.message, /exited with code 3/);
  await loader.close();
  assert.is(liveWorkers(), 0);
});

test("a batch whose worker crashes every time fails with WorkerCrashError (no hang), and no worker is left", async () => {
  const ds = await moduleDataset(datasetUrl, { length: 12, crashAt: 9 });
  const crashes: WorkerCrash[] = [];
  const loader = new Loader(ds, { ...opts, workers: 1, retries: 1, onWorkerCrash: (c) => crashes.push(c) });
  const seen: number[] = [];
  const e = await rejects(
    (async () => {
      for await (const b of loader) seen.push(b.batch);
    })(),
    /a worker crashed while computing batch 2 \(dataset indices 8, 9, 10, 11\): the worker exited with code 3/,
  );
  assert.ok(e instanceof WorkerCrashError);
  assert.equal(seen, [0, 1]);
  assert.equal(
    crashes.map((c) => c.retried),
    [true, false],
  );
  assert.equal(loader.crashes, crashes);
  assert.is(liveWorkers(), 0);
});

test("breaking out of the loop terminates every worker; close() too; a closed loader refuses to run", async () => {
  const ds = await moduleDataset(datasetUrl, { length: 24, delayMs: 2 });
  const loader = new Loader(ds, { ...opts, workers: 2, prefetch: 6 });
  for await (const b of loader) {
    assert.is(liveWorkers(), 2);
    if (b.batch === 1) break;
  }
  assert.is(liveWorkers(), 0);
  assert.equal(loader.state().batch, 2); // a later loop (with new workers) goes on from batch 2
  await loader.close();
  assert.is(liveWorkers(), 0);
  await rejects(
    (async () => {
      for await (const _ of loader) break;
    })(),
    /closed; make a new Loader/,
  );
});

test("a worker entry that does not exist fails fast instead of hanging", async () => {
  const ds = await moduleDataset(datasetUrl, { length: 4 });
  const loader = new Loader(ds, { ...opts, workers: 1, workerUrl: new URL("./helpers/no-such-worker.js", import.meta.url) });
  await rejects(epochKeys(loader), /lockstep loader: (a worker crashed|workers keep failing)/);
  await loader.close();
  assert.is(liveWorkers(), 0);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
