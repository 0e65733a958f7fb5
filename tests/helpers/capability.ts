// Capabilities the suite expects on every machine that runs it. `.ci/run` installs them, so a
// missing one is a broken setup, not a reason to pass: a test that needs one calls
// `requireCapability` and fails with what to install, instead of returning early.

/** What each capability needs, for the failure message. */
const HOW: Record<string, string> = {
  webgpu: "a WebGPU adapter: Debian's chromium ships SwiftShader (apt-get install chromium mesa-vulkan-drivers libvulkan1; see PLATFORMS.md), or set VK_ICD_FILENAMES to a working Vulkan ICD",
};

/** Fails the calling test (throws) unless `have` is true, naming the capability and how to get it. */
export function requireCapability(name: string, have: boolean, detail = ""): void {
  if (have) return;
  const how = HOW[name] ?? "see .ci/run for how CI installs it";
  throw new Error(`this test needs ${name}, which is not available${detail ? ` (${detail})` : ""}: install ${how}`);
}
