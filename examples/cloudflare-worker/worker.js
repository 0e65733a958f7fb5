// A Cloudflare Worker that augments an uploaded image: POST the PNG or JPEG bytes, get back the
// augmented image as PNG, with the drawn parameters in `x-lockstep-params` (JSON) and the SHA-256 of
// the pixels in `x-lockstep-sha256`. The query picks the key and, optionally, the pipeline:
//
//   curl --data-binary @samples/chelsea.png -o out.png -D - \
//     'http://127.0.0.1:8787/?seed=42&epoch=0&index=3'
//
// workerd forbids compiling WebAssembly at run time, so the kernel arrives as a module binding
// (see config.capnp; with wrangler, import the .wasm file and it becomes a CompiledWasm module).
import { init, fromJSON } from "lockstep";
import { decode, encodePng } from "lockstep/io";
import wasm from "./lockstep.wasm";

const RECIPE = {
  type: "Compose",
  transforms: [
    { type: "RandomResizedCrop", size: 224 },
    { type: "RandomHorizontalFlip" },
    { type: "ColorJitter", brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 },
  ],
};

const MAX_UPLOAD = 20 * 1024 * 1024;

function count(q, name) {
  const v = q.get(name) ?? "0";
  if (!/^\d{1,15}$/.test(v)) throw new RangeError(`${name} must be a non-negative integer, got ${JSON.stringify(v.slice(0, 40))}`);
  return Number(v);
}

async function sha256(bytes) {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

export default {
  async fetch(request) {
    if (request.method !== "POST") {
      return new Response("POST a PNG or JPEG; query: seed, epoch, index, pipeline (JSON, optional)\n", { status: 405, headers: { allow: "POST" } });
    }
    await init({ module: wasm });
    let pipeline, seed, epoch, index, image;
    try {
      const q = new URL(request.url).searchParams;
      const seedText = q.get("seed") ?? "0";
      if (!/^\d{1,20}$/.test(seedText)) throw new RangeError(`seed must be a non-negative integer, got ${JSON.stringify(seedText.slice(0, 40))}`);
      seed = BigInt(seedText) < 2n ** 53n ? Number(seedText) : BigInt(seedText);
      epoch = count(q, "epoch");
      index = count(q, "index");
      pipeline = fromJSON(q.get("pipeline") ?? RECIPE);
      const body = await request.arrayBuffer();
      if (body.byteLength > MAX_UPLOAD) return new Response(`upload larger than ${MAX_UPLOAD} bytes\n`, { status: 413 });
      image = await decode(new Uint8Array(body));
    } catch (e) {
      return new Response(`${e.name}: ${e.message}\n`, { status: 400 });
    }
    const { output, record } = pipeline.applyWithRecord(image, { seed, epoch, index });
    if (output.shape) return new Response("the pipeline must end with an image (no ToTensor) to return a PNG\n", { status: 400 });
    return new Response(await encodePng(output), {
      headers: {
        "content-type": "image/png",
        "x-lockstep-params": JSON.stringify(record.params),
        "x-lockstep-sha256": await sha256(output.data),
      },
    });
  },
};
