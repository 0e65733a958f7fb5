// Node side of bench/python.py: the training recipe on one 500x375 RGB image with `out`. For each
// line read on stdin it measures for <seconds> and prints images per second (JSON), so the Python
// side can interleave its own rounds with these on a shared machine.
// Usage: node --import tsx bench/python_node.ts <raw HWC file> <seconds>
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { Compose, Normalize, RandomHorizontalFlip, RandomResizedCrop, ToTensor, ready } from "../src/index.js";

await ready();
const data = new Uint8Array(readFileSync(process.argv[2]!));
const seconds = Number(process.argv[3] ?? 2);
const img = { width: 500, height: 375, channels: 3 as const, data };
const recipe = new Compose([
  new RandomResizedCrop(224),
  new RandomHorizontalFlip(),
  new ToTensor(),
  new Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
]);
const out = new Float32Array(3 * 224 * 224);
for (let i = 0; i < 50; i++) recipe.apply(img, { seed: 1, index: i, out });
console.log(JSON.stringify({ ready: true }));
for await (const _ of createInterface({ input: process.stdin })) {
  let n = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  while (performance.now() - t0 < seconds * 1000) recipe.apply(img, { seed: 1, index: n++, out });
  const c = process.cpuUsage(c0);
  console.log(
    JSON.stringify({ imagesPerSecond: n / ((performance.now() - t0) / 1000), imagesPerCpuSecond: n / ((c.user + c.system) / 1e6) }),
  );
}
