// Runs the command line (src/cli/main.ts through tsx) from the repository root, as the CLI tests call it.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

/** The repository's samples/ folder (with a trailing slash). */
export const samples = fileURLToPath(new URL("../../samples/", import.meta.url));

/** `lockstep ...args`: the exit code, stdout and stderr. */
export function lockstep(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", cli, ...args], {
    encoding: "utf8",
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
