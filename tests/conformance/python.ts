// The Python host's row of the conformance matrix: the whole vector file through lockstep for
// Python (python/, the same build/lockstep.wasm under wasmtime), with the venv .ci/run makes.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT, VECTORS, run, type Row } from "./platforms.js";
import type { Summary } from "./compute.js";

const PYTHON = process.env.LOCKSTEP_PYTHON ?? join(ROOT, ".venv/bin/python");

/** Python 3 + wasmtime: python/tests/conformance_runner.py prints the row's summary as its last line. */
export async function python(): Promise<Row> {
  if (!existsSync(PYTHON)) {
    throw new Error(`python cannot start: ${PYTHON} is missing; python3 -m venv .venv && .venv/bin/pip install './python[torch]' pytest Pillow 'torchvision==0.28.*' (.ci/run does this)`);
  }
  const t0 = performance.now();
  const { stdout } = await run(PYTHON, [join(ROOT, "python/tests/conformance_runner.py"), VECTORS], { timeoutMs: 300_000 });
  const line = stdout.trim().split("\n").pop() ?? "";
  let s: Summary;
  try {
    s = JSON.parse(line) as Summary;
  } catch {
    throw new Error(`the Python runner printed no summary; its output ended with:\n${stdout.slice(-2000)}`);
  }
  return { ...s, wallMs: Math.round(performance.now() - t0) };
}
