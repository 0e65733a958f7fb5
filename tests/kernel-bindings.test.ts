// The kernel's surface on the host side: src/kernel/bindings.ts (generated at build by
// scripts/kernel-bindings.mjs) declares every export of build/lockstep.wasm with the module's own
// parameter counts, KERNEL_CONSTANTS holds the module's globals (and the values assembly/ states),
// and any kernel signature still written by hand in src/ agrees with the kernel's.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { KERNEL_CONSTANTS } from "../src/kernel/bindings.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const module = new WebAssembly.Module(readFileSync(join(ROOT, "build/lockstep.wasm")));
const instance = new WebAssembly.Instance(module, { env: { abort() {} } });
const exported = instance.exports as Record<string, unknown>;
const kinds = new Map(WebAssembly.Module.exports(module).map((e) => [e.name, e.kind]));

/** A signature as written: its parameter count and whether it returns nothing. */
interface Signature {
  params: number;
  void: boolean;
  where: string;
}

/** Every method or function-typed property over numbers only, of an interface or type literal in a file, by name. */
function signatures(file: string, text: string): Map<string, Signature[]> {
  const src = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const out = new Map<string, Signature[]>();
  const add = (name: ts.PropertyName, params: readonly ts.ParameterDeclaration[], type: ts.TypeNode | undefined, node: ts.Node) => {
    if (!ts.isIdentifier(name)) return;
    // A kernel export takes numbers only: a method of the same name over host objects (the GPU's
    // CoreSteps.resample(builder, ...)) is not a restated kernel signature.
    if (!params.every((p) => p.type?.kind === ts.SyntaxKind.NumberKeyword)) return;
    const line = src.getLineAndCharacterOfPosition(node.getStart(src)).line + 1;
    const sig = { params: params.length, void: type?.kind === ts.SyntaxKind.VoidKeyword, where: `${file}:${line}` };
    out.set(name.text, [...(out.get(name.text) ?? []), sig]);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isMethodSignature(node)) add(node.name, node.parameters, node.type, node);
    else if (ts.isPropertySignature(node) && node.type && ts.isFunctionTypeNode(node.type))
      add(node.name, node.type.parameters, node.type.type, node);
    ts.forEachChild(node, visit);
  };
  visit(src);
  return out;
}

/** Where a hand-written signature disagrees with the generated one (by name, parameter count, void). */
function disagreements(written: Map<string, Signature[]>, kernel: Map<string, Signature[]>): string[] {
  const out: string[] = [];
  for (const [name, sigs] of written) {
    const k = kernel.get(name)?.[0];
    if (!k || kinds.get(name) !== "function") continue;
    for (const s of sigs)
      if (s.params !== k.params || s.void !== k.void)
        out.push(
          `${s.where}: ${name} takes ${s.params} parameters${s.void ? ", returns void" : ""}; the kernel's takes ${k.params}${k.void ? ", returns void" : ""}`,
        );
  }
  return out;
}

const BINDINGS = "src/kernel/bindings.ts";
const generated = signatures(BINDINGS, readFileSync(join(ROOT, BINDINGS), "utf8"));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

test("src/kernel/bindings.ts declares every export of build/lockstep.wasm, with the module's parameter counts", () => {
  const text = readFileSync(join(ROOT, BINDINGS), "utf8");
  for (const [name, kind] of kinds) {
    if (name === "memory") continue;
    if (kind === "function") {
      const sig = generated.get(name)?.[0];
      assert.ok(sig, `${name} is missing from ${BINDINGS}: rebuild (npm run build:wasm)`);
      assert.is(sig.params, (exported[name] as (...a: number[]) => unknown).length, `${name}'s parameter count`);
    } else {
      assert.is(kind, "global", name);
      assert.ok(text.includes(`readonly ${name}: WebAssembly.Global;`), `the global ${name} is missing from ${BINDINGS}`);
    }
  }
  for (const name of generated.keys())
    assert.is(kinds.get(name), "function", `${BINDINGS} declares ${name}, which the module does not export`);
});

test("KERNEL_CONSTANTS are the module's exported globals, with the values assembly/ gives them", () => {
  const globals = [...kinds].filter(([, k]) => k === "global").map(([n]) => n);
  assert.ok(globals.length > 0, "the module exports no constants");
  assert.equal(Object.keys(KERNEL_CONSTANTS).sort(), globals.sort());
  // The AssemblyScript sources state each value once, as `export const NAME: i32 = <integer>;`.
  const stated = new Map<string, number>();
  for (const file of sourceFiles(join(ROOT, "assembly")))
    for (const m of readFileSync(file, "utf8").matchAll(/^export const (\w+): i32 = (-?(?:0x[0-9a-f]+|\d+));/gim))
      stated.set(m[1]!, Number(m[2]));
  for (const name of globals) {
    const value = (exported[name] as WebAssembly.Global).value as number;
    assert.is(KERNEL_CONSTANTS[name as keyof typeof KERNEL_CONSTANTS], value, `${name}: bindings vs module`);
    assert.is(stated.get(name), value, `${name}: assembly/ vs module`);
  }
});

test("a hand-written kernel signature that disagrees with the kernel is found", () => {
  const probe = signatures(
    "probe.ts",
    `interface A { philox(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: number): void; mathLog(x: number): number }
     interface B { philox(c0: number, c1: number, out: number): void; mathLog(x: number): void; other(a: number): void }
     type C = { hflip: (src: number, w: number, h: number, c: number) => void };`,
  );
  const found = disagreements(probe, generated);
  assert.is(found.length, 3, found.join("\n"));
  assert.match(found.join("\n"), /probe\.ts:2: philox takes 3 parameters, returns void; the kernel's takes 7, returns void/);
  assert.match(found.join("\n"), /probe\.ts:2: mathLog takes 1 parameters, returns void; the kernel's takes 1\b/);
  assert.match(found.join("\n"), /probe\.ts:3: hflip takes 4 parameters/);
});

test("every kernel signature still written by hand in src/ agrees with the kernel", () => {
  const found: string[] = [];
  for (const file of sourceFiles(join(ROOT, "src"))) {
    const rel = relative(ROOT, file);
    if (rel === BINDINGS) continue;
    found.push(...disagreements(signatures(rel, readFileSync(file, "utf8")), generated));
  }
  assert.equal(found, [], `declare them from KernelExports (src/kernel/exports.ts) instead:\n  ${found.join("\n  ")}`);
});

test.run();
