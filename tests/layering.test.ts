// Layering: the static import graph of src/ (every `import … from`, `export … from`, bare
// `import "…"` and literal `import("…")`, type-only ones included) has no cycle, and no file under
// src/ reaches into tests/; the op IR (src/ir/) sits below the wasm transforms and the GPU
// backend, which never import each other. A cycle is printed as the chain of files that closes it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SRC = join(ROOT, "src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts)$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Relative specifiers a file imports; comment lines are dropped so examples in prose never count. */
export function specifiers(text: string): string[] {
  const code = text
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .split("\n")
    .filter((line) => !/^\s*\/\//.test(line))
    .join("\n");
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\b[^;"'`]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) found.push(m[1]!);
  return found;
}

/** src/-relative file → src/-or-root-relative files it imports (only relative specifiers resolve to files). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const edges = new Set<string>();
    for (const spec of specifiers(readFileSync(file, "utf8"))) {
      if (!spec.startsWith(".")) continue;
      const target = resolve(dirname(file), spec).replace(/\.(m?)js$/, ".$1ts");
      edges.add(relative(ROOT, target));
    }
    graph.set(relative(ROOT, file), [...edges].sort());
  }
  return graph;
}

/** Strongly connected components with more than one file (or a self-import): one cycle path each, and every file in it. */
function cycles(graph: Map<string, string[]>): { cycle: string[]; files: string[] }[] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: { cycle: string[]; files: string[] }[] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) found.push({ cycle: cyclePath(graph, new Set(scc)), files: scc.sort() });
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  return found;
}

/** One concrete cycle inside a strongly connected component, from its first file back to it. */
function cyclePath(graph: Map<string, string[]>, scc: Set<string>): string[] {
  const start = [...scc].sort()[0]!;
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!scc.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u = v; u !== start; u = prev.get(u)!) path.splice(1, 0, u);
        return [...path, start];
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

const graph = importGraph();

test("the parser sees every import form (and nothing in comments)", () => {
  const text = [
    'import { a } from "./a.js";',
    'import type { B } from "./b.js";',
    'export { c } from "./c.js";',
    'export * from "./d.js";',
    'import "./e.js";',
    'import {\n  f,\n  g,\n} from "./f.js";',
    'const h = () => import("./h.js");',
    'type I = import("./i.js").I;',
    '// import { x } from "./comment.js";',
    '/** import("./doc.js") */',
  ].join("\n");
  assert.equal(specifiers(text).sort(), ["./a.js", "./b.js", "./c.js", "./d.js", "./e.js", "./f.js", "./h.js", "./i.js"]);
  assert.ok(graph.size > 50, `only ${graph.size} files found under src/`);
  assert.ok(graph.get("src/index.ts")!.length > 5, "src/index.ts imports nothing?");
});

test("no file under src/ imports from tests/ (or from outside src/)", () => {
  const bad = [...graph].flatMap(([file, deps]) => deps.filter((d) => !d.startsWith("src/")).map((d) => `${file} → ${d}`));
  assert.equal(bad, [], `src/ reaches outside itself:\n  ${bad.join("\n  ")}`);
});

/** Folders a folder must never import from: the op IR sits below both backends, which sit side by side. */
const BELOW: Record<string, string[]> = {
  "src/ir/": ["src/transforms/", "src/gpu/", "src/data/", "src/cli/", "src/io/"],
  "src/gpu/": ["src/transforms/", "src/data/", "src/cli/"],
  "src/transforms/": ["src/gpu/", "src/data/", "src/cli/"],
};

test("layers: src/ir/ imports neither backend; gpu/ and transforms/ never import each other", () => {
  const bad = [...graph].flatMap(([file, deps]) =>
    Object.entries(BELOW).flatMap(([dir, banned]) =>
      file.startsWith(dir) ? deps.filter((d) => banned.some((b) => d.startsWith(b))).map((d) => `${file} → ${d}`) : [],
    ),
  );
  assert.equal(bad, [], `imports across layers:\n  ${bad.join("\n  ")}`);
});

test("the import graph of src/ has no cycle", () => {
  const found = cycles(graph);
  const report = found.map((c) => `${c.cycle.join(" → ")}\n    (one of the cycles among: ${c.files.join(", ")})`);
  assert.equal(report, [], `import cycles in src/:\n  ${report.join("\n  ")}`);
});

test("Transform.applyBatch reaches the batch backend through the hook the package entry installs", () => {
  // A fresh process: transforms/ alone has no batch backend (and says what to import); the
  // root entry loads gpu/batch, which installs it.
  const script = `
    const img = () => ({ width: 4, height: 4, channels: 1, data: new Uint8Array(16) });
    const { CenterCrop } = await import(${JSON.stringify(join(SRC, "transforms/index.ts"))});
    const alone = await new CenterCrop(2).applyBatch([img()]).then(() => "resolved", (e) => e.message);
    const root = await import(${JSON.stringify(join(SRC, "index.ts"))});
    await root.ready();
    const r = await new CenterCrop(2).applyBatch([img(), img()]);
    console.log(JSON.stringify({ alone, backend: r.backend, sizes: r.output.map((o) => o.data.length) }));
  `;
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split("\n").pop()!) as { alone: string; backend: string; sizes: number[] };
  assert.match(out.alone, /applyBatch needs the batch backend: import "lockstep" or "lockstep\/gpu"/);
  assert.equal([out.backend, out.sizes], ["wasm", [4, 4]]);
});

test.run();
