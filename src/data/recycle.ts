// Batch buffers given back by the user (batch.release(), reuseBuffers), kept for the next batches
// of the same size: on the calling thread for an inline loader, in each worker otherwise.
import { uninitializedBuffer } from "../platform/memory.js";

/** A bounded set of spare batch buffers: at most `limit` are kept, the rest are left to the GC. */
export class Spares {
  private readonly spares: ArrayBuffer[] = [];
  constructor(private readonly limit: number) {}

  /** How many buffers are kept. */
  get size(): number {
    return this.spares.length;
  }

  /** A spare of exactly `bytes` bytes (contents: an earlier batch's), else memory that is not zeroed. */
  take = (bytes: number): ArrayBuffer => {
    for (let i = this.spares.length - 1; i >= 0; i--) {
      if (this.spares[i]!.byteLength === bytes) return this.spares.splice(i, 1)[0]!;
    }
    return uninitializedBuffer(bytes);
  };

  /** The most recently kept spare (to post to a worker), or undefined. */
  pop(): ArrayBuffer | undefined {
    return this.spares.pop();
  }

  /** Keeps `buffer` (already detached from every view the user holds), or drops it when full. */
  keep(buffer: ArrayBuffer): void {
    if (buffer.byteLength === 0) return;
    if (this.spares.length >= this.limit) this.spares.shift();
    this.spares.push(buffer);
  }
}
