#!/usr/bin/env node
// Runs the whole uvu suite (TypeScript through tsx) and ends with one line:
// "N passed, N failed". Exits non-zero on any failure or crash.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";

if (!existsSync(new URL("../build/lockstep.wasm", import.meta.url))) {
  console.error("build/lockstep.wasm is missing: run `npm run build` (npm ci does it) first");
  process.exit(1);
}

// `npm test -- color` runs the test files whose names match "color", never a fixture beside them.
const pattern = process.argv[2] ? `^(?=.*\\.test\\.ts$).*?(?:${process.argv[2]})` : "\\.test\\.ts$";
const child = spawn(process.execPath, ["node_modules/uvu/bin.js", "tests", pattern, "--color", "false"], {
  cwd: new URL("..", import.meta.url),
  env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import tsx`.trim(), FORCE_COLOR: "0" },
  stdio: ["ignore", "pipe", "inherit"],
});

let log = "";
child.stdout.on("data", (d) => {
  log += d;
  process.stdout.write(d);
});
child.on("close", (code) => {
  const total = Number(/Total:\s+(\d+)/.exec(log)?.[1] ?? 0);
  const passed = Number(/Passed:\s+(\d+)/.exec(log)?.[1] ?? 0);
  const skipped = Number(/Skipped:\s+(\d+)/.exec(log)?.[1] ?? 0);
  // A crash before uvu's summary counts as one failure, never as a pass.
  const failed = Math.max(total - passed - skipped, code === 0 ? 0 : 1);
  console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  process.exit(failed > 0 || code !== 0 || total === 0 ? 1 : 0);
});
