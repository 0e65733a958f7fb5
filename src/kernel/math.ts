import { kernel } from "./instance.js";

/**
 * Transcendental functions computed inside the wasm kernel, so that a parameter derived
 * with them is the same on every JavaScript engine. Use these, never Math.log/exp/...,
 * for any value that can reach an output.
 */
export const kmath = {
  log: (x: number): number => kernel().exports.mathLog(x),
  exp: (x: number): number => kernel().exports.mathExp(x),
  pow: (x: number, y: number): number => kernel().exports.mathPow(x, y),
  sin: (x: number): number => kernel().exports.mathSin(x),
  cos: (x: number): number => kernel().exports.mathCos(x),
  atan2: (y: number, x: number): number => kernel().exports.mathAtan2(y, x),
} as const;
