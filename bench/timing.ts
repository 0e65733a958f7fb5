// The timing code every benchmark shares: time a call, take medians, and drive a long-lived
// Python child (cv2, Pillow, torchvision) one line at a time so native timings interleave with
// the JavaScript ones on the same loaded machine. Benchmarks only: nothing here is a test.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { cpus, loadavg } from "node:os";
import { existsSync } from "node:fs";

/** The Python with cv2, Pillow and torchvision: BENCH_PYTHON, else /work/venv/bin/python, else python3. */
export const PYTHON = process.env.BENCH_PYTHON ?? (existsSync("/work/venv/bin/python") ? "/work/venv/bin/python" : "python3");

/** The median (the mean of the middle two for an even count). */
export function median(v: readonly number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/**
 * CPU milliseconds per call of `fn` (this process, all threads), over about `ms` of wall time
 * and at least 3 calls: what in-process A/B runs compare, as load on a shared machine moves the
 * wall clock far more than CPU time.
 */
export function cpuMs(fn: () => void, ms: number): number {
  let n = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  while (n < 3 || performance.now() - t0 < ms) {
    fn();
    n++;
  }
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / n;
}

/** Milliseconds per call of `fn`, after `warm` untimed calls, over about `seconds`. */
export function timeSync(fn: () => unknown, seconds: number, warm = 3): number {
  for (let i = 0; i < warm; i++) fn();
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < seconds * 1000) {
    fn();
    n++;
    t = performance.now();
  }
  return (t - t0) / n;
}

/** timeSync for a call that returns a promise (each call awaited before the next). */
export async function timeAsync(fn: () => Promise<unknown>, seconds: number, warm = 3): Promise<number> {
  for (let i = 0; i < warm; i++) await fn();
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < seconds * 1000) {
    await fn();
    n++;
    t = performance.now();
  }
  return (t - t0) / n;
}

/**
 * Calls per second of `run(start + i)` over about `seconds` (at least one call, no warm-up:
 * the caller warms once for all rounds). A returned promise is awaited.
 */
export async function callsPerSecond(run: (i: number) => unknown, seconds: number, start = 0): Promise<number> {
  let n = 0;
  const t0 = performance.now();
  let t = 0;
  do {
    const v = run(start + n);
    if (v instanceof Promise) await v;
    n++;
    t = performance.now() - t0;
  } while (t < seconds * 1000);
  return n / (t / 1000);
}

/** A Python child answering one stdout line per stdin line, in order. */
export interface PythonChild {
  /** Sends one line (no newline) and resolves with the child's answer line. */
  ask(line: string): Promise<string>;
  /** Closes the child's stdin (it exits when its loop ends). */
  close(): void;
}

/**
 * Starts `python args...` with stderr inherited. A child that exits rejects every pending and
 * later ask (so a missing cv2 shows as an error the caller can report, not a hang).
 */
export function pythonChild(args: string[], python = PYTHON): PythonChild {
  const child = spawn(python, args, { stdio: ["pipe", "pipe", "inherit"] });
  const pending: { resolve: (l: string) => void; reject: (e: Error) => void }[] = [];
  let gone: Error | null = null;
  const fail = (e: Error) => {
    gone ??= e;
    for (const p of pending.splice(0)) p.reject(gone);
  };
  createInterface({ input: child.stdout! }).on("line", (l) => pending.shift()?.resolve(l));
  child.on("error", fail);
  child.on("exit", (code) => fail(new Error(`${python} ${args[0] === "-c" ? "-c ..." : args.join(" ")} exited (${code})`)));
  child.stdin!.on("error", () => {});
  return {
    ask: (line) =>
      new Promise((resolve, reject) => {
        if (gone) return reject(gone);
        pending.push({ resolve, reject });
        child.stdin!.write(`${line}\n`);
      }),
    close: () => child.stdin!.end(),
  };
}

/** "CPU model, N cores, load L" for a table's header. */
export function machine(): string {
  return `${cpus()[0]?.model}, ${cpus().length} cores, load ${loadavg()[0]!.toFixed(2)}`;
}
