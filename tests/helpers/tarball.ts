// The package as a user gets it: `npm pack` of this checkout, unpacked into a node_modules with
// lockstep's production dependencies only (no devDependencies, no registry), and fresh apps beside
// it made from tests/helpers/tarball-app/.
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ROOT, run } from "../conformance/platforms.js";

/** What `npm pack --json` says about a tarball. */
export interface Packed {
  /** The .tgz file. */
  file: string;
  /** Compressed bytes. */
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

/** Packs this checkout as it is built (no scripts run) into `dir`. */
export async function pack(dir: string): Promise<Packed> {
  const { stdout } = await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], { timeoutMs: 120_000 });
  const [info] = JSON.parse(stdout.slice(stdout.indexOf("["))) as { filename: string; size: number; unpackedSize: number; files: { path: string; size: number }[] }[];
  return { file: join(dir, info!.filename), size: info!.size, unpackedSize: info!.unpackedSize, files: info!.files };
}

/**
 * The packages lockstep needs at run time: the non-dev entries of package-lock.json at the top of
 * node_modules (the ones nested under them come with their folders).
 */
export function productionPackages(): string[] {
  const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { dev?: boolean; devOptional?: boolean }> };
  const names: string[] = [];
  for (const [path, p] of Object.entries(lock.packages)) {
    const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(path);
    if (m && !p.dev && !p.devOptional) names.push(m[1]!);
  }
  return names;
}

/**
 * Installs the tarball as `dir`/node_modules/lockstep (unpacked, as npm would) with its production
 * dependencies linked from this checkout's node_modules. Apps in sub-folders of `dir` resolve
 * "lockstep" there and nothing of this checkout: no devDependency, no src/.
 */
export async function install(tarball: string, dir: string): Promise<string> {
  const pkg = join(dir, "node_modules/lockstep");
  mkdirSync(pkg, { recursive: true });
  await run("tar", ["xzf", tarball, "-C", pkg, "--strip-components=1"]);
  for (const name of productionPackages()) {
    const from = join(ROOT, "node_modules", name);
    if (!existsSync(from)) throw new Error(`${from} is missing: run npm ci`);
    mkdirSync(dirname(join(dir, "node_modules", name)), { recursive: true });
    symlinkSync(from, join(dir, "node_modules", name), "dir");
  }
  return pkg;
}

const APP = join(ROOT, "tests/helpers/tarball-app");

/** A fresh app folder `dir`/`name` with a package.json and the named files of tests/helpers/tarball-app. */
export function app(dir: string, name: string, files: string[], pkg: Record<string, unknown> = { type: "module" }): string {
  const at = join(dir, name);
  mkdirSync(at, { recursive: true });
  writeFileSync(join(at, "package.json"), JSON.stringify({ name: `lockstep-${name}-app`, private: true, ...pkg }, null, 2));
  for (const f of files) cpSync(join(APP, f), join(at, f));
  return at;
}
