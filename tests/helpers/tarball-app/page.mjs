// The recipe in a page, with the Loader at 2 Web Workers; the result (or the error) lands in
// window.lockstepResult for the test to read.
import { recipe } from "./recipe.mjs";

const hex = async (d) => Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", d)), (b) => b.toString(16).padStart(2, "0")).join("");

(async () => {
  try {
    const files = await Promise.all(["chelsea.png", "rocket.jpg"].map(async (f) => new Uint8Array(await (await fetch(new URL(f, location.href))).arrayBuffer())));
    const r = await recipe(files, { workers: 2 });
    window.lockstepResult = { sample: await hex(r.sample), shape: r.shape, batches: await Promise.all(r.batches.map(hex)) };
  } catch (e) {
    window.lockstepResult = { error: String((e && e.stack) || e) };
  }
})();
