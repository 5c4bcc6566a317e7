// Embedded PostgreSQL (PGlite: PostgreSQL compiled to WebAssembly, in-process). One connection:
// PGlite runs one statement or transaction at a time, so concurrent transactions queue up and the
// SQL behaves as it does on a server with row locks. Named statements run as plain text (PGlite has
// no per-connection statement cache to gain from).
import type { DatabaseSettings } from '../settings';
import { statementText } from './statement';
import type { Db, Queryable, QueryResult, Statement } from './types';

const wrap = <R>(r: { rows: unknown[]; affectedRows?: number }): QueryResult<R> => ({
  rows: r.rows as R[],
  rowCount: r.affectedRows ?? 0,
});

export async function openPglite(settings: DatabaseSettings): Promise<Db> {
  // Loaded on demand: the WebAssembly build is large and clusters never need it.
  const { PGlite } = await import('@electric-sql/pglite');
  const db = new PGlite(settings.pgliteDataDir ?? 'memory://');
  await db.waitReady;

  type Tx = Parameters<Parameters<typeof db.transaction>[0]>[0];
  const txQueryable = (tx: Tx): Queryable => ({
    query: async <R>(sql: string | Statement, params?: readonly unknown[]) =>
      wrap<R>(await tx.query(statementText(sql), params as unknown[])),
    exec: async (sql: string) => {
      await tx.exec(sql);
    },
  });

  return {
    driver: 'pglite',
    query: async <R>(sql: string | Statement, params?: readonly unknown[]) =>
      wrap<R>(await db.query(statementText(sql), params as unknown[])),
    exec: async (sql) => {
      await db.exec(sql);
    },
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => db.transaction((tx) => fn(txQueryable(tx))),
    async ping() {
      await db.query('SELECT 1');
    },
    async close() {
      if (!db.closed) await db.close();
    },
  };
}
