// Node worker_threads runner: computes the vectors in a worker and posts the summary.
import { parentPort, workerData } from "node:worker_threads";
import { readFileSync } from "node:fs";
import * as lockstep from "../../../src/index.js";
import { decode } from "../../../src/io/index.js";
import { runVectors, type Lockstep, type Vectors } from "../compute.js";

await lockstep.ready();
const vectors = JSON.parse(readFileSync(workerData.vectors, "utf8")) as Vectors;
parentPort!.postMessage(await runVectors({ ...lockstep, decode } as unknown as Lockstep, vectors, { platform: "node worker_threads", backend: workerData.backend }));
