// Reads the torchvision 0.28 target fixtures (tests/parity/fixtures/targets, made by
// make_fixtures_targets.py) and runs one case through lockstep.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import * as L from "../../src/index.js";

const root = new URL("../parity/fixtures/targets/", import.meta.url);

export interface MaskSpec {
  shape: number[];
  dtype: "u8" | "i32";
  base64: string;
}

export interface TargetCase {
  id: string;
  transform: L.TransformJSON;
  params: L.Json;
  canvas: [number, number];
  boxes?: { format: L.BoxFormat; clampingMode: L.ClampingMode; data: number[] };
  keypoints?: { shape: number[]; data: number[] };
  masks: MaskSpec[];
  labels?: number[];
  expectBoxes?: { format: L.BoxFormat; canvasSize: [number, number]; data: number[] } | { error: string };
  expectKeypoints?: { canvasSize: [number, number]; shape: number[]; data: number[] } | { error: string };
  expectMasks?: (MaskSpec | { error: string })[];
  expectLabels?: number[];
}

function gz(name: string): unknown {
  return JSON.parse(gunzipSync(readFileSync(new URL(name, root))).toString("utf8"));
}

export const targetFixtures = gz("cases.json.gz") as { versions: Record<string, string>; cases: TargetCase[] };
export const samplerFixtures = gz("samplers.json.gz") as {
  iouCrop: { canvas: [number, number]; boxes: number[][]; samples: ([number, number, number, number] | null)[] };
  mixupAlpha1: number[];
  mixupAlpha02: number[];
  cutmix: { canvas: [number, number]; samples: [number, number, number, number, number][] };
};

export function decodeMask(m: MaskSpec): L.Mask {
  const b = Buffer.from(m.base64, "base64");
  const bytes = new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  return L.mask(m.dtype === "u8" ? bytes : new Int32Array(bytes.buffer), m.shape);
}

/** A grey image of the canvas size (its pixels do not matter to the targets). */
export function canvasImage(c: TargetCase): L.Image {
  const [h, w] = c.canvas;
  return { width: w, height: h, channels: 3, data: new Uint8Array(w * h * 3).fill(128) };
}

/** The lockstep transform of a case and a record for its params. */
export function replayer(c: TargetCase): (sample: Record<string, unknown>) => Record<string, unknown> {
  const t = L.fromJSON(c.transform);
  const meta = { kind: "image" as const, width: c.canvas[1], height: c.canvas[0], channels: 3 as const };
  return (sample) => t.replay(sample, { meta, params: c.params }) as Record<string, unknown>;
}

/** Bits of a float32 value (so -0 and 0 differ, as in torch). */
export function bits(v: number): number {
  const f = new Float32Array([v]);
  return new Uint32Array(f.buffer)[0]!;
}

/** Distance in float32 units in the last place. */
export function ulps(a: number, b: number): number {
  if (Object.is(a, b) || a === b) return 0;
  const o = (v: number): number => {
    const i = bits(v) | 0;
    return i < 0 ? -(i & 0x7fffffff) : i;
  };
  return Math.abs(o(a) - o(b));
}
