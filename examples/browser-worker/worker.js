// The Web Worker: decodes the photo with lockstep/io, augments it and posts back each sample's
// pixels, params and SHA-256. The page stays responsive while this runs.
import { ready, fromJSON, toRGBA } from "lockstep";
import { decode } from "lockstep/io";

async function sha256(bytes) {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

self.onmessage = async ({ data: { photo, pipeline, seed, epoch, count } }) => {
  try {
    await ready(); // fetches lockstep.wasm from next to this script (or: init({ url }))
    const image = await decode(new Uint8Array(await (await fetch(photo)).arrayBuffer()));
    const t = fromJSON(pipeline);
    for (let index = 0; index < count; index++) {
      const { output, record } = t.applyWithRecord(image, { seed, epoch, index });
      const rgba = toRGBA(output);
      self.postMessage({ index, params: record.params, sha256: await sha256(output.data), width: output.width, height: output.height, rgba }, [rgba.buffer]);
    }
    self.postMessage({ done: true });
  } catch (e) {
    self.postMessage({ error: String(e?.stack ?? e) });
  }
};
