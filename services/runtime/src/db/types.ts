// One interface over both storage engines, so a store is written once and runs on a PostgreSQL
// server in clusters and on embedded PGlite on a laptop or in tests (same SQL).
export interface QueryResult<R> {
  rows: R[];
  /** Rows inserted, updated or deleted (0 for a plain SELECT on PGlite). */
  rowCount: number;
}

/**
 * A statement sent often: on PostgreSQL it is a named prepared statement, parsed and planned once
 * per connection instead of at every call. Make one with statement(); PGlite runs its text.
 */
export interface Statement {
  readonly name: string;
  readonly text: string;
}

export interface Queryable {
  /** One statement with $1..$n parameters. */
  query<R = Record<string, unknown>>(
    sql: string | Statement,
    params?: readonly unknown[],
  ): Promise<QueryResult<R>>;
  /** A script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly driver: 'postgres' | 'pglite';
  /** Runs fn in one transaction: COMMIT when it resolves, ROLLBACK when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Cheap round trip for readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** PostgreSQL error codes the stores branch on. */
export const PgCode = {
  uniqueViolation: '23505',
  checkViolation: '23514',
  foreignKeyViolation: '23503',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
} as const;

/**
 * A PostgreSQL data exception (SQLSTATE class 22: invalid text or encoding, an invalid cast, a
 * value out of range): the request carried a value the database cannot take, so it is the
 * client's error (400), never the server's.
 */
export function isDataException(err: unknown): boolean {
  return /^22[0-9A-Z]{3}$/.test(pgErrorCode(err) ?? '');
}

// Network failures on the way to the server, and pg's own messages for a pool that could not
// connect in time or a connection the server dropped.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);
const POOL_MESSAGES = /^(timeout exceeded when trying to connect|Connection terminated)/;

/**
 * The database cannot serve the request now, through no fault of the request: unreachable, the
 * connection lost (SQLSTATE class 08), out of resources (class 53: too many connections), shutting
 * down or starting (57P01-57P03), or the statement timeout (57014). The service answers 503 and
 * the client may retry; anything else stays a 500 (a bug to fix).
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const code = pgErrorCode(err) ?? '';
  if (/^(08|53)[0-9A-Z]{3}$/.test(code) || /^57(P01|P02|P03|014)$/.test(code)) return true;
  if (NETWORK_CODES.has(code)) return true;
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' && POOL_MESSAGES.test(message);
}

export function pgErrorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
