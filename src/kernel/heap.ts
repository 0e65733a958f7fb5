// The blocks that outlive the arena's per-call reset: the pixels of each KernelImage. A small
// first-fit allocator over the same linear memory as the arena: a block goes into the first gap
// between live blocks that is large enough (and clear of what the arena's current call holds),
// and the arena steps over live blocks (Arena.alloc asks `skip`). Freed blocks leave gaps the
// next allocation of that size fills, so alloc/dispose cycles never grow memory.

/** A live block: [at, end), 16-aligned, its end past the slack vector code may touch. */
interface Block {
  at: number;
  end: number;
}

/**
 * First-fit allocator for kernel-resident blocks. Addresses only: growing memory and the
 * limit belong to the {@link Arena} that owns it.
 */
export class Heap {
  /** Live blocks by address, never overlapping. */
  private readonly blocks: Block[] = [];
  /** Bytes held by live blocks (with their slack). */
  held = 0;

  constructor(
    /** Lowest address a block may take (the arena's base). */
    private readonly base: number,
  ) {}

  /** Number of live blocks. */
  get count(): number {
    return this.blocks.length;
  }

  /**
   * The lowest address >= `from` where `size` bytes (16-aligned) overlap no live block. The
   * arena calls it for each of its blocks while any kernel image is alive.
   */
  skip(from: number, size: number): number {
    let at = from;
    for (const b of this.blocks) {
      if (b.end <= at) continue;
      if (b.at >= at + size) break;
      at = b.end;
    }
    return at;
  }

  /**
   * The first gap of `size` bytes (16-aligned) clear of every live block and of [busyFrom,
   * busyTo) (what the arena's current call holds); the block is live from now on. The caller
   * grows memory to the returned end.
   */
  place(size: number, busyFrom: number, busyTo: number): number {
    let at = this.base;
    for (;;) {
      at = this.skip(at, size);
      if (at < busyTo && at + size > busyFrom) {
        at = busyTo;
        continue;
      }
      break;
    }
    const block = { at, end: at + size };
    let i = 0;
    while (i < this.blocks.length && this.blocks[i]!.at < at) i++;
    this.blocks.splice(i, 0, block);
    this.held += size;
    return at;
  }

  /** The highest end of a live block (0 when none). */
  get top(): number {
    return this.blocks.length ? this.blocks[this.blocks.length - 1]!.end : 0;
  }

  /** Frees the block at `at`; false when no live block starts there. */
  free(at: number): boolean {
    const i = this.blocks.findIndex((b) => b.at === at);
    if (i < 0) return false;
    const b = this.blocks[i]!;
    this.held -= b.end - b.at;
    this.blocks.splice(i, 1);
    return true;
  }
}
