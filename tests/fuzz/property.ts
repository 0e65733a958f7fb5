// The fuzz suite's property: a call either returns a well-formed result or throws a TypeError /
// RangeError (or a documented class) whose message names an argument and is not an engine
// message; never a wasm trap; within a time and memory bound; and after every failure the
// kernel still gives the committed conformance bytes.
import fc from "fast-check";
import { isTensor, kernelMemory, type Image, type Tensor } from "../../src/index.js";
import { healthCases, unhealthy } from "../helpers/health.js";
import type { Target } from "./targets.js";
import { HostileError } from "./values.js";

/** Messages that come from the engine, not from lockstep's checks. */
export const ENGINE = /Cannot read propert|Cannot set propert|is not a function|is not iterable|is not a constructor|Cannot convert|Maximum call stack|Invalid typed array length|Array buffer allocation failed|Invalid array length|out of bounds|unreachable|Cannot access|undefined is not|null is not|Cannot destructure|Cannot create property|Cannot assign to read only|Reduce of empty array|detached ArrayBuffer|Cannot perform|Cannot mix BigInt|Invalid time value|Invalid string length|object is not extensible/;

export interface Bounds {
  /** Longest a single call may take. */
  ms: number;
  /** Most WebAssembly memory the kernel may hold after a call. */
  kernelBytes: number;
  /** Most resident memory the process may have after a call. */
  rssBytes: number;
}

export const DEFAULT_BOUNDS: Bounds = { ms: 5000, kernelBytes: 256 * 2 ** 20, rssBytes: 3 * 2 ** 30 };

const quick = healthCases(3);

function wellFormed(r: unknown): string | null {
  if (r === undefined || r === null || typeof r === "number" || typeof r === "string") return null;
  if (Array.isArray(r)) {
    for (const x of r) if (typeof x !== "number" && wellFormed(x) !== null) return wellFormed(x);
    return null;
  }
  const x = r as Image | Tensor;
  if (isTensor(x)) return x.data.length === x.shape.reduce((a, b) => a * b, 1) ? null : `a tensor of shape [${x.shape}] with ${x.data.length} values`;
  if (typeof x === "object" && "width" in x) {
    const i = x as Image;
    return i.data instanceof Uint8Array && i.data.length === i.width * i.height * i.channels && [1, 3, 4].includes(i.channels) ? null : `a malformed image ${i.width}x${i.height}x${i.channels} with ${i.data?.length} bytes`;
  }
  return null;
}

/** Runs one call of `t` and returns what is wrong with it, or null. */
export async function judge(t: Target, args: unknown[], bounds: Bounds = DEFAULT_BOUNDS): Promise<string | null> {
  const start = performance.now();
  let err: unknown = null;
  let result: unknown;
  try {
    result = await t.call(args);
  } catch (e) {
    err = e;
  }
  const ms = performance.now() - start;
  let why: string | null = null;
  if (err === null) {
    const bad = wellFormed(result);
    if (bad) why = `returned ${bad}`;
  } else if (!(err instanceof HostileError)) {
    const e = err as Error;
    const msg = String(e?.message);
    if (err instanceof WebAssembly.RuntimeError) why = `a wasm trap escaped: ${msg}`;
    else if (!(err instanceof TypeError || err instanceof RangeError || (err instanceof Error && t.allowed?.(err)))) why = `${(e as Error)?.constructor?.name ?? typeof e} escaped: ${msg}`;
    else if (ENGINE.test(msg)) why = `an engine message escaped (${e.constructor.name}): ${msg}`;
    else if (!t.names.test(msg)) why = `the message names no argument: ${msg}`;
  }
  if (!why && ms > (t.ms ?? bounds.ms)) why = `the call took ${ms.toFixed(0)} ms`;
  if (!why && kernelMemory() > bounds.kernelBytes) why = `the kernel holds ${kernelMemory()} bytes after the call`;
  if (!why && process.memoryUsage().rss > bounds.rssBytes) why = `the process holds ${process.memoryUsage().rss} bytes after the call`;
  if (!why && err !== null) {
    const sick = unhealthy(quick);
    if (sick.length) why = `after ${(err as Error)?.message}, the kernel gives other bytes: ${sick.join("; ")}`;
  }
  return why;
}

/** Runs `runs` cases of `t` from `seed`; throws fast-check's report (with the shrunk case) on a wrong one. */
export async function fuzz(t: Target, runs: number, seed: number, bounds: Bounds = DEFAULT_BOUNDS): Promise<number> {
  let n = 0;
  await fc.assert(
    fc.asyncProperty(t.args, async (args) => {
      n++;
      const why = await judge(t, args, bounds);
      if (why) throw new Error(`${t.name}: ${why}`);
    }),
    { seed, numRuns: runs, includeErrorInReport: true },
  );
  return n;
}
