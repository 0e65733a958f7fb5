// The JavaScript answers the Python tests compare with, computed in the same test run (the
// TypeScript sources through tsx). Reads one JSON request on stdin, writes one JSON answer.
//   { "op": "toJSON", "pipelines": [json...] }       -> [{ json: JSON.stringify(fromJSON(p).toJSON()) } | { error }]
//   { "op": "generator", "seed", "calls", "draws" }  -> { keys: nextKey() x calls, draws: random() x draws, state }
//   { "op": "apply", "pipeline", "image": {width, height, channels, base64}, "keys": [{seed, epoch, index}] }
//                                                    -> [{ params, sha256, shape }]
import { createHash } from "node:crypto";
import * as lockstep from "../../../src/index.js";
import { registerLambdas } from "../../../tests/conformance/compute.js";

const { Generator, fromJSON, ready } = lockstep;

const chunks: Buffer[] = [];
for await (const c of process.stdin) chunks.push(c as Buffer);
const req = JSON.parse(Buffer.concat(chunks).toString("utf8"));
await ready();
registerLambdas(lockstep as never); // the conformance pipelines' Lambdas, as in Python's runner

const name = (e: unknown) => (e as Error)?.constructor?.name ?? "Error";
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
  const img = { width: req.image.width, height: req.image.height, channels: req.image.channels, data: new Uint8Array(Buffer.from(req.image.base64, "base64")) };
  answer = (req.keys as { seed: string; epoch: number; index: number }[]).map((k) => {
    const { output, record } = p.applyWithRecord(img as never, { seed: BigInt(k.seed), epoch: k.epoch, index: k.index });
    const bytes = new Uint8Array(output.data.buffer, output.data.byteOffset, output.data.byteLength);
    const shape = "shape" in output ? output.shape : [output.height, output.width, output.channels];
    return { params: record.params, record: JSON.stringify(record), sha256: createHash("sha256").update(bytes).digest("hex"), shape };
  });
} else {
  throw new Error(`unknown op ${req.op}`);
}
process.stdout.write(JSON.stringify(answer));
