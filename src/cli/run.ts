// The command line's logic, apart from the process: main.ts runs it; tests and the fuzz suite call it.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { fromJSON, Compose, RandomResizedCrop, RandomHorizontalFlip, type Transform } from "../index.js";
import { augment, verify } from "./augment.js";
import { parseInteger, parseSeed } from "./args.js";
import type { DecodeMode } from "../io/index.js";

const root = new URL("../../", import.meta.url);
const USAGE = `usage:
  lockstep augment [images or folders...] [--pipeline file.json] [--seed N] [--epochs K]
                   [--start-epoch E] [--out DIR] [--workers N] [--mode RGB|RGBA|L|keep]
                   [--annotations coco.json] [--overwrite]
  lockstep verify <manifest.jsonl>
  lockstep --help | --version

augment writes every (epoch, image) output of a seeded pipeline and DIR/manifest.jsonl, which
verify recomputes. Without images it augments the bundled sample photos with an ImageNet-style
training pipeline (RandomResizedCrop 224, RandomHorizontalFlip).
  --pipeline     a pipeline as JSON (fromJSON's format); default: the training pipeline above
  --seed         an integer in [0, 2^64 - 1] (default 0); the same seed gives the same bytes
  --epochs       how many epochs to write (default 2)
  --start-epoch  the first epoch (default 0): --start-epoch 3 --epochs 2 writes epochs 3 and 4,
                 with the bytes they have in a run from epoch 0
  --out          the output folder (default ./out), which must be empty or new; written whole
                 at the end, so a run that fails leaves nothing behind. The inputs are copied
                 (hard-linked where possible) into DIR/inputs/: the folder is self-contained
  --overwrite    write into a non-empty --out (entries of the same names are replaced)
  --workers      worker threads (default 0); the outputs and the manifest are the same for any N
  --mode         decode inputs as Pillow's .convert(mode) (default RGB, as torchvision's
                 ImageFolder; keep: the file's own channels)
  --annotations  a COCO file: each image's boxes (and key points) move with it; writes
                 DIR/annotations.json (COCO) beside the manifest
A folder of class sub-folders (root/<class>/<image>, as torchvision's ImageFolder) labels each
entry with its class index; the manifest's header lists the classes (sorted).
Exit codes: 0 done (verify: every entry matches), 1 verify found mismatches, 2 an error.`;

/** A mistake in the command line itself: exit 2 with a pointer to --help. */
export class UsageError extends Error {}

/** The default pipeline of `lockstep augment`: the training recipe up to the image (so outputs are PNGs). */
export function defaultPipeline(): Transform {
  return new Compose([new RandomResizedCrop(224), new RandomHorizontalFlip()]);
}

async function version(): Promise<string> {
  return (JSON.parse(await readFile(new URL("package.json", root), "utf8")) as { version: string }).version;
}

/** The pipeline in a JSON file: every error (unreadable, not JSON, not a pipeline) names the file. */
async function readPipeline(path: string): Promise<Transform> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new Error(`--pipeline ${path}: ${(e as Error).message}`);
  }
  try {
    return fromJSON(text);
  } catch (e) {
    throw new Error(`--pipeline ${path}: ${(e as Error).message}`, { cause: e });
  }
}

/** node:util's parseArgs, its errors (unknown flag, missing value) as usage errors. */
function parse<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

const wantsHelp = (args: string[]) => args.includes("--help") || args.includes("-h");

/**
 * Runs one command line (without the `node lockstep` part) and resolves to the exit code; a
 * user error rejects with a message for `lockstep: <message>` (exit code 2), a {@link UsageError}
 * for a mistake in the command line itself.
 */
export async function run(
  argv: string[],
  print: (line: string) => void = console.log,
  printError: (line: string) => void = console.error,
): Promise<number> {
  // A bare `lockstep` used to write ./out silently: now it says what it can do.
  if (argv.length === 0) {
    printError(USAGE);
    return 2;
  }
  const [command, ...rest] = argv as [string, ...string[]];
  if (command === "--help" || command === "-h" || command === "help") {
    print(USAGE);
    return 0;
  }
  if (command === "--version" || command === "-v" || command === "version") {
    print(await version());
    return 0;
  }
  if ((command === "augment" || command === "verify") && wantsHelp(rest)) {
    print(USAGE);
    return 0;
  }
  if (command === "augment") {
    const { values, positionals } = parse({
      args: rest,
      allowPositionals: true,
      options: {
        pipeline: { type: "string" },
        seed: { type: "string" },
        epochs: { type: "string" },
        "start-epoch": { type: "string" },
        out: { type: "string" },
        workers: { type: "string" },
        mode: { type: "string" },
        annotations: { type: "string" },
        overwrite: { type: "boolean" },
      },
    });
    const seed = parseSeed(values.seed);
    const epochs = parseInteger(values.epochs, "epochs", 2, 1);
    const startEpoch = parseInteger(values["start-epoch"], "start-epoch", 0, 0);
    const workers = parseInteger(values.workers, "workers", 0, 0);
    const mode = values.mode ?? "RGB";
    if (!["RGB", "RGBA", "L", "keep"].includes(mode)) throw new UsageError(`--mode must be RGB, RGBA, L or keep, got ${mode}`);
    const pipeline = values.pipeline ? await readPipeline(values.pipeline) : defaultPipeline();
    const inputs = positionals.length ? positionals : [fileURLToPath(new URL("samples/", root))];
    const started = Date.now();
    const manifest = await augment({
      inputs,
      pipeline,
      seed,
      epochs,
      startEpoch,
      out: values.out ?? "out",
      version: await version(),
      workers,
      mode: mode as DecodeMode,
      annotations: values.annotations,
      overwrite: values.overwrite === true,
    });
    const range = `${epochs} epoch${epochs > 1 ? "s" : ""}${startEpoch ? ` from epoch ${startEpoch}` : ""}`;
    print(`wrote ${manifest} (seed ${seed}, ${range}) in ${((Date.now() - started) / 1000).toFixed(2)} s`);
    print(`check it with: lockstep verify ${manifest}`);
    return 0;
  }
  if (command === "verify") {
    if (rest.length !== 1) throw new UsageError("verify takes one manifest path");
    const r = await verify(rest[0]!);
    for (const m of r.mismatches.slice(0, 20)) print(`MISMATCH line ${m.line}: ${m.input} epoch ${m.epoch} index ${m.index}: ${m.reason}`);
    print(`${r.matched}/${r.total} entries match`);
    return r.matched === r.total ? 0 : 1;
  }
  throw new UsageError(`unknown command ${JSON.stringify(command)}`);
}
