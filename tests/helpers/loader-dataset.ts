// A dataset for the loader tests, built by moduleDataset in the main thread and in every
// worker: synthetic images of a few sizes, with artificial random delays (Math.random: the
// scheduling must not matter), and injected faults.
import { existsSync, unlinkSync } from "node:fs";
import { exitWorker } from "../../src/platform/workers.js";
import type { Dataset, Item } from "../../src/data/index.js";
import { synthetic } from "./recipes.js";

export interface TestDatasetArgs {
  length: number;
  /** Max random delay per get, in ms. */
  delayMs?: number;
  /** get(index) throws for these indices. */
  throwAt?: number[];
  /** get(index) never settles for these indices (a hung read). */
  hangAt?: number[];
  /** These indices return bytes that are not an image (a decode error). */
  corruptAt?: number[];
  /** The worker exits while reading this index... */
  crashAt?: number;
  /** ...only while this file exists (deleted before crashing, so the retry succeeds); always when absent. */
  crashFlag?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export default function create(args: TestDatasetArgs): Dataset {
  return {
    length: args.length,
    async get(index: number): Promise<Item> {
      if (args.delayMs) await sleep(Math.random() * args.delayMs);
      if (args.throwAt?.includes(index)) throw new Error(`injected read failure at ${index}`);
      if (args.hangAt?.includes(index)) await new Promise(() => {});
      if (index === args.crashAt) {
        if (args.crashFlag === undefined) exitWorker(3);
        else if (existsSync(args.crashFlag)) {
          unlinkSync(args.crashFlag);
          exitWorker(3);
        }
      }
      const source = `synthetic-${index}.png`;
      if (args.corruptAt?.includes(index)) return { image: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]), source, label: index % 3 };
      const w = 40 + (index % 5) * 7;
      const h = 30 + (index % 3) * 11;
      return { image: synthetic(w, h, 3, index), source, label: index % 3 };
    },
  };
}
