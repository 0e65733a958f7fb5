#!/usr/bin/env node
// `npm run demo`: builds the demo and serves it on 127.0.0.1 (PORT, default 8080; 0 for any free port).
import { buildDemo } from "./build.mjs";
import { serveStatic } from "./static-server.mjs";

const outdir = await buildDemo();
let server;
try {
  server = await serveStatic({ "/": outdir }, { port: Number(process.env.PORT ?? 8080) });
} catch (e) {
  if (e.code !== "EADDRINUSE" || process.env.PORT) throw e;
  server = await serveStatic({ "/": outdir }, { port: 0 });
}
console.log(`lockstep demo: ${server.url}  (Ctrl-C to stop)`);
