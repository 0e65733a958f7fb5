// Modules the tests and benchmarks use that ship no types.
declare module "pngjs" {
  export const PNG: {
    sync: {
      read(data: Uint8Array): { width: number; height: number; data: Uint8Array };
      write(png: { width: number; height: number; data: Uint8Array }, options?: Record<string, unknown>): Uint8Array;
    };
    new (options: { width: number; height: number; [option: string]: unknown }): { width: number; height: number; data: Uint8Array };
  };
}
declare module "*/lockstep.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
