// Batch memory: buffers that a batch writes every byte of, and moving a buffer the user is done
// with back to the loader without a copy.

interface NodeBufferClass {
  allocUnsafeSlow(size: number): Uint8Array;
}

/** Node's and Bun's Buffer class, where the runtime has one (never imported: browsers have none). */
const NodeBuffer = (globalThis as { Buffer?: NodeBufferClass }).Buffer;

/** From this size glibc maps a block by itself (its initial M_MMAP_THRESHOLD): batches, not small buffers. */
const LARGE = 128 << 10;
/** The largest block whose free raises glibc's dynamic thresholds (DEFAULT_MMAP_THRESHOLD_MAX is 32 MiB), less its header. */
const HINT = 31 << 20;
let hinted = false;

/**
 * Once a thread, before its first batch-sized buffer: a 31 MiB block, never touched (no page is
 * faulted in), left to the GC. With glibc, freeing a mmapped block raises the dynamic
 * M_MMAP_THRESHOLD to its size and M_TRIM_THRESHOLD to twice that (mallopt(3)). Without it, the
 * first freed batch sets them (9.6 MB, 19.2 MB): the GC frees dead batches two or three at a time,
 * a free block above 19.2 MB at the top of the heap is given back to the kernel, and the next
 * batches fault those pages in again (0 to 15000 faults an epoch of 128 images in
 * bench/loader.ts, half of an inline loader's CPU time on a VM). With it, up to 62 MB of freed
 * batches stay mapped for the next ones, as a refcounted torch tensor's memory is reused at once.
 * Other allocators (musl, mimalloc, macOS) just map and unmap 31 MiB that is never touched.
 */
function hintAllocator(): void {
  hinted = true;
  NodeBuffer!.allocUnsafeSlow(HINT);
}

/**
 * A buffer of `bytes` bytes whose contents are unspecified: only for a caller that writes every
 * byte before anyone reads it. On Node and Bun it is `Buffer.allocUnsafeSlow`'s memory: malloc'd,
 * not zero-filled, and handed back to the C allocator when collected, so the next batch of the
 * same size reuses those pages instead of faulting in fresh ones (as torch's tensors do; see
 * hintAllocator). Elsewhere (browsers, Deno, workerd) a plain `new ArrayBuffer`.
 */
export function uninitializedBuffer(bytes: number): ArrayBuffer {
  if (NodeBuffer && bytes > 0) {
    if (!hinted && bytes >= LARGE) hintAllocator();
    const b = NodeBuffer.allocUnsafeSlow(bytes);
    // Its own ArrayBuffer, never a slice of a shared pool (allocUnsafe's): checked, not assumed.
    if (b.byteOffset === 0 && b.buffer.byteLength === bytes && b.buffer instanceof ArrayBuffer) return b.buffer;
  }
  return new ArrayBuffer(bytes);
}

interface Transferable2024 {
  transfer?(): ArrayBuffer;
}

/**
 * Moves `buffer`'s memory into a new ArrayBuffer and detaches `buffer`, so that every view of it
 * (a batch's `data`, its samples) reads as empty from then on: a buffer given back for reuse can
 * never be read through an old view. No copy: `ArrayBuffer.prototype.transfer` (ES2024) or a
 * transferring `structuredClone`. Null when the runtime has neither or `buffer` cannot be
 * detached (already detached, or a WebAssembly memory).
 */
export function reclaim(buffer: ArrayBuffer): ArrayBuffer | null {
  if (buffer.byteLength === 0) return null;
  try {
    const transfer = (buffer as Transferable2024).transfer;
    if (typeof transfer === "function") return transfer.call(buffer);
    if (typeof structuredClone === "function") return structuredClone(buffer, { transfer: [buffer] });
  } catch {
    // Not detachable: the caller keeps allocating.
  }
  return null;
}
