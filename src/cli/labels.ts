// Class labels as torchvision's ImageFolder gives them: the classes of a folder are its
// sub-folders, sorted; an image's label is the index of the sub-folder it lies in.
import { readdir } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";

/** The classes found under the input folders, and each file's label (null outside any class folder). */
export interface Labels {
  /** Sorted class names: the sub-folders of the input folders (their union, sorted, when several are given). */
  classes: string[];
  /** The class index of `file` (absolute), or null for a file not inside a class sub-folder. */
  labelOf(file: string): number | null;
}

/**
 * Reads the class sub-folders of each input folder (files given directly have no label);
 * sub-folders for which `exclude` (given absolute paths) is true are not classes (augment's own
 * output folders, when it writes into an input folder).
 */
export async function classLabels(inputs: string[], exclude: (path: string) => boolean = () => false): Promise<Labels> {
  const roots: string[] = [];
  const names = new Set<string>();
  for (const input of inputs) {
    const entries = await readdir(input, { withFileTypes: true }).catch(() => null); // a file, not a folder
    if (!entries) continue;
    const dirs = entries.filter((e) => e.isDirectory() && !exclude(join(resolve(input), e.name))).map((e) => e.name);
    if (dirs.length === 0) continue;
    roots.push(resolve(input));
    for (const d of dirs) names.add(d);
  }
  // Code-unit order, as Python's sorted() on str (torchvision's find_classes), not the locale's.
  const classes = [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(classes.map((c, i) => [c, i]));
  return {
    classes,
    labelOf(file: string): number | null {
      for (const root of roots) {
        const rel = relative(root, file);
        if (rel.startsWith("..") || rel === "") continue;
        const parts = rel.split(sep);
        if (parts.length > 1) return index.get(parts[0]!) ?? null;
      }
      return null;
    },
  };
}
