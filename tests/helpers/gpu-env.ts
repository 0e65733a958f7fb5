// WebGPU without a GPU, for Node tests: Dawn (npm webgpu) on Chromium's SwiftShader Vulkan
// driver, and a private XDG_RUNTIME_DIR (Dawn complains without one). Import this before
// anything opens a device. `swiftshader` is false when the ICD is not installed.
import { existsSync, mkdtempSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const SWIFTSHADER_ICD = "/usr/lib/chromium/vk_swiftshader_icd.json";

export const swiftshader = existsSync(SWIFTSHADER_ICD);
if (swiftshader && !process.env.VK_ICD_FILENAMES) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
if (!process.env.XDG_RUNTIME_DIR || !existsSync(process.env.XDG_RUNTIME_DIR)) {
  const dir = mkdtempSync(join(tmpdir(), "lockstep-xdg-"));
  chmodSync(dir, 0o700);
  process.env.XDG_RUNTIME_DIR = dir;
}
