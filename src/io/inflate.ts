// Counting the bytes a zlib stream inflates to, without keeping them: the PNG size check.
import { runtime } from "../platform/index.js";

type InflateSync = (data: Uint8Array, options: { maxOutputLength: number }) => Uint8Array;
let nodeInflate: Promise<InflateSync | undefined> | undefined;

/** Node's zlib.inflateSync where there is one (several times faster than DecompressionStream). */
function loadNodeInflate(): Promise<InflateSync | undefined> {
  const rt = runtime();
  nodeInflate ??= rt === "node" || rt === "deno" || rt === "bun"
    ? import("node:zlib").then((z) => z.inflateSync as InflateSync, () => undefined)
    : Promise.resolve(undefined);
  return nodeInflate;
}

/**
 * Bytes the zlib stream split over `parts` inflates to, counting at most `limit` (a bigger
 * stream returns `limit` without inflating the rest). Throws zlib's error on bad data. Uses
 * Node's zlib where there is one, else DecompressionStream; `useStream` forces the latter.
 */
export async function inflatedSize(parts: Uint8Array[], limit: number, useStream = false): Promise<number> {
  const inflateSync = useStream ? undefined : await loadNodeInflate();
  if (inflateSync) {
    const all = parts.length === 1 ? parts[0]! : concatBytes(parts);
    try {
      return inflateSync(all, { maxOutputLength: limit }).length;
    } catch (e) {
      if ((e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") return limit;
      throw e;
    }
  }
  // Browsers: stream it, keeping nothing.
  const stream = new DecompressionStream("deflate");
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  const feeding = (async () => {
    for (const part of parts) {
      // DecompressionStream takes no views of a SharedArrayBuffer: copy those.
      await writer.write(part.buffer instanceof ArrayBuffer ? (part as Uint8Array<ArrayBuffer>) : new Uint8Array(part));
    }
    await writer.close();
  })();
  feeding.catch(() => {}); // the same error reaches the reader
  let got = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return got;
    got += value.byteLength;
    if (got >= limit) {
      await reader.cancel().catch(() => {});
      return limit;
    }
  }
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
