// Steady shop traffic for the live test: concurrent loops of real HTTP requests, each loop waiting
// for its answer before the next, so a slow service slows the load the way real clients do.
import { randomUUID } from 'node:crypto';
import type { Shop } from './shop';

export interface TrafficCounts {
  byStatus: Record<string, number>;
}

export interface Traffic {
  counts(): TrafficCounts;
  stop(): Promise<void>;
}

async function request(url: string, init?: RequestInit): Promise<number> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/**
 * `listLoops` loops read the product list from product-api (the product-list SLO's route and the
 * fault switch's target); one loop browses the storefront, one places orders through order-api.
 */
export function startTraffic(shop: Shop, listLoops = 8): Traffic {
  let running = true;
  const byStatus: Record<string, number> = {};
  const count = (status: number) => (byStatus[String(status)] = (byStatus[String(status)] ?? 0) + 1);
  const pause = () => new Promise((r) => setTimeout(r, 50));

  const loop = async (one: () => Promise<number>) => {
    while (running) {
      count(await one());
      await pause();
    }
  };

  let productIds: string[] = [];
  const loops = [
    ...Array.from({ length: listLoops }, () =>
      loop(() => request(`${shop.url('product-api')}/products?limit=5`)),
    ),
    loop(() => request(`${shop.url('frontend')}/`)),
    loop(async () => {
      if (productIds.length === 0) {
        const res = await fetch(`${shop.url('product-api')}/products?limit=20`).catch(() => undefined);
        const body = res?.ok ? ((await res.json()) as { items: { id: string }[] }) : { items: [] };
        productIds = body.items.map((p) => p.id);
        if (productIds.length === 0) return 0;
      }
      const productId = productIds[Math.floor(Math.random() * productIds.length)];
      return request(`${shop.url('order-api')}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: JSON.stringify({ customerId: 'monitoring-live-test', items: [{ productId, quantity: 1 }] }),
      });
    }),
  ];
  return {
    counts: () => ({ byStatus: { ...byStatus } }),
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}
