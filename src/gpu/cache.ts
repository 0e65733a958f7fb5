// Kernel-computed tables and register-machine programs kept for the samples of a batch (and
// the next batches): fixed geometry shares them, random parameters make each once. Bounded,
// so random parameters over millions of samples cannot grow memory: when a new table would
// pass a limit, the cache starts over (the tables are cheap to remake; bytes never depend on
// what is cached).

/** Limits of a {@link TableCache}. */
export interface CacheLimits<V> {
  /** Most tables kept (default 256). */
  entries?: number;
  /** Most words kept over all tables, with `words` giving a table's size (default: no limit). */
  maxWords?: number;
  words?: (v: V) => number;
}

/** A bounded cache of tables by key. */
export class TableCache<V> {
  private m = new Map<string, V>();
  private held = 0;
  private readonly entries: number;
  private readonly maxWords: number;
  private readonly words: (v: V) => number;

  constructor(limits: CacheLimits<V> = {}) {
    this.entries = limits.entries ?? 256;
    this.maxWords = limits.maxWords ?? Infinity;
    this.words = limits.words ?? (() => 0);
  }

  /** The table for `key`, made by `make` (and kept) when absent. */
  get(key: string, make: () => V): V {
    let v = this.m.get(key);
    if (v === undefined) {
      v = make();
      const size = this.words(v);
      if (this.m.size >= this.entries || this.held + size > this.maxWords) {
        this.m.clear();
        this.held = 0;
      }
      this.m.set(key, v);
      this.held += size;
    }
    return v;
  }
}
