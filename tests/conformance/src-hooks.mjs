// Module hooks for running the examples against the TypeScript sources: "lockstep" and
// "lockstep/io" resolve to src/ (through tsx) instead of dist/, which may be older than the
// sources during development. Used as: node --import tsx --import ./tests/conformance/use-src.mjs
const map = {
  lockstep: new URL("../../src/index.ts", import.meta.url).href,
  "lockstep/io": new URL("../../src/io/index.ts", import.meta.url).href,
};

export async function resolve(specifier, context, next) {
  return next(map[specifier] ?? specifier, context);
}
