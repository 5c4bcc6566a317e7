// Catalog read cache: serialised responses kept for at most ttlMs, so the hot list path is a Map
// lookup instead of a query plus JSON.stringify. Staleness is bounded by the TTL across replicas;
// writes through this process invalidate at once. Concurrent misses for one key share one load,
// and a load that started before an invalidation is not stored (it may hold pre-write data).
export interface CacheStats {
  hit(): void;
  miss(): void;
}

interface Entry {
  value: Buffer;
  expires: number;
}

export class CatalogCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly stats?: CacheStats,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  async get(key: string, load: () => Promise<Buffer>): Promise<Buffer> {
    if (!this.enabled) return load();
    const hit = this.entries.get(key);
    if (hit && hit.expires > this.now()) {
      this.stats?.hit();
      return hit.value;
    }
    this.stats?.miss();
    const pending = this.loading.get(key);
    if (pending) return pending;
    const promise: Promise<Buffer> = load().then(
      (value) => {
        // Still registered = no invalidation happened while loading: safe to keep.
        if (this.loading.get(key) === promise) {
          this.loading.delete(key);
          this.store(key, value);
        }
        return value;
      },
      (err: unknown) => {
        if (this.loading.get(key) === promise) this.loading.delete(key);
        throw err;
      },
    );
    this.loading.set(key, promise);
    return promise;
  }

  private store(key: string, value: Buffer): void {
    this.entries.delete(key); // re-insert at the end: Map order is the eviction order
    this.entries.set(key, { value, expires: this.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  invalidate(key: string): void {
    this.entries.delete(key);
    this.loading.delete(key);
  }

  invalidateAll(): void {
    this.entries.clear();
    this.loading.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
