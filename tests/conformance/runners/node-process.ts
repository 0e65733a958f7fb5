// Node in a process of its own, for a Node binary other than the one running the tests (arm64
// Node 20 and Debian's Node 18 under qemu-aarch64-static): `node runner.mjs vectors.json <platform>`
// prints one JSON summary line. "lockstep" is the package's Node entry (dist/index.js), what
// `import "lockstep"` gives Node users. Hashes go through node:crypto, which every Node has
// (Node 18 has no global `crypto`; lockstep itself does not need it).
import * as lockstep from "lockstep";
import { decode } from "lockstep/io";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { runVectors, type Lockstep, type Vectors } from "../compute.js";

const [file, platform = "node"] = process.argv.slice(2);
await lockstep.ready();
const vectors = JSON.parse(await readFile(file!, "utf8")) as Vectors;
const sha256 = async (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const summary = await runVectors({ ...lockstep, decode } as unknown as Lockstep, vectors, { platform, sha256 });
console.log(JSON.stringify(summary));
