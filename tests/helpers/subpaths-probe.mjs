// Copied into build/ by tests/packaging.test.ts and run under a condition: for each subpath entry,
// how many names it exports, how many of those are the root entry's very objects (or absent from
// the root), and where it resolved; then whether lockstep/random's RandomGenerator is the root's Generator.
const root = await import("lockstep");
const out = [];
for (const s of ["random", "extend", "gpu", "data"]) {
  const m = await import(`lockstep/${s}`);
  const names = Object.keys(m);
  const same = names.filter((k) => (k in root ? root[k] === m[k] : true)).length;
  const where = import.meta.resolve(`lockstep/${s}`).replace(/^.*?\/(dist|build)\//, "$1/");
  out.push(`${s}:${names.length}:${same}:${where}`);
}
const { RandomGenerator } = await import("lockstep/random");
out.push(String(RandomGenerator === root.Generator));
console.log(out.join(" "));
