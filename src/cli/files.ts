import { readdir, stat } from "node:fs/promises";
import { extname, join, resolve } from "node:path";

const IMAGE = new Set([".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff"]);

/** The PNG/JPEG files named or found (recursively) under the given paths, sorted, so indices never depend on directory order. */
export async function listImages(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (p: string): Promise<void> => {
    const s = await stat(p).catch(() => {
      throw new Error(`no such file or folder: ${p}`);
    });
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
