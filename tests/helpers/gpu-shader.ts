// Runs a small test shader on the backend's device: `main` reads `input` (u32 words) and
// writes `output` (u32 words), one invocation per item (64 per workgroup). For tests of WGSL
// building blocks (the soft-float library) against a JavaScript reference.
import { gpuBackend } from "../../src/gpu/device.js";
import { BufferUsage, MAP_READ } from "../../src/gpu/types.js";

const cache = new Map<string, unknown>();

/** Runs `code` (which declares `main` with @workgroup_size(64)) over `items` items. */
export async function runTestShader(code: string, input: Uint32Array, outWords: number, items: number): Promise<Uint32Array> {
  const b = await gpuBackend();
  if (!b) throw new Error("no WebGPU adapter");
  const d = b.device;
  const full = `@group(0) @binding(0) var<storage, read> input: array<u32>;\n@group(0) @binding(1) var<storage, read_write> output: array<u32>;\n${code}`;
  let pipe = cache.get(full) as ReturnType<typeof d.createComputePipeline> | undefined;
  if (!pipe) {
    d.pushErrorScope("validation");
    const module = d.createShaderModule({ code: full });
    const info = await module.getCompilationInfo?.();
    const errors = info?.messages.filter((m) => m.type === "error") ?? [];
    if (errors.length) throw new Error(errors.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join("\n"));
    pipe = await d.createComputePipelineAsync!({ layout: "auto", compute: { module, entryPoint: "main" } });
    const err = await d.popErrorScope();
    if (err) throw new Error(err.message);
    cache.set(full, pipe);
  }
  const inBuf = d.createBuffer({ size: Math.max(4, input.byteLength), usage: BufferUsage.STORAGE | BufferUsage.COPY_DST });
  const outBuf = d.createBuffer({ size: outWords * 4, usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC });
  const read = d.createBuffer({ size: outWords * 4, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
  try {
    d.queue.writeBuffer(inBuf, 0, input);
    const group = d.createBindGroup({ layout: pipe.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: inBuf } }, { binding: 1, resource: { buffer: outBuf } }] });
    const enc = d.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipe);
    pass.setBindGroup(0, group);
    const groups = Math.ceil(items / 64);
    const x = Math.min(groups, 65535);
    pass.dispatchWorkgroups(x, Math.ceil(groups / x));
    pass.end();
    enc.copyBufferToBuffer(outBuf, 0, read, 0, outWords * 4);
    d.queue.submit([enc.finish()]);
    await read.mapAsync(MAP_READ);
    const words = new Uint32Array(read.getMappedRange().slice(0));
    read.unmap();
    return words;
  } finally {
    inBuf.destroy();
    outBuf.destroy();
    read.destroy();
  }
}
