// The JavaScript answers the Python tests compare with, computed in the same test run (the
// TypeScript sources through tsx). Reads one JSON request on stdin, writes one JSON answer.
//   { "op": "toJSON", "pipelines": [json...] }       -> [{ json: JSON.stringify(fromJSON(p).toJSON()) } | { error }]
//   { "op": "generator", "seed", "calls", "draws" }  -> { keys: nextKey() x calls, draws: random() x draws, state }
//   { "op": "apply", "pipeline", "image": {width, height, channels, base64}, "keys": [{seed, epoch, index}] }
//                                                    -> [{ params, record, sha256, shape }]
//   { "op": "replay", "pipeline", "image", "records": [record...] }
//                                                    -> [{ sha256, shape } | { error }]
//   { "op": "functional", "images": [image...], "calls": [{ image, name, args, opts }] }
//                                                    -> [{ sha256, shape } | { error }]: F[name](images[image], ...args, opts)
//   { "op": "mix", "transform": json, "images": {shape, base64 of float32 NCHW}, "labels", "keys": [{seed, epoch, batch}] }
//                                                    -> [{ params, images: { sha256, shape }, labels: { sha256, shape } } | { error }]
import { createHash } from "node:crypto";
import * as lockstep from "../../../src/index.js";
import { registerLambdas } from "../../../tests/conformance/compute.js";

const { Generator, fromJSON, ready, F } = lockstep;

const chunks: Buffer[] = [];
for await (const c of process.stdin) chunks.push(c as Buffer);
const req = JSON.parse(Buffer.concat(chunks).toString("utf8"));
await ready();
registerLambdas(lockstep as never); // the conformance pipelines' Lambdas, as in Python's runner

const name = (e: unknown) => (e as Error)?.constructor?.name ?? "Error";
type Out = { data: Uint8Array | Float32Array; shape?: number[]; width?: number; height?: number; channels?: number };
const image = (i: { width: number; height: number; channels: number; base64: string }) => ({ width: i.width, height: i.height, channels: i.channels, data: new Uint8Array(Buffer.from(i.base64, "base64")) });
const digest = (output: Out) => {
  const bytes = new Uint8Array(output.data.buffer, output.data.byteOffset, output.data.byteLength);
  const shape = output.shape ?? [output.height, output.width, output.channels];
  return { sha256: createHash("sha256").update(bytes).digest("hex"), shape };
};
const attempt = (fn: () => Out) => {
  try {
    return digest(fn());
  } catch (e) {
    return { error: name(e), message: String((e as Error).message) };
  }
};
let answer: unknown;
if (req.op === "toJSON") {
  answer = (req.pipelines as unknown[]).map((p) => {
    try {
      return { json: JSON.stringify(fromJSON(p as never).toJSON()) };
    } catch (e) {
      return { error: name(e), message: String((e as Error).message) };
    }
  });
} else if (req.op === "generator") {
  const g = new Generator(BigInt(req.seed));
  const keys = Array.from({ length: req.calls }, () => g.nextKey());
  const draws = Array.from({ length: req.draws }, () => g.random());
  answer = { keys, draws, state: g.getState() };
} else if (req.op === "apply") {
  const p = fromJSON(req.pipeline);
  const img = image(req.image);
  answer = (req.keys as { seed: string; epoch: number; index: number }[]).map((k) => {
    const { output, record } = p.applyWithRecord(img as never, { seed: BigInt(k.seed), epoch: k.epoch, index: k.index });
    return { params: record.params, record: JSON.stringify(record), ...digest(output as Out) };
  });
} else if (req.op === "replay") {
  const p = fromJSON(req.pipeline);
  const img = image(req.image);
  answer = (req.records as never[]).map((r) => attempt(() => p.replay(img as never, r) as Out));
} else if (req.op === "functional") {
  const imgs = (req.images as Parameters<typeof image>[0][]).map(image);
  const fns = F as unknown as Record<string, (...a: unknown[]) => Out>;
  answer = (req.calls as { image: number; name: string; args: unknown[]; opts: object }[]).map((c) => attempt(() => fns[c.name]!(imgs[c.image], ...c.args, c.opts)));
} else if (req.op === "mix") {
  const t = lockstep.batchTransformFromJSON(req.transform);
  const raw = Buffer.from(req.images.base64, "base64");
  const data = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  answer = (req.keys as { seed: string; epoch: number; batch: number }[]).map((k) => {
    try {
      const { output, record } = t.applyWithRecord({ images: { shape: req.images.shape, data }, labels: req.labels }, { seed: BigInt(k.seed), epoch: k.epoch, batch: k.batch });
      return { params: record.params, images: digest(output.images as Out), labels: digest(output.labels as Out) };
    } catch (e) {
      return { error: name(e), message: String((e as Error).message) };
    }
  });
} else {
  throw new Error(`unknown op ${req.op}`);
}
process.stdout.write(JSON.stringify(answer));
