// Runs in a worker_thread or a child process: hashes the outputs of recipes on synthetic inputs.
import { parentPort, workerData } from "node:worker_threads";
import { ready } from "../../src/index.js";
import { everything, hashOf, synthetic, train } from "./recipes.js";

export async function hashes(seed: number, n: number): Promise<string[]> {
  await ready();
  const img = synthetic(97, 61);
  const t = train();
  const e = everything();
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(hashOf(t.apply(img, { seed, index: i })), hashOf(e.apply(img, { seed, index: i, epoch: 2 })));
  return out;
}

if (parentPort) {
  parentPort.postMessage(await hashes(workerData.seed, workerData.n));
} else if (process.argv[2] === "--print") {
  console.log(JSON.stringify(await hashes(Number(process.argv[3]), Number(process.argv[4]))));
}
