// PostgreSQL server through a pg connection pool.
import fs from 'node:fs';
import pg from 'pg';
import type { Logger } from 'pino';
import type { DatabaseSettings } from '../settings';
import type { Db, Queryable, QueryResult, Statement } from './types';

export interface PostgresOptions {
  settings: DatabaseSettings;
  password?: string;
  applicationName: string;
  logger: Logger;
}

export function poolConfig(o: PostgresOptions): pg.PoolConfig {
  const s = o.settings;
  const ssl =
    s.sslMode === 'require'
      ? { rejectUnauthorized: false }
      : s.sslMode === 'verify-full'
        ? {
            rejectUnauthorized: true,
            ...(s.sslRootCertFile ? { ca: fs.readFileSync(s.sslRootCertFile, 'utf8') } : {}),
          }
        : false;
  return {
    host: s.host,
    port: s.port ?? 5432,
    database: s.name,
    user: s.user,
    password: o.password,
    ssl,
    max: s.poolMax ?? 10,
    connectionTimeoutMillis: s.connectTimeoutMs ?? 5000,
    idleTimeoutMillis: 30_000,
    statement_timeout: s.statementTimeoutMs ?? 10_000,
    application_name: o.applicationName,
  };
}

const wrap = <R>(r: pg.QueryResult): QueryResult<R> => ({ rows: r.rows as R[], rowCount: r.rowCount ?? 0 });

// A Statement goes as pg's { name, text }: parsed and planned on a connection's first use only.
const config = (sql: string | Statement, params?: readonly unknown[]): pg.QueryConfig =>
  typeof sql === 'string'
    ? { text: sql, values: params as unknown[] }
    : { name: sql.name, text: sql.text, values: params as unknown[] };

export function openPostgres(o: PostgresOptions): Db {
  const pool = new pg.Pool(poolConfig(o));
  // An idle client can lose its connection (server restart, failover); without this listener the
  // 'error' event would crash the process instead of the pool replacing the client.
  pool.on('error', (err) => o.logger.warn({ err }, 'idle database connection failed; the pool replaces it'));

  const clientQueryable = (client: pg.PoolClient): Queryable => ({
    query: async <R>(sql: string | Statement, params?: readonly unknown[]) =>
      wrap<R>(await client.query(config(sql, params))),
    exec: async (sql: string) => {
      await client.query(sql);
    },
  });

  return {
    driver: 'postgres',
    query: async <R>(sql: string | Statement, params?: readonly unknown[]) =>
      wrap<R>(await pool.query(config(sql, params))),
    exec: async (sql) => {
      await pool.query(sql);
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await fn(clientQueryable(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true; // the connection is unusable: drop it instead of returning it to the pool
        }
        throw err;
      } finally {
        client.release(broken);
      }
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      await pool.end();
    },
  };
}
