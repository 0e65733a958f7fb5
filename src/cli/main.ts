#!/usr/bin/env node
// lockstep's command line: `augment` writes seeded outputs and a manifest; `verify` recomputes it.
import { run } from "./run.js";

export { defaultPipeline } from "./run.js";

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`lockstep: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  },
);
