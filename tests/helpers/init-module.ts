// Child process: loads the kernel from a precompiled WebAssembly.Module (the workerd path)
// and prints a hash, so the parent can compare it with its own.
import { readFileSync } from "node:fs";
import { init, F } from "../../src/index.js";
import { hashOf, synthetic } from "./recipes.js";

let before = "no error";
try {
  F.hflip(synthetic(2, 2));
} catch (e) {
  before = (e as Error).message;
}
const module = new WebAssembly.Module(readFileSync(new URL("../../build/lockstep.wasm", import.meta.url)));
await init({ module });
await init({ module }); // idempotent
console.log(before);
console.log(hashOf(F.resize(synthetic(40, 30), [17, 23], { interpolation: "bicubic" })));
