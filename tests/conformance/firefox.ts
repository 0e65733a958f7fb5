// Firefox (SpiderMonkey) rows: Debian's firefox-esr, headless, with a fresh profile, on a page
// served from 127.0.0.1 that polls this process for work (runners/firefox.ts): Playwright drives
// only its own patched Firefox, not Debian's. Firefox is started in its own process group and
// ended by that group (SIGTERM, then SIGKILL after 5 s), never by name: other browsers on the
// machine are not ours.
import { spawn, type ChildProcess } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serveStatic } from "../../demo/static-server.mjs";
import type { Summary } from "./compute.js";
import { BUNDLE_DIR, bundleRunner, chromiumSite, need, run, scratch, timed, type Row } from "./platforms.js";
import type { Command } from "./runners/firefox.js";

export const FIREFOX = process.env.LOCKSTEP_FIREFOX ?? "/usr/bin/firefox-esr";

/**
 * Preferences for a profile that reaches nothing but 127.0.0.1: no first-run pages, default-browser
 * check, telemetry, updates, studies, safe-browsing lists, captive-portal or connectivity probes,
 * prefetching or speculative connections; remote settings point at a dead local port.
 */
export const FIREFOX_PREFS: Record<string, string | number | boolean> = {
  "browser.shell.checkDefaultBrowser": false,
  "browser.startup.homepage_override.mstone": "ignore",
  "browser.startup.firstrunSkipsHomepage": true,
  "browser.aboutwelcome.enabled": false,
  "startup.homepage_welcome_url": "",
  "startup.homepage_welcome_url.additional": "",
  "trailhead.firstrun.didSeeAboutWelcome": true,
  "browser.newtabpage.enabled": false,
  "browser.topsites.contile.enabled": false,
  "datareporting.policy.dataSubmissionEnabled": false,
  "datareporting.healthreport.uploadEnabled": false,
  "toolkit.telemetry.enabled": false,
  "toolkit.telemetry.unified": false,
  "toolkit.telemetry.archive.enabled": false,
  "toolkit.telemetry.server": "",
  "browser.ping-centre.telemetry": false,
  "app.update.auto": false,
  "app.update.enabled": false,
  "extensions.update.enabled": false,
  "extensions.update.autoUpdateDefault": false,
  "extensions.getAddons.cache.enabled": false,
  "extensions.blocklist.enabled": false,
  "extensions.systemAddon.update.enabled": false,
  "app.normandy.enabled": false,
  "app.normandy.api_url": "",
  "app.shield.optoutstudies.enabled": false,
  "browser.safebrowsing.malware.enabled": false,
  "browser.safebrowsing.phishing.enabled": false,
  "browser.safebrowsing.downloads.enabled": false,
  "browser.safebrowsing.downloads.remote.enabled": false,
  "browser.safebrowsing.blockedURIs.enabled": false,
  "browser.safebrowsing.provider.google4.updateURL": "",
  "browser.safebrowsing.provider.google.updateURL": "",
  "browser.safebrowsing.provider.mozilla.updateURL": "",
  "network.captive-portal-service.enabled": false,
  "network.connectivity-service.enabled": false,
  "network.dns.disablePrefetch": true,
  "network.prefetch-next": false,
  "network.predictor.enabled": false,
  "network.http.speculative-parallel-limit": 0,
  "browser.urlbar.speculativeConnect.enabled": false,
  "network.trr.mode": 5,
  "services.settings.server": "http://127.0.0.1:9/v1",
  "security.OCSP.enabled": 0,
  "security.remote_settings.crlite_filters.enabled": false,
  "security.remote_settings.intermediates.enabled": false,
  "media.gmp-manager.url": "",
  "media.gmp-gmpopenh264.enabled": false,
  "browser.region.update.enabled": false,
  "browser.region.network.url": "",
  "browser.search.update": false,
  "dom.push.connection.enabled": false,
  "browser.sessionstore.resume_from_crash": false,
  "toolkit.startup.max_resumed_crashes": -1,
  "dom.max_script_run_time": 0,
};

/** A running headless Firefox whose page takes commands. */
export interface FirefoxSession {
  /** `firefox-esr --version`, e.g. "Mozilla Firefox 153.8.0esr". */
  version: string;
  /** The page's navigator.userAgent. */
  userAgent: string;
  /** Milliseconds from launch to the page saying hello. */
  launchMs: number;
  /** Sends a command to the page; resolves with its answer, rejects with the page's error. */
  command<T>(cmd: DistributiveOmit<Command, "id">, timeoutMs?: number): Promise<T>;
  /** Ends Firefox (its process group), the server and the scratch folders. */
  close(): Promise<void>;
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** True while any process of group `pgid` exists. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ends process group `pgid`: SIGTERM, then SIGKILL if anything is left after 5 s. */
export async function stopGroup(pgid: number): Promise<void> {
  if (!groupAlive(pgid)) return;
  try {
    process.kill(-pgid, "SIGTERM");
  } catch {
    return;
  }
  const deadline = Date.now() + 5000;
  while (groupAlive(pgid) && Date.now() < deadline) await sleep(100);
  if (!groupAlive(pgid)) return;
  try {
    process.kill(-pgid, "SIGKILL");
  } catch {
    return;
  }
  for (let i = 0; i < 50 && groupAlive(pgid); i++) await sleep(100);
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (d: string) => (body += d));
    req.on("end", () => {
      try {
        resolve(JSON.parse(body || "null"));
      } catch (e) {
        reject(e);
      }
    });
    req.on("error", reject);
  });
}

function reply(res: ServerResponse, status: number, body?: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

/** Launches Firefox on the runner page and waits until the page has loaded lockstep's browser runner. */
export async function launchFirefox(): Promise<FirefoxSession> {
  need(FIREFOX, "Firefox", "install it: apt-get install -y --no-install-recommends firefox-esr (.ci/run does)");
  const t0 = performance.now();
  const profile = scratch("firefox-profile");
  const cleanups: (() => Promise<void> | void)[] = [() => profile.remove()];
  const cleanup = async () => {
    for (const f of cleanups.reverse()) await f();
  };
  try {
    writeFileSync(join(profile.dir, "user.js"), Object.entries(FIREFOX_PREFS).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});\n`).join(""));
    // HOME is the profile, so Firefox writes nothing into the real home directory.
    const env = { ...process.env, HOME: profile.dir, MOZ_HEADLESS: "1", MOZ_CRASHREPORTER_DISABLE: "1", XDG_CACHE_HOME: join(profile.dir, ".cache"), XDG_CONFIG_HOME: join(profile.dir, ".config") };
    const version = (await run(FIREFOX, ["--version"], { env, timeoutMs: 30_000 })).stdout.trim();

    const site = await chromiumSite();
    cleanups.push(() => site.remove());
    await bundleRunner(fileURLToPath(new URL("./runners/firefox.ts", import.meta.url)), join(site.dir, "driver.js"), "lockstep", "browser");
    writeFileSync(join(site.dir, "firefox.html"), `<!doctype html><meta charset="utf-8"><title>lockstep conformance (Firefox)</title><script type="module" src="./driver.js"></script><p>lockstep conformance runner, driven over HTTP</p>\n`);

    // The page's side of the conversation (runners/firefox.ts).
    let nextId = 1;
    let closed = false;
    const queue: Command[] = [];
    let waiting: ServerResponse | undefined;
    const answers = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
    const pageLog: string[] = [];
    let hello!: (h: { userAgent?: string; error?: string }) => void;
    const helloSeen = new Promise<{ userAgent?: string; error?: string }>((r) => (hello = r));
    const handle = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      if (!path.startsWith("/ctl/")) return false;
      if (path === "/ctl/next" && req.method === "GET") {
        if (closed) reply(res, 410);
        else if (queue.length) reply(res, 200, queue.shift());
        else {
          // Held open until a command comes; idle polls end with 204 after 20 s.
          waiting = res;
          const idle = setTimeout(() => waiting === res && ((waiting = undefined), reply(res, 204)), 20_000);
          res.once("close", () => {
            clearTimeout(idle);
            if (waiting === res) waiting = undefined;
          });
        }
        return true;
      }
      if (req.method !== "POST" || !["/ctl/hello", "/ctl/log", "/ctl/done"].includes(path)) {
        reply(res, 404);
        return true;
      }
      const body = (await readBody(req)) as { id?: number; ok?: boolean; value?: unknown; error?: string; message?: string; userAgent?: string };
      if (path === "/ctl/hello") hello(body);
      else if (path === "/ctl/log") {
        pageLog.push(String(body.message));
        pageLog.splice(0, pageLog.length - 20); // the last 20
      } else {
        const a = answers.get(body.id ?? -1);
        answers.delete(body.id ?? -1);
        if (body.ok) a?.resolve(body.value);
        else a?.reject(new Error(`the Firefox page failed: ${body.error}`));
      }
      reply(res, 204);
      return true;
    };
    const server = await serveStatic({ "/lockstep/": BUNDLE_DIR, "/": site.dir }, { handle } as { port?: number });
    cleanups.push(() => server.close());
    const send = (cmd: Command) => {
      if (waiting) {
        const res = waiting;
        waiting = undefined;
        reply(res, 200, cmd);
      } else queue.push(cmd);
    };

    // Firefox in its own process group (detached): kill(-pid) ends it and its content processes.
    const child: ChildProcess = spawn(FIREFOX, ["--headless", "--no-remote", "--new-instance", "--profile", profile.dir, `${server.url}firefox.html`], { detached: true, stdio: ["ignore", "pipe", "pipe"], env });
    let output = "";
    const keep = (d: Buffer) => (output = (output + d.toString()).slice(-4000));
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    const exited = new Promise<string>((resolve) => {
      child.once("error", (e) => resolve(`could not start: ${e.message}`));
      child.once("exit", (code, signal) => resolve(`exited with ${signal ?? code}`));
    });
    const pgid = child.pid;
    // If this process dies first, Firefox must not outlive it.
    const onExit = () => {
      if (pgid) {
        try {
          process.kill(-pgid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    };
    process.once("exit", onExit);
    cleanups.push(async () => {
      closed = true;
      if (waiting) reply(waiting, 410);
      waiting = undefined;
      for (const a of answers.values()) a.reject(new Error("Firefox was closed"));
      answers.clear();
      if (pgid) await stopGroup(pgid);
      process.off("exit", onExit);
    });
    const why = (what: string) => `${what}${pageLog.length ? `\npage errors: ${pageLog.join("\n")}` : ""}${output.trim() ? `\nFirefox's output ended with:\n${output.trim()}` : ""}`;

    let timer: NodeJS.Timeout | undefined;
    const h = await Promise.race([
      helloSeen,
      exited.then((how) => Promise.reject(new Error(why(`Firefox (${FIREFOX}) ${how} before the page loaded`)))),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(why("the Firefox page did not load within 90 s"))), 90_000))),
    ]).finally(() => clearTimeout(timer));
    if (h.error) throw new Error(why(h.error));
    void exited.then((how) => {
      for (const a of answers.values()) a.reject(new Error(why(`Firefox ${how} while the page was working`)));
      answers.clear();
    });

    return {
      version,
      userAgent: h.userAgent ?? "?",
      launchMs: Math.round(performance.now() - t0),
      command<T>(cmd: DistributiveOmit<Command, "id">, timeoutMs = 300_000): Promise<T> {
        if (closed) return Promise.reject(new Error("Firefox is closed"));
        const id = nextId++;
        return new Promise<T>((resolve, reject) => {
          const timer = setTimeout(() => {
            answers.delete(id);
            reject(new Error(why(`the Firefox page did not answer ${JSON.stringify(cmd)} within ${timeoutMs / 1000} s`)));
          }, timeoutMs);
          answers.set(id, {
            resolve: (v) => (clearTimeout(timer), resolve(v as T)),
            reject: (e) => (clearTimeout(timer), reject(e)),
          });
          send({ ...cmd, id } as Command);
        });
      },
      close: cleanup,
    };
  } catch (e) {
    await cleanup();
    throw new Error(`Firefox could not start: ${(e as Error).message}`);
  }
}

/** One Firefox row: the whole vector file on the page (main thread) or in a module Web Worker. */
export async function firefox(session: FirefoxSession, mode: "main" | "worker"): Promise<Row> {
  const r = await timed(() => session.command<Summary>({ kind: "conformance", mode, backend: "wasm" }));
  // The page's user agent gives the major version only; the binary gives the ESR release.
  return /^Firefox /.test(r.engine ?? "") ? { ...r, engine: `${session.version.replace(/^Mozilla /, "")}, SpiderMonkey` } : r;
}
