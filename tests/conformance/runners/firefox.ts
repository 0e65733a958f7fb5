// Firefox runner page. Playwright cannot drive Debian's Firefox, so the page drives itself: it
// loads the browser runner (./runner.js, the same one Chromium runs), says hello, then long-polls
// the test's server for commands (GET /ctl/next: 200 with a command, 204 when idle, 410 when the
// test is done) and posts each answer back (POST /ctl/done). Errors the page sees go to /ctl/log,
// so a failing row can say why.

/** What the test asks the page to do (tests/conformance/firefox.ts sends these). */
export type Command =
  | { id: number; kind: "conformance"; mode: "main" | "worker"; backend?: string }
  /** Calls Math[fn] on each argument list in this engine: proves the row runs SpiderMonkey's own Math. */
  | { id: number; kind: "math"; fn: "sin" | "cos" | "pow"; args: number[][] };

type Conformance = (o: { mode: "main" | "worker"; backend?: string; browser: string }) => Promise<unknown>;

const post = (path: string, body: unknown) => fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const describe = (e: unknown) => String((e as Error)?.stack ?? e);

addEventListener("error", (e) => void post("/ctl/log", { message: `${e.message} (${e.filename}:${e.lineno})` }));
addEventListener("unhandledrejection", (e) => void post("/ctl/log", { message: describe(e.reason) }));

async function execute(cmd: Command, conformance: Conformance): Promise<unknown> {
  if (cmd.kind === "conformance") return conformance({ mode: cmd.mode, backend: cmd.backend, browser: "firefox" });
  if (cmd.kind === "math") {
    const f = Math[cmd.fn] as (...a: number[]) => number;
    return cmd.args.map((a) => f(...a));
  }
  throw new Error(`unknown command ${JSON.stringify(cmd)}`);
}

async function main(): Promise<void> {
  let conformance: Conformance;
  try {
    // A computed URL, so the bundler leaves the runner as the separate module it is.
    await import(new URL("./runner.js", import.meta.url).href);
    conformance = (globalThis as unknown as { conformance: Conformance }).conformance;
    if (typeof conformance !== "function") throw new Error("runner.js loaded but set no globalThis.conformance");
  } catch (e) {
    await post("/ctl/hello", { error: `the browser runner did not load: ${describe(e)}` });
    return;
  }
  await post("/ctl/hello", { userAgent: navigator.userAgent });
  for (let failures = 0; failures < 20; ) {
    let response: Response;
    try {
      response = await fetch("/ctl/next", { cache: "no-store" });
      failures = 0;
    } catch {
      failures++; // the test's server is gone or busy: it ends this Firefox anyway
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    if (response.status === 410) return;
    if (response.status !== 200) continue;
    const cmd = (await response.json()) as Command;
    let answer: object;
    try {
      answer = { id: cmd.id, ok: true, value: await execute(cmd, conformance) };
    } catch (e) {
      answer = { id: cmd.id, ok: false, error: describe(e) };
    }
    await post("/ctl/done", answer);
  }
}

void main();
