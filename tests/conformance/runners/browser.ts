// Browser runner (Chromium, Firefox): the same bundle runs on the page (main thread) and as a
// module Web Worker. "lockstep" is the packaged browser bundle (build/browser.js; the
// package's `worker` export is the same file), which fetches the kernel from ./lockstep.wasm next
// to itself. The page exposes globalThis.conformance({ mode, backend, browser }); `browser` names
// the rows ("chromium main thread", "firefox Web Worker").
import * as lockstep from "lockstep";
import { decode } from "lockstep/io";
import { runVectors, type Lockstep, type Summary, type Vectors } from "../compute.js";

async function compute(platform: string, backend: string): Promise<Summary> {
  await lockstep.ready();
  const response = await fetch(new URL("./vectors.json", location.href));
  if (!response.ok) throw new Error(`vectors.json: HTTP ${response.status}`);
  const vectors = (await response.json()) as Vectors;
  return runVectors({ ...lockstep, decode } as unknown as Lockstep, vectors, { platform, backend });
}

const g = globalThis as unknown as { document?: unknown; conformance?: unknown; onmessage: unknown; postMessage(m: unknown): void };

if (g.document !== undefined) {
  const backendParam = new URLSearchParams(location.search).get("backend") ?? "wasm";
  g.conformance = async ({ mode = "main", backend = backendParam, browser = "chromium" }: { mode?: "main" | "worker"; backend?: string; browser?: string } = {}): Promise<Summary> => {
    if (mode === "main") return compute(`${browser} main thread`, backend);
    const worker = new Worker(new URL(import.meta.url), { type: "module" });
    try {
      return await new Promise<Summary>((resolve, reject) => {
        worker.onmessage = (e: MessageEvent) => (e.data.error ? reject(new Error(`in the Web Worker: ${e.data.error}`)) : resolve(e.data.summary as Summary));
        worker.onerror = (e: ErrorEvent) => reject(new Error(`the Web Worker failed: ${e.message || "could not start (see the browser console)"}`));
        worker.postMessage({ backend, platform: `${browser} Web Worker` });
      });
    } finally {
      worker.terminate();
    }
  };
} else {
  g.onmessage = async (e: MessageEvent) => {
    try {
      g.postMessage({ summary: await compute(e.data.platform, e.data.backend) });
    } catch (err) {
      g.postMessage({ error: String((err as Error)?.stack ?? err) });
    }
  };
}
