// One WebGPU device for the process, opened lazily from an adapter factory (the runtime's by
// default: src/platform/gpu.ts), with the compiled pipelines, the buffers reused between
// batches, and loss tracking: a lost device fails every run that touches it with an error
// that says so, and the next call opens a fresh device.
import { defaultAdapterFactory, type AdapterFactory } from "../platform/gpu.js";
import {
  BufferUsage,
  STAGE_COMPUTE,
  type GpuAdapterInfo,
  type GpuBindGroupLayout,
  type GpuBuffer,
  type GpuComputePipeline,
  type GpuDevice,
  type GpuDeviceLostInfo,
} from "./types.js";
import { shaderCode } from "./shaders.js";
import "./ops/index.js";

/** The error of every run on a device that was lost (destroyed, driver reset, out of memory...). */
export class GpuDeviceLostError extends Error {
  constructor(
    readonly reason: string,
    detail: string,
  ) {
    super(
      `lockstep: the WebGPU device was lost (${reason}${detail ? `: ${detail}` : ""}); no result was produced. The next call opens a new device.`,
    );
    this.name = "GpuDeviceLostError";
  }
}

/** A buffer reused between batches, grown when a batch needs more. */
class Reusable {
  buffer: GpuBuffer | null = null;
  constructor(
    private readonly usage: number,
    private readonly label: string,
  ) {}
  get(device: GpuDevice, bytes: number, cap: number, exact: boolean): GpuBuffer {
    if (this.buffer && this.buffer.size >= bytes) return this.buffer;
    this.buffer?.destroy();
    // Headroom so a slowly growing workload does not reallocate every call (none once the
    // device has run out of memory).
    const size = exact ? bytes : Math.min(Math.max(bytes, Math.ceil((bytes * 1.25) / 65536) * 65536), Math.max(bytes, cap));
    this.buffer = device.createBuffer({ size, usage: this.usage, label: this.label });
    return this.buffer;
  }
  drop(): void {
    this.buffer?.destroy();
    this.buffer = null;
  }
}

/** An open device with what the backend keeps on it. */
export interface GpuBackend {
  readonly device: GpuDevice;
  /** A short description of the adapter, e.g. "google swiftshader". */
  readonly adapter: string;
  /** A CPU implementation (SwiftShader, llvmpipe...): fewer, longer workgroups pay off. */
  readonly software: boolean;
  readonly layout: GpuBindGroupLayout;
  /** Compiled pipelines by shader name (src/gpu/shaders.ts), made on first use. */
  readonly pipelines: Map<string, Promise<GpuComputePipeline>>;
  /** Largest pool or table buffer one chunk may use (bytes). */
  readonly budget: number;
  readonly maxWorkgroups: number;
  readonly uniformAlign: number;
  readonly buffers: { pool: Reusable; tab: Reusable; uniform: Reusable; staging: Reusable };
  /** Resolves when the device is lost; never rejects. */
  readonly lost: Promise<GpuDeviceLostInfo>;
  lostInfo: GpuDeviceLostInfo | null;
  /** Set after an out-of-memory error: buffers are then made exactly as large as needed. */
  exactBuffers: boolean;
  /** Runs are serialised: they share the reusable buffers. */
  tail: Promise<unknown>;
}

let factory: AdapterFactory = defaultAdapterFactory;
let current: Promise<GpuBackend | null> | undefined;
let opened: GpuBackend | null = null;
/** Bumped whenever `current` is dropped, so a device that finishes opening late is not adopted. */
let generation = 0;
/** Test hook: called right after each submission (tests destroy the device there). */
let afterSubmit: ((device: GpuDevice) => void) | null = null;

/**
 * Sets where adapters come from (null restores the runtime's default) and closes the
 * current device. A factory returning null means "no WebGPU here".
 */
export function setAdapterFactory(f: AdapterFactory | null): void {
  factory = f ?? defaultAdapterFactory;
  releaseGpu();
}

/**
 * Closes the device (if one is open); the next GPU call opens a new one. On devices the
 * caller passed (BatchOptions.device) it frees lockstep's own buffers and leaves the device
 * open.
 */
export function releaseGpu(): void {
  const was = current;
  current = undefined;
  opened = null;
  generation++;
  void was?.then(
    (b) => b?.device.destroy(),
    () => undefined,
  );
  const users = [...adopted.values()];
  adopted.clear();
  for (const p of users) {
    void p.then(
      (b) => Object.values(b.buffers).forEach((buf) => buf.drop()),
      () => undefined,
    );
  }
}

/** Internal test hooks. */
export function setGpuTestHooks(hooks: { afterSubmit?: ((device: GpuDevice) => void) | null }): void {
  afterSubmit = hooks.afterSubmit ?? null;
}

export function runAfterSubmit(device: GpuDevice): void {
  afterSubmit?.(device);
}

function describeAdapter(i: GpuAdapterInfo | undefined): string {
  const parts = [i?.vendor, i?.architecture, i?.description].filter((s): s is string => typeof s === "string" && s.length > 0);
  return parts.length > 0 ? [...new Set(parts)].join(" ") : "unknown adapter";
}

async function compile(device: GpuDevice, layout: GpuBindGroupLayout, name: string, code: string): Promise<GpuComputePipeline> {
  const module = device.createShaderModule({ code, label: `lockstep ${name}` });
  const info = await module.getCompilationInfo?.();
  const errors = info?.messages.filter((m) => m.type === "error") ?? [];
  if (errors.length > 0) {
    throw new Error(
      `lockstep: the ${name} shader did not compile on this adapter: ${errors.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join("; ")}`,
    );
  }
  const desc = {
    layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
    compute: { module, entryPoint: "main" },
    label: `lockstep ${name}`,
  };
  return device.createComputePipelineAsync ? device.createComputePipelineAsync(desc) : device.createComputePipeline(desc);
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|warp|software/i;

async function open(gen: number): Promise<GpuBackend | null> {
  const adapter = await factory();
  if (!adapter) return null;
  const al = adapter.limits;
  // Ask for the adapter's largest buffers: batches are split to fit whatever we get.
  const device = await adapter.requestDevice({
    label: "lockstep",
    requiredLimits: { maxStorageBufferBindingSize: al.maxStorageBufferBindingSize, maxBufferSize: al.maxBufferSize },
  });
  const name = describeAdapter(adapter.info);
  try {
    return await build(device, name, adapter.info?.isFallbackAdapter === true || SOFTWARE.test(name), (backend) => {
      // Forget this device so the next call opens a new one.
      if (opened === backend) {
        opened = null;
        current = undefined;
      }
    }).then((b) => {
      if (gen === generation) opened = b;
      return b;
    });
  } catch (e) {
    device.destroy();
    throw e;
  }
}

/** Backends on devices the caller passed (BatchOptions.device), by device. */
const adopted = new Map<GpuDevice, Promise<GpuBackend>>();

/**
 * The backend on a device the caller owns (onnxruntime-web's, tfjs's...): lockstep compiles
 * its pipelines and keeps its reusable buffers there, and never destroys the device.
 */
export function deviceBackend(device: GpuDevice): Promise<GpuBackend> {
  let p = adopted.get(device);
  if (!p) {
    const name = describeAdapter(device.adapterInfo);
    p = build(
      device,
      name === "unknown adapter" ? "caller's device" : name,
      device.adapterInfo?.isFallbackAdapter === true || SOFTWARE.test(name),
      () => {
        if (adopted.get(device) === p) adopted.delete(device);
      },
    );
    const mine = p;
    p.catch(() => adopted.get(device) === mine && adopted.delete(device));
    adopted.set(device, p);
  }
  return p;
}

/** Sets up the backend's layout, pipelines and buffers on `device`; `onLost` runs when the device goes. */
async function build(device: GpuDevice, adapter: string, software: boolean, onLost: (b: GpuBackend) => void): Promise<GpuBackend> {
  const backend: Partial<GpuBackend> & { lostInfo: GpuDeviceLostInfo | null } = { lostInfo: null };
  const lost = device.lost.then((info) => {
    backend.lostInfo = info;
    onLost(backend as GpuBackend);
    return info;
  });
  {
    device.pushErrorScope("validation");
    const layout = device.createBindGroupLayout({
      label: "lockstep images",
      entries: [
        { binding: 0, visibility: STAGE_COMPUTE, buffer: { type: "storage" } },
        { binding: 1, visibility: STAGE_COMPUTE, buffer: { type: "read-only-storage" } },
        { binding: 2, visibility: STAGE_COMPUTE, buffer: { type: "uniform", hasDynamicOffset: true, minBindingSize: 16 } },
      ],
    });
    const pipelines = new Map<string, Promise<GpuComputePipeline>>();
    // The shaders every recipe uses, compiled with the device; the others on first use.
    for (const name of EAGER) pipelines.set(name, compile(device, layout, name, shaderCode(name)));
    await Promise.all(pipelines.values());
    const err = await device.popErrorScope();
    if (err) throw new Error(`lockstep: creating the WebGPU pipelines failed: ${err.message}`);
    const l = device.limits;
    Object.assign(backend, {
      device,
      adapter,
      software,
      layout,
      pipelines,
      budget: Math.floor(Math.min(l.maxStorageBufferBindingSize, l.maxBufferSize, 2 ** 30) / 4) * 4,
      maxWorkgroups: l.maxComputeWorkgroupsPerDimension,
      uniformAlign: Math.max(256, l.minUniformBufferOffsetAlignment),
      buffers: {
        pool: new Reusable(BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST, "lockstep pool"),
        tab: new Reusable(BufferUsage.STORAGE | BufferUsage.COPY_DST, "lockstep tables"),
        uniform: new Reusable(BufferUsage.UNIFORM | BufferUsage.COPY_DST, "lockstep ranges"),
        staging: new Reusable(BufferUsage.MAP_READ | BufferUsage.COPY_DST, "lockstep readback"),
      },
      lost,
      exactBuffers: false,
      tail: Promise.resolve(),
    });
    return backend as GpuBackend;
  }
}

/** Shaders compiled when a device opens (the crop / resize / ToTensor recipe's). */
const EAGER = ["extract", "hpass", "emit"];

/** Shader `name`'s pipeline on this backend, compiled the first time it is asked for. */
export function pipelineFor(b: GpuBackend, name: string): Promise<GpuComputePipeline> {
  let p = b.pipelines.get(name);
  if (!p) {
    const device = b.device;
    p = (async () => {
      device.pushErrorScope("validation");
      try {
        return await compile(device, b.layout, name, shaderCode(name));
      } finally {
        const err = await device.popErrorScope();
        if (err) b.pipelines.delete(name);
        if (err) throw new Error(`lockstep: creating the WebGPU pipeline ${name} failed: ${err.message}`);
      }
    })();
    p.catch(() => b.pipelines.delete(name));
    b.pipelines.set(name, p);
  }
  return p;
}

/**
 * The process's GPU backend, opened on first use; null when the adapter factory finds no
 * adapter (remembered until setAdapterFactory or releaseGpu).
 */
export async function gpuBackend(): Promise<GpuBackend | null> {
  if (!current) {
    const p: Promise<GpuBackend | null> = open(generation).catch((e: unknown) => {
      if (current === p) current = undefined;
      throw e;
    });
    current = p;
  }
  const was = current;
  const b = await was;
  if (b?.lostInfo && current === was) {
    // Lost before anyone used it: open another.
    current = undefined;
    generation++;
    return gpuBackend();
  }
  return b;
}

/** Throws the device-lost error when the backend's device is gone. */
export function checkAlive(b: GpuBackend): void {
  if (b.lostInfo) throw new GpuDeviceLostError(b.lostInfo.reason, b.lostInfo.message);
}
