// The command line as a fuzz target: argument vectors drawn from a vocabulary of flags and
// values, run in a scratch folder (relative --out paths land there) on one tiny image.
import fc from "fast-check";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../src/cli/run.js";
import { encodePng } from "../../src/io/index.js";
import type { Target } from "./targets.js";

/** The scratch folder the CLI target writes into (remove it when done). */
export const scratch = mkdtempSync(join(tmpdir(), "lockstep-fuzz-cli-"));
const photos = join(scratch, "photos");
mkdirSync(photos);
writeFileSync(join(photos, "a.png"), await encodePng({ width: 12, height: 9, channels: 3, data: new Uint8Array(12 * 9 * 3).fill(90) }));
writeFileSync(join(scratch, "pipe.json"), JSON.stringify({ type: "Compose", transforms: [{ type: "RandomCrop", size: 6 }, { type: "ToTensor" }] }));
writeFileSync(join(scratch, "bad.json"), '{"type":"Compose","transforms":[{"type":"RandomCrop","size":0}]}');
writeFileSync(join(scratch, "evil.jsonl"), '{"kind":"header","pipeline":{"type":"Compose","transforms":[]}}\n{"kind":"sample","input":"../../../../etc/passwd","output":"/dev/zero","seed":0,"epoch":0,"index":0,"params":[],"shape":[1],"dtype":"uint8","sha256":"x"}\n');
let outs = 0;

const value = fc.constantFrom("0", "1", "2", "-1", "1e9", "NaN", "", "abc", "3.5", photos, join(scratch, "pipe.json"), join(scratch, "bad.json"), join(scratch, "nope"), "out-a", "out-b");
const flag = fc.constantFrom("--seed", "--epochs", "--workers", "--pipeline", "--out", "--overwrite", "--bogus", "-h");
const word = fc.oneof(flag, value, fc.constantFrom("augment", "verify", "help", join(scratch, "evil.jsonl")));

export const cli: Target = {
  name: "lockstep <argv>",
  args: fc.tuple(fc.constantFrom("augment", "verify", "help", "frobnicate"), fc.array(word, { maxLength: 7 })),
  call: async ([command, rest]) => {
    // A fresh --out for every run (inside the scratch folder): --epochs 1e9 would never end, so
    // epochs are capped by the vocabulary's "2" unless refused.
    const args = [command as string, ...(rest as string[])].map((a) => (a === "out-a" || a === "out-b" ? join(scratch, `${a}-${outs++}`) : a));
    const epochs = args.indexOf("--epochs");
    if (epochs >= 0 && args[epochs + 1] === "1e9") args[epochs + 1] = "2";
    if (args[0] === "augment" && !args.includes("--out")) args.push("--out", join(scratch, `out-${outs++}`));
    // Never the bundled photos (seconds of real work per case): always the one tiny image.
    if (args[0] === "augment") args.push(photos);
    const lines: string[] = [];
    const code = await run(args, (l) => lines.push(l));
    if (lines.some((l) => /root:|\0/.test(l))) throw new Error("the CLI printed the contents of a file outside the manifest's folder");
    return code;
  },
  ms: 30_000,
  names: /--|lockstep|usage|manifest|pipeline|input|output|image|folder|file|\$|seed|epoch|decode|option|argument|verify|augment|command/i,
  allowed: (e) => !(e instanceof TypeError && /Cannot read|is not a function/.test(e.message)),
};
