// workerd runner: POST the vector file, get the summary back as JSON. "lockstep" is the packaged
// workerd bundle (build/workerd.js) and the kernel arrives as a wasm module binding.
import * as lockstep from "lockstep";
import { decode } from "lockstep/io";
import wasm from "./lockstep.wasm";
import { runVectors, type Lockstep, type Vectors } from "../compute.js";

export default {
  async fetch(request: Request): Promise<Response> {
    if (request.method !== "POST") return new Response("lockstep conformance runner: POST the vector file\n");
    try {
      await lockstep.init({ module: wasm });
      const backend = new URL(request.url).searchParams.get("backend") ?? "wasm";
      const vectors = (await request.json()) as Vectors;
      const summary = await runVectors({ ...lockstep, decode } as unknown as Lockstep, vectors, { platform: "workerd", backend });
      return Response.json(summary);
    } catch (e) {
      return new Response(String((e as Error)?.stack ?? e), { status: 500 });
    }
  },
};
