// The navigation bar's category list, kept for a short while: it changes rarely, and asking
// product-api for it on every page would double the calls behind each page view.
import type { CallContext, CatalogApi } from '../api/catalog';

export class CategoryNav {
  private cached: { at: number; names: string[] } | undefined;

  constructor(
    private readonly catalog: CatalogApi,
    private readonly ttlMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Never fails a page: without product-api the bar is simply left out. */
  async names(ctx: CallContext): Promise<string[]> {
    if (this.cached && this.now() - this.cached.at < this.ttlMs) return this.cached.names;
    try {
      const names = (await this.catalog.categories(ctx)).map((c) => c.category);
      this.cached = { at: this.now(), names };
      return names;
    } catch {
      return this.cached?.names ?? [];
    }
  }
}
