#!/usr/bin/env node
// Mutation check: plants one small, deliberate change at a time (a rounding constant, a
// grayscale weight, a Philox round constant, a default fill value...) in a scratch copy of the
// repository, rebuilds the kernel, runs the tests, and reports which test files caught it. Every
// mutation must be caught; a mutation the suite survives means some test does not check what it
// claims. Run: `npm run mutate` (fast test files) or `npm run mutate -- --all` (the whole suite,
// platform rows included; slower); `-- --only <regex>` plants only the mutations whose
// name matches. Exits 1 when a mutation survives or a target is missing.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Each mutation: the file, the exact text it replaces (must occur once) and its replacement. */
export const MUTATIONS = [
  {
    name: "resampler rounding constant HALF - 1",
    file: "assembly/resample.ts",
    from: "const HALF: i32 = 1 << (PRECISION_BITS - 1);",
    to: "const HALF: i32 = (1 << (PRECISION_BITS - 1)) - 1;",
  },
  {
    name: "Pillow's grey red weight 19595 -> 19596 (convert('L'), Grayscale, the colour ops)",
    file: "assembly/luma.ts",
    from: "return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;",
    to: "return (r * 19596 + g * 38470 + b * 7471 + 0x8000) >> 16;",
  },
  {
    name: "Philox key schedule constant W1 + 1",
    file: "assembly/rng.ts",
    from: "const W1: u32 = 0xbb67ae85;",
    to: "const W1: u32 = 0xbb67ae86;",
  },
  {
    name: "F.pad default fill 0 -> 1",
    file: "src/functional/geometry.ts",
    from: "const fill = fillBytes(opts.fill ?? 0, img.channels);",
    to: "const fill = fillBytes(opts.fill ?? 1, img.channels);",
  },
  {
    name: "ToTensor/Normalize divide by 255.0001 (the vector path every CPU tensor takes)",
    file: "assembly/tensor.ts",
    from: "f32x4.div(x, f32x4.splat(255.0))",
    to: "f32x4.div(x, f32x4.splat(255.0001))",
  },
];

// The slow rows (browsers, other runtimes, GPU) repeat the fast tests' vectors on other platforms;
// the default run leaves them out, --all keeps them.
const SLOW = /^(platforms|examples|demo|loader-browser|gpu|gpu-errors|gpu-adapters|python|packaging-tarball)\.test\.ts$/;

function run(cmd, args, cwd) {
  return spawnSync(cmd, args, { cwd, encoding: "utf8", maxBuffer: 1 << 28, env: { ...process.env, FORCE_COLOR: "0" } });
}

/** Test files that reported a failure, from uvu's output (file name lines, then FAIL blocks). */
function failingFiles(log) {
  const files = new Set();
  let current = "";
  for (const line of log.split("\n")) {
    const m = /^(\S+\.test\.ts)\s*$/.exec(line.trim());
    if (m) current = m[1];
    if (/^\s*FAIL\s/.test(line) || /✘/.test(line)) files.add(current || "(before any file)");
  }
  return [...files];
}

function main() {
  const all = process.argv.includes("--all");
  const onlyAt = process.argv.indexOf("--only");
  const only = onlyAt > 0 ? new RegExp(process.argv[onlyAt + 1] ?? "") : null;
  const planted = MUTATIONS.filter((mu) => !only || only.test(mu.name));
  if (planted.length === 0) throw new Error(`--only ${only}: no mutation's name matches`);
  if (!existsSync(join(ROOT, "node_modules"))) throw new Error("run `npm ci` first");
  const scratch = mkdtempSync(join(tmpdir(), "lockstep-mutate-"));
  try {
    const files = run("git", ["ls-files", "-z"], ROOT).stdout.split("\0").filter(Boolean);
    for (const f of files) {
      mkdirSync(dirname(join(scratch, f)), { recursive: true });
      cpSync(join(ROOT, f), join(scratch, f));
    }
    symlinkSync(join(ROOT, "node_modules"), join(scratch, "node_modules"));
    if (existsSync(join(ROOT, ".venv"))) symlinkSync(join(ROOT, ".venv"), join(scratch, ".venv"));

    const pattern = all ? "\\.test\\.ts$" : null;
    const testFiles = files
      .filter((f) => /^tests\/[^/]+\.test\.ts$/.test(f))
      .map((f) => f.slice(6))
      .filter((f) => all || !SLOW.test(f));
    const filePattern = pattern ?? `^(${testFiles.map((f) => f.replace(/\./g, "\\.")).join("|")})$`;

    // The unmutated copy must pass first, or a "catch" could be a broken scratch setup.
    const build0 = run("npm", ["run", "-s", "build"], scratch);
    if (build0.status !== 0) throw new Error(`the unmutated copy does not build:\n${build0.stdout}\n${build0.stderr}`);
    process.stdout.write("baseline (no mutation) ... ");
    const base = run(process.execPath, ["scripts/test.mjs", filePattern], scratch);
    if (base.status !== 0)
      throw new Error(`the unmutated copy fails its tests (${failingFiles(base.stdout).join(", ")}):\n${base.stdout.slice(-4000)}`);
    console.log("passes");

    let survived = 0;
    const report = [];
    for (const mu of planted) {
      const path = join(scratch, mu.file);
      const pristine = readFileSync(path, "utf8");
      const count = mu.from ? pristine.split(mu.from).length - 1 : 0;
      if (count !== 1) {
        report.push(`MISSING  ${mu.name}: ${mu.file} has ${count} copies of the target text; update scripts/mutate.mjs`);
        survived++;
        continue;
      }
      writeFileSync(path, pristine.replace(mu.from, mu.to));
      process.stdout.write(`mutation: ${mu.name} ... `);
      // The kernel and the bundles (platform and packaging tests load the bundled wasm).
      const build = run("sh", ["-c", "npm run -s build:wasm && npm run -s build:bundle"], scratch);
      if (build.status !== 0) {
        writeFileSync(path, pristine);
        report.push(`BROKEN   ${mu.name}: the kernel no longer builds\n${build.stderr}`);
        survived++;
        continue;
      }
      const tests = run(process.execPath, ["scripts/test.mjs", filePattern], scratch);
      const caught = failingFiles(tests.stdout);
      writeFileSync(path, pristine);
      if (tests.status === 0) {
        survived++;
        report.push(`SURVIVED ${mu.name}`);
        console.log("survived");
      } else {
        report.push(`caught   ${mu.name}: ${caught.join(", ") || "(the run failed; see its output)"}`);
        console.log(`caught by ${caught.length} file(s)`);
      }
    }
    console.log(`\n${report.join("\n")}\n\n${planted.length - survived} of ${planted.length} mutations caught`);
    process.exitCode = survived ? 1 : 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main();
