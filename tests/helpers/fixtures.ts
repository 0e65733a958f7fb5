// Reads the committed torchvision/Pillow fixtures (tests/parity/fixtures, made by make_fixtures.py).
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import type { Channels, Image } from "../../src/index.js";

const root = new URL("../parity/fixtures/", import.meta.url);

export interface FixtureCase {
  id: string;
  op: string;
  /** "pil", "tensor", "tensor-v1", or "any" for ops with the same bytes under both. */
  semantics: string;
  input: string;
  args: Record<string, unknown>;
  reference: string;
  output: { file: string; dtype: "u8" | "f32"; shape: number[] };
}

interface Manifest {
  versions: Record<string, string>;
  inputs: Record<string, { file: string; width: number; height: number; channels: Channels }>;
  cases: FixtureCase[];
}

export const manifest = JSON.parse(readFileSync(new URL("cases.json", root), "utf8")) as Manifest;

function bytes(file: string): Uint8Array {
  return new Uint8Array(gunzipSync(readFileSync(new URL(file, root))));
}

export function fixtureInput(name: string): Image {
  const m = manifest.inputs[name]!;
  return { width: m.width, height: m.height, channels: m.channels, data: bytes(m.file) };
}

export function fixtureOutput(c: FixtureCase): Uint8Array | Float32Array {
  const b = bytes(c.output.file);
  return c.output.dtype === "u8" ? b : new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}

export const rrcSamples = JSON.parse(readFileSync(new URL("rrc_samples.json", root), "utf8")) as {
  cases: { width: number; height: number; scale: [number, number]; ratio: [number, number]; samples: [number, number, number, number][] }[];
};
