// The demo's Web Worker: decodes photos with lockstep/io and computes the grid off the main thread,
// posting each sample as soon as it is done.
import { ready } from "../src/index.js";
import { decode } from "../src/io/index.js";
import { computeCell, pipelineOf, type GridRequest } from "./grid.js";

type Message = { id: number; kind: "decode"; bytes: ArrayBuffer } | ({ id: number; kind: "grid" } & GridRequest);

const post = (m: unknown, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

self.onmessage = async (e: MessageEvent<Message>) => {
  const m = e.data;
  try {
    await ready();
    if (m.kind === "decode") {
      const image = await decode(new Uint8Array(m.bytes));
      post({ id: m.id, image }, [image.data.buffer]);
      return;
    }
    const t = pipelineOf(m);
    for (let index = 0; index < m.count; index++) {
      const cell = await computeCell(t, m, index);
      post({ id: m.id, cell }, cell.overlay ? [cell.rgba.buffer, cell.overlay.buffer] : [cell.rgba.buffer]);
    }
    post({ id: m.id, done: true });
  } catch (err) {
    post({ id: m.id, error: String((err as Error)?.message ?? err) });
  }
};
