// A health check for the kernel: a spread of conformance cases (tests/conformance/vectors.json,
// the committed golden hashes) recomputed and compared. Run after a failure to prove that nothing
// it did (a trap, a hostile getter, a huge request) left the kernel giving different bytes.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fromJSON, type Image, type Tensor, type Transform } from "../../src/index.js";
import { decodeInputs, type Vectors } from "../conformance/compute.js";

interface HealthCase {
  name: string;
  pipeline: Transform;
  input: Image;
  seed: bigint;
  epoch: number;
  index: number;
  sha256: string;
}

const vectors = JSON.parse(readFileSync(new URL("../conformance/vectors.json", import.meta.url), "utf8")) as Vectors;
const inputs = decodeInputs(vectors);

/** Up to `n` cases spread over the vector file: different transforms, inputs and keys (no Lambdas: they need registration). */
export function healthCases(n = 16): HealthCase[] {
  const usable = vectors.cases.filter((c) => c.sha256 !== undefined && !JSON.stringify(vectors.pipelines[c.pipeline]!.json).includes("Lambda"));
  const step = Math.max(1, Math.floor(usable.length / n));
  const out: HealthCase[] = [];
  for (let i = 0; i < usable.length && out.length < n; i += step) {
    const c = usable[i]!;
    const p = vectors.pipelines[c.pipeline]!;
    out.push({ name: `${p.name}/${c.input}/${c.seed}:${c.epoch}:${c.index}`, pipeline: fromJSON(p.json as never), input: inputs.get(c.input)!, seed: BigInt(c.seed), epoch: Number(c.epoch), index: Number(c.index), sha256: c.sha256! });
  }
  return out;
}

function hash(x: Image | Tensor): string {
  const d = x.data;
  return createHash("sha256").update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)).digest("hex");
}

/** The names of the cases whose bytes are no longer the committed ones (empty: healthy). */
export function unhealthy(cases: HealthCase[]): string[] {
  const bad: string[] = [];
  for (const c of cases) {
    let got: string;
    try {
      got = hash(c.pipeline.apply(c.input, { seed: c.seed, epoch: c.epoch, index: c.index }));
    } catch (e) {
      got = `threw ${(e as Error).message}`;
    }
    if (got !== c.sha256) bad.push(`${c.name}: ${got.slice(0, 16)} != ${c.sha256.slice(0, 16)}`);
  }
  return bad;
}
