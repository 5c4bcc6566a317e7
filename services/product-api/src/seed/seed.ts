// Loads the demo catalog into an empty database. Under an advisory lock, so two replicas starting
// together seed once.
import type { Db, Logger } from '@techcommerce/runtime';
import type { NewProduct } from '../domain/types';
import { ProductStore } from '../store/products';

const SEED_LOCK = 727_001; // arbitrary, distinct from the migration lock

export async function seedIfEmpty(db: Db, catalog: NewProduct[], logger: Logger): Promise<number> {
  const store = new ProductStore(db);
  const inserted = await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK]);
    if ((await store.count(tx)) > 0) return 0;
    for (const p of catalog) await store.create(p, tx);
    return catalog.length;
  });
  if (inserted) logger.info({ products: inserted }, 'seeded the demo catalog into the empty database');
  return inserted;
}
