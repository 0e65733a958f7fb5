// A tiny static file server on 127.0.0.1 for the demo and the browser tests. `.wasm` goes out as
// application/wasm (needed for WebAssembly.compileStreaming). Nothing outside the mounted folders
// is served.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".svg": "image/svg+xml",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * Serves `mounts` ({ "/url/prefix/": "/folder" }, longest prefix first) on 127.0.0.1. Resolves to
 * { url, port, close() } once listening. `port` 0 picks a free port. `handle(req, res)`, when
 * given, sees each request first and returns true when it answered it (a test's own endpoints).
 */
export function serveStatic(mounts, { port = 0, host = "127.0.0.1", handle } = {}) {
  const table = Object.entries(mounts).sort((a, b) => b[0].length - a[0].length);
  const server = createServer(async (req, res) => {
    try {
      if (handle && (await handle(req, res))) return;
      const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
      const hit = table.find(([prefix]) => path.startsWith(prefix));
      if (!hit || (req.method !== "GET" && req.method !== "HEAD")) return send(res, 404, "not found");
      const [prefix, dir] = hit;
      let rel = path.slice(prefix.length) || "index.html";
      if (rel.endsWith("/")) rel += "index.html";
      const file = normalize(join(dir, rel));
      if (!file.startsWith(normalize(dir + sep)) && file !== normalize(dir)) return send(res, 403, "forbidden");
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) return send(res, 404, "not found");
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file).toLowerCase()] ?? "application/octet-stream", "content-length": body.length, "cache-control": "no-store" });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch (e) {
      send(res, 500, String(e?.message ?? e));
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const { port: p } = server.address();
      resolve({
        url: `http://${host}:${p}/`,
        port: p,
        close: () =>
          new Promise((r) => {
            server.close(() => r());
            server.closeAllConnections();
          }),
      });
    });
  });
}

function send(res, code, text) {
  res.writeHead(code, { "content-type": "text/plain; charset=utf-8" });
  res.end(text);
}
