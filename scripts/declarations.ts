// Writes the README's table of transforms from the declarations (src/transforms/docs.ts), between
// its markers. `--check` only compares (tests/declarations.test.ts does the same).
// Run: npx tsx scripts/declarations.ts [--check]
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { TABLE_BEGIN, TABLE_END, transformsTable } from "../src/transforms/docs.js";

const readme = fileURLToPath(new URL("../README.md", import.meta.url));
const text = readFileSync(readme, "utf8");
const a = text.indexOf(TABLE_BEGIN);
const b = text.indexOf(TABLE_END);
if (a < 0 || b < a) throw new Error(`README.md has no ${TABLE_BEGIN} ... ${TABLE_END} section`);
const next = `${text.slice(0, a + TABLE_BEGIN.length)}\n${transformsTable()}${text.slice(b)}`;
if (process.argv.includes("--check")) {
  if (next !== text) {
    console.error("README.md's transforms table is stale: run npx tsx scripts/declarations.ts");
    process.exit(1);
  }
} else if (next !== text) {
  writeFileSync(readme, next);
  console.log("README.md: transforms table written");
}
