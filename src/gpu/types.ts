// The slice of the WebGPU API the backend uses, typed structurally so the package needs no
// @webgpu/types and works with navigator.gpu (browsers, Deno) and npm `webgpu` (Dawn) alike.

/** GPUBufferUsage flags (numeric, so no global constants are needed). */
export const BufferUsage = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 } as const;
/** GPUMapMode.READ. */
export const MAP_READ = 0x1;
/** GPUShaderStage.COMPUTE. */
export const STAGE_COMPUTE = 0x4;

export interface GpuLimits {
  readonly maxStorageBufferBindingSize: number;
  readonly maxBufferSize: number;
  readonly maxComputeWorkgroupsPerDimension: number;
  readonly maxComputeWorkgroupSizeX: number;
  readonly maxComputeInvocationsPerWorkgroup: number;
  readonly maxStorageBuffersPerShaderStage: number;
  readonly minUniformBufferOffsetAlignment: number;
}

export interface GpuAdapterInfo {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
  readonly isFallbackAdapter?: boolean;
}

export interface GpuAdapter {
  readonly limits: GpuLimits;
  readonly info?: GpuAdapterInfo;
  requestDevice(desc?: { requiredLimits?: Record<string, number>; label?: string }): Promise<GpuDevice>;
}

/** What navigator.gpu (or npm webgpu's `create([])`) is. */
export interface GpuEntry {
  requestAdapter(opts?: { powerPreference?: string; featureLevel?: string }): Promise<GpuAdapter | null>;
}

export interface GpuBuffer {
  readonly size: number;
  readonly mapState?: string;
  mapAsync(mode: number, offset?: number, size?: number): Promise<void>;
  getMappedRange(offset?: number, size?: number): ArrayBuffer;
  unmap(): void;
  destroy(): void;
}

export interface GpuError {
  readonly message: string;
  readonly constructor: { readonly name: string };
}

export interface GpuDeviceLostInfo {
  readonly reason: string;
  readonly message: string;
}

export interface GpuShaderModule {
  getCompilationInfo?(): Promise<{ messages: readonly { type: string; message: string; lineNum: number; linePos: number }[] }>;
}

export type GpuBindGroupLayout = object;
export type GpuPipelineLayout = object;
export type GpuBindGroup = object;
export interface GpuComputePipeline {
  getBindGroupLayout(i: number): GpuBindGroupLayout;
}

export interface GpuComputePass {
  setPipeline(p: GpuComputePipeline): void;
  setBindGroup(i: number, g: GpuBindGroup, dynamicOffsets?: number[]): void;
  dispatchWorkgroups(x: number, y?: number, z?: number): void;
  end(): void;
}

export type GpuCommandBuffer = object;

export interface GpuCommandEncoder {
  beginComputePass(desc?: object): GpuComputePass;
  copyBufferToBuffer(src: GpuBuffer, srcOffset: number, dst: GpuBuffer, dstOffset: number, size: number): void;
  clearBuffer(buffer: GpuBuffer, offset?: number, size?: number): void;
  finish(): GpuCommandBuffer;
}

export interface GpuQueue {
  submit(buffers: GpuCommandBuffer[]): void;
  writeBuffer(buffer: GpuBuffer, offset: number, data: ArrayBufferView | ArrayBuffer, dataOffset?: number, size?: number): void;
  onSubmittedWorkDone(): Promise<void>;
}

export interface GpuDevice {
  readonly limits: GpuLimits;
  /** The adapter's info (newer runtimes; absent elsewhere). */
  readonly adapterInfo?: GpuAdapterInfo;
  readonly queue: GpuQueue;
  readonly lost: Promise<GpuDeviceLostInfo>;
  createBuffer(desc: { size: number; usage: number; label?: string; mappedAtCreation?: boolean }): GpuBuffer;
  createShaderModule(desc: { code: string; label?: string }): GpuShaderModule;
  createBindGroupLayout(desc: { entries: object[]; label?: string }): GpuBindGroupLayout;
  createPipelineLayout(desc: { bindGroupLayouts: GpuBindGroupLayout[] }): GpuPipelineLayout;
  createComputePipeline(desc: {
    layout: GpuPipelineLayout | "auto";
    compute: { module: GpuShaderModule; entryPoint: string };
    label?: string;
  }): GpuComputePipeline;
  createComputePipelineAsync?(desc: {
    layout: GpuPipelineLayout | "auto";
    compute: { module: GpuShaderModule; entryPoint: string };
    label?: string;
  }): Promise<GpuComputePipeline>;
  createBindGroup(desc: {
    layout: GpuBindGroupLayout;
    entries: { binding: number; resource: { buffer: GpuBuffer; offset?: number; size?: number } }[];
  }): GpuBindGroup;
  createCommandEncoder(desc?: object): GpuCommandEncoder;
  pushErrorScope(filter: "validation" | "out-of-memory" | "internal"): void;
  popErrorScope(): Promise<GpuError | null>;
  destroy(): void;
}
