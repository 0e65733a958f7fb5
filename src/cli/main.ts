#!/usr/bin/env node
// lockstep's command line: `augment` writes seeded outputs and a manifest; `verify` recomputes it.
import { run, UsageError } from "./run.js";

export { defaultPipeline } from "./run.js";

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    console.error(`lockstep: ${message}${e instanceof UsageError ? "\nrun `lockstep --help` for usage" : ""}`);
    process.exit(2);
  },
);
