// Transcendental math compiled into the wasm binary (AssemblyScript's musl ports), so
// parameters derived with it are the same on V8, SpiderMonkey and JavaScriptCore.
// Hosts must call these instead of Math.log/exp/... for any value that reaches an output.

/** Natural logarithm. */
export function mathLog(x: f64): f64 { return Math.log(x); }
/** e^x. */
export function mathExp(x: f64): f64 { return Math.exp(x); }
/** x^y. */
export function mathPow(x: f64, y: f64): f64 { return Math.pow(x, y); }
/** sin(x), radians. */
export function mathSin(x: f64): f64 { return Math.sin(x); }
/** cos(x), radians. */
export function mathCos(x: f64): f64 { return Math.cos(x); }
/** atan2(y, x). */
export function mathAtan2(y: f64, x: f64): f64 { return Math.atan2(y, x); }
