// Batch memory: buffers that a batch writes every byte of, and moving a buffer the user is done
// with back to the loader without a copy.

interface NodeBufferClass {
  allocUnsafeSlow(size: number): Uint8Array;
}

/** Node's and Bun's Buffer class, where the runtime has one (never imported: browsers have none). */
const NodeBuffer = (globalThis as { Buffer?: NodeBufferClass }).Buffer;

/**
 * A buffer of `bytes` bytes whose contents are unspecified: only for a caller that writes every
 * byte before anyone reads it. On Node and Bun it is `Buffer.allocUnsafeSlow`'s memory: malloc'd,
 * not zero-filled, and handed back to the C allocator when collected, so the next batch of the
 * same size reuses those pages instead of faulting in fresh ones (as torch's tensors do). Elsewhere
 * (browsers, Deno, workerd) a plain `new ArrayBuffer`.
 */
export function uninitializedBuffer(bytes: number): ArrayBuffer {
  if (NodeBuffer && bytes > 0) {
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
