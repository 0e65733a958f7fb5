// Every entry's exports in one module: what the browser, Deno/Bun and workerd bundles are built
// from, so that lockstep/random, /extend, /gpu and /data in a bundle re-export from the same
// module (one kernel, one op registry) rather than carrying copies. Not an entry of its own:
// the root's types are src/index.ts's.
export * from "./index.js";
export * from "./random/index.js";
export * from "./extend/index.js";
export * from "./gpu/index.js";
export * from "./data/index.js";
