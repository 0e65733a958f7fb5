// Lambda (user JavaScript) on the GPU backend: it can never be a shader, so it is a host step.
// The runner reads the Lambda's input back after the GPU segment before it, runs the op on
// the host exactly as the wasm backend does (the same OpSpec.run: same stream, same checks),
// and uploads its output for the next segment. The batch still runs under backend "webgpu":
// every other op's pixels are computed on the GPU, one submission per segment ("auto" keeps
// such a batch on wasm: src/gpu/batch.ts).
import { opSpec } from "../../ir/ops.js";
import { defineGpuOp } from "../plan.js";

defineGpuOp("lambda", {
  lower(b, src, args, from, to) {
    const run = opSpec("lambda").run;
    return b.host(src, from, to, (x) => run(x, args));
  },
});
