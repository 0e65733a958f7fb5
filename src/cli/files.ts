import { readdir, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";

const IMAGE = new Set([".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff"]);

/** Whether `path` is `folder` or lies inside it (both absolute). */
export function isInside(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}

/**
 * The PNG/JPEG files named or found (recursively) under the given paths, sorted, so indices never
 * depend on directory order. Paths for which `exclude` (given absolute paths) is true are left
 * out, folders with all they hold: augment passes its own output folders, so a run never reads
 * its outputs back, even when it writes into an input folder.
 */
export async function listImages(paths: string[], exclude: (path: string) => boolean = () => false): Promise<string[]> {
  const out: string[] = [];
  const walk = async (p: string): Promise<void> => {
    const s = await stat(p).catch(() => {
      throw new Error(`no such file or folder: ${p}`);
    });
    if (exclude(resolve(p))) return;
    if (s.isDirectory()) {
      for (const f of (await readdir(p)).sort()) await walk(join(p, f));
    } else if (IMAGE.has(extname(p).toLowerCase())) {
      out.push(resolve(p));
    }
  };
  for (const p of paths) await walk(p);
  const unique = [...new Set(out)].sort();
  if (unique.length === 0) throw new Error(`no PNG or JPEG images found in: ${paths.join(", ")}`);
  return unique;
}
