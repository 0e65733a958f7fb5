// Where a WebGPU adapter comes from on each runtime. The one place that asks: browsers,
// Web Workers and Deno have navigator.gpu; Node gets one from the optional npm package
// `webgpu` (Dawn). Nothing else in lockstep looks at the runtime.
import type { GpuAdapter, GpuEntry } from "../gpu/types.js";
import { runtime } from "./index.js";

/** Makes an adapter, or null when there is none. The backend calls it once per device it opens. */
export type AdapterFactory = () => Promise<GpuAdapter | null> | GpuAdapter | null;

/** Options of {@link dawnAdapterFactory}. */
export interface DawnOptions {
  /** Dawn toggles for `create()`, e.g. ["backend=opengles"] for Mesa llvmpipe through GLES. */
  dawn?: string[];
  /** Options of requestAdapter, e.g. { featureLevel: "compatibility" } with the GLES backend. */
  request?: { powerPreference?: string; featureLevel?: string };
}

/** navigator.gpu where the runtime has it (browsers, Web Workers, Deno). */
function navigatorGpu(): GpuEntry | undefined {
  const nav = (globalThis as { navigator?: { gpu?: GpuEntry } }).navigator;
  return nav?.gpu ?? undefined;
}

// Dawn instances by their toggles: an instance must outlive the devices it made.
const dawnInstances = new Map<string, GpuEntry>();

/**
 * An adapter factory over the npm package `webgpu` (Dawn), for Node. On a machine without a
 * GPU, point VK_ICD_FILENAMES at a software Vulkan driver (Chromium's SwiftShader:
 * /usr/lib/chromium/vk_swiftshader_icd.json) before the first call.
 */
export function dawnAdapterFactory(options: DawnOptions = {}): AdapterFactory {
  return async () => {
    const toggles = options.dawn ?? [];
    let entry = dawnInstances.get(toggles.join("\n"));
    if (!entry) {
      const name = "webgpu"; // not a literal, so browser bundlers leave it alone
      let mod: { create(opts: string[]): GpuEntry };
      try {
        mod = (await import(name)) as typeof mod;
      } catch {
        return null; // the optional package is not installed
      }
      entry = mod.create(toggles);
      dawnInstances.set(toggles.join("\n"), entry);
    }
    return entry.requestAdapter(options.request);
  };
}

/** The default adapter of this runtime, or null when it has none. */
export const defaultAdapterFactory: AdapterFactory = async () => {
  const gpu = navigatorGpu();
  if (gpu) return gpu.requestAdapter();
  if (runtime() === "node") return dawnAdapterFactory()();
  return null;
};

/** What to do when no adapter was found, for this runtime. */
export function noAdapterAdvice(): string {
  switch (runtime()) {
    case "node":
      return "install the `webgpu` package and, without a GPU, set VK_ICD_FILENAMES to a software Vulkan driver (e.g. Chromium's SwiftShader)";
    case "deno":
      return "Deno needs a Vulkan driver (Mesa's llvmpipe works without a GPU)";
    case "browser":
    case "worker":
      return "the browser exposes no WebGPU adapter (Chromium without a GPU needs --enable-unsafe-webgpu)";
    default:
      return "this runtime has no WebGPU";
  }
}
