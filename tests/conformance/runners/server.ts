// Deno and Bun runner: `<runtime> runner.js vectors.json [backend]` prints one JSON summary line.
// "lockstep" is the packaged server bundle (build/server.js), which reads ./lockstep.wasm
// next to itself from disk.
import * as lockstep from "lockstep";
import { decode } from "lockstep/io";
import { runVectors, type Lockstep, type Vectors } from "../compute.js";

const g = globalThis as unknown as { Deno?: { args: string[] }; process?: { argv: string[] } };
const args = g.Deno ? g.Deno.args : g.process!.argv.slice(2);
const { readFile } = await import("node:fs/promises");
await lockstep.ready();
const vectors = JSON.parse(await readFile(args[0]!, "utf8")) as Vectors;
const rt = lockstep.runtime();
const summary = await runVectors({ ...lockstep, decode } as unknown as Lockstep, vectors, { platform: rt, backend: args[1] ?? "wasm" });
console.log(JSON.stringify(summary));
