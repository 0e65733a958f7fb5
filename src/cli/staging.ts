// Output that is whole or absent: a run writes into a scratch folder beside --out and moves it
// into place at the end, the manifest last, so a failed or interrupted run never leaves a
// half-written epoch folder behind a manifest that looks complete.
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

/** A scratch folder for one run's outputs, committed into `out` at the end or removed. */
export class Staging {
  private constructor(
    /** The output folder the files are for. */
    readonly out: string,
    /** Where they are written meanwhile (a hidden folder beside `out`, on the same file system). */
    readonly dir: string,
  ) {}

  /** Makes the scratch folder beside `out` (creating `out`'s parent if needed). */
  static async open(out: string): Promise<Staging> {
    const target = resolve(out);
    await mkdir(dirname(target), { recursive: true });
    const dir = join(dirname(target), `.${basename(target)}.lockstep-partial-${process.pid}-${Date.now()}`);
    await mkdir(dir);
    return new Staging(target, dir);
  }

  /** The scratch path of `rel` (a path relative to the output folder). */
  path(rel: string): string {
    return join(this.dir, rel);
  }

  /**
   * Moves everything into `out`, `last` (the manifest) after the rest: a new `out` is the
   * scratch folder renamed; into an existing one each entry is moved, replacing its namesake.
   */
  async commit(last: string): Promise<void> {
    const exists = await stat(this.out).then(
      (s) => {
        if (!s.isDirectory()) throw new Error(`--out ${this.out} is a file, not a folder`);
        return true;
      },
      () => false,
    );
    if (!exists) {
      await rename(this.dir, this.out);
      return;
    }
    const entries = (await readdir(this.dir)).filter((e) => e !== last);
    const moved: string[] = [];
    try {
      for (const e of [...entries, last]) {
        await rm(join(this.out, e), { recursive: true, force: true });
        await rename(join(this.dir, e), join(this.out, e));
        moved.push(e);
      }
    } catch (err) {
      throw new Error(
        `could not move the outputs into ${this.out} (${(err as Error).message}): ${moved.length ? `moved ${moved.join(", ")}; ` : ""}the rest is in ${this.dir}${moved.includes(last) ? "" : `, and ${this.out} has no new ${last}`}`,
        { cause: err },
      );
    }
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Removes the scratch folder and everything in it. */
  async abort(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
