// Philox4x32-10 on the GPU: the WGSL twin of assembly/rng.ts, run here over explicit
// (counter, key) blocks so tests can check it against Random123's known answers and the
// kernel on every adapter.
import { describe } from "../image.js";
import { checkAlive, gpuBackend, GpuDeviceLostError, type GpuBackend } from "./device.js";
import { BufferUsage, MAP_READ, type GpuComputePipeline } from "./types.js";
import philoxWgsl from "./wgsl/philox.wgsl.js";

const pipelines = new WeakMap<object, Promise<GpuComputePipeline>>();

function pipeline(b: GpuBackend): Promise<GpuComputePipeline> {
  let p = pipelines.get(b.device);
  if (!p) {
    const module = b.device.createShaderModule({ code: philoxWgsl, label: "lockstep philox" });
    const desc = { layout: "auto" as const, compute: { module, entryPoint: "main" }, label: "lockstep philox" };
    p = b.device.createComputePipelineAsync
      ? b.device.createComputePipelineAsync(desc)
      : Promise.resolve(b.device.createComputePipeline(desc));
    pipelines.set(b.device, p);
  }
  return p;
}

/**
 * Philox4x32-10 of each block on the GPU. `blocks` holds 6 u32 per block (4 counter words,
 * 2 key words); returns 4 u32 per block. Throws when no WebGPU adapter is available.
 */
export async function gpuPhilox(blocks: Uint32Array): Promise<Uint32Array> {
  if (!(blocks instanceof Uint32Array) || blocks.length === 0 || blocks.length % 6 !== 0) {
    throw new TypeError(`blocks must be a non-empty Uint32Array of 6 words per block (counter, key), got ${describe(blocks)}`);
  }
  const b = await gpuBackend();
  if (!b) throw new Error("lockstep: gpuPhilox needs a WebGPU adapter, and none was found");
  checkAlive(b);
  const n = blocks.length / 6;
  const d = b.device;
  const pipe = await pipeline(b);
  const input = d.createBuffer({ size: blocks.byteLength, usage: BufferUsage.STORAGE | BufferUsage.COPY_DST });
  const out = d.createBuffer({ size: n * 16, usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC });
  const read = d.createBuffer({ size: n * 16, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
  try {
    d.queue.writeBuffer(input, 0, blocks);
    const group = d.createBindGroup({
      layout: pipe.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: input } },
        { binding: 1, resource: { buffer: out } },
      ],
    });
    const enc = d.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipe);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(Math.ceil(n / 64));
    pass.end();
    enc.copyBufferToBuffer(out, 0, read, 0, n * 16);
    d.queue.submit([enc.finish()]);
    const lost = b.lost.then((info) => {
      throw new GpuDeviceLostError(info.reason, info.message);
    });
    lost.catch(() => undefined);
    await Promise.race([read.mapAsync(MAP_READ), lost]);
    const words = new Uint32Array(read.getMappedRange().slice(0));
    read.unmap();
    return words;
  } finally {
    input.destroy();
    out.destroy();
    read.destroy();
  }
}
