// The same suite against a real PostgreSQL server and embedded PGlite.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDataException, loadMigrations, migrate, openDatabase, type Db } from '@techcommerce/runtime';
import { createLogger } from '@techcommerce/runtime/logger';
import { createTestDatabase } from '../../../scripts/src/testing/postgres';
import { LogSink, postgresSettings } from './helpers';

const logger = createLogger({ service: 'db-test', destination: new LogSink() });

type Opener = () => Promise<Db>;
const drivers: [string, () => Promise<Opener>][] = [
  [
    'postgres',
    async () => {
      const url = await createTestDatabase('runtime_db');
      return () => openDatabase({ settings: postgresSettings(url), applicationName: 'test', logger });
    },
  ],
  [
    'pglite',
    async () => {
      // One embedded database shared by every "connection" of a test, like one server.
      const db = await openDatabase({ settings: { driver: 'pglite' }, applicationName: 'test', logger });
      return async () => ({ ...db, close: async () => undefined });
    },
  ],
];

function migrationsDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-mig-'));
  for (const [name, sql] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), sql);
  return dir;
}

const base = {
  '001_things.sql': 'CREATE TABLE things (id integer PRIMARY KEY, name text NOT NULL);',
  '002_seed.sql': "INSERT INTO things VALUES (1, 'one'); INSERT INTO things VALUES (2, 'two');",
};

describe.each(drivers)('Db on %s', (_name, prepare) => {
  let open: Opener;
  let db: Db;
  beforeAll(async () => {
    open = await prepare();
    db = await open();
    await migrate(db, loadMigrations(migrationsDir(base)), logger);
  }, 60_000);
  afterAll(() => db.close());

  test('transaction commits when fn resolves and rolls back when it throws', async () => {
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO things VALUES ($1, $2)', [10, 'ten']);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO things VALUES ($1, $2)', [11, 'eleven']);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const { rows } = await db.query<{ id: number }>('SELECT id FROM things WHERE id >= 10 ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual([10]);
  });

  test('rowCount counts changed rows; array parameters work', async () => {
    const upd = await db.query("UPDATE things SET name = name || '!' WHERE id = ANY($1::integer[])", [
      [1, 2, 99],
    ]);
    expect(upd.rowCount).toBe(2);
    const del = await db.query('DELETE FROM things WHERE id = $1', [10]);
    expect(del.rowCount).toBe(1);
    await db.ping();
  });

  test('a unique violation surfaces its PostgreSQL code', async () => {
    await expect(db.query("INSERT INTO things VALUES (1, 'dup')")).rejects.toMatchObject({ code: '23505' });
  });

  // The errors the HTTP pipeline answers with 400 (isDataException), as each driver reports them.
  test.each([
    ['NUL in text', 'INSERT INTO things VALUES (20, $1)', ['a\u0000b']],
    ['a uuid that is not one', 'SELECT $1::uuid', ['not-a-uuid']],
    ['an integer that is not one', 'SELECT $1::integer', ['abc']],
    ['a timestamp that is not one', 'SELECT $1::timestamptz', ['yesterday-ish']],
  ])('%s is a data exception (SQLSTATE class 22)', async (_what, sql, params) => {
    const err: unknown = await db.query(sql, params).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: expect.stringMatching(/^22/) });
    expect(isDataException(err)).toBe(true);
  });
  test('other errors are not data exceptions', async () => {
    const err: unknown = await db.query("INSERT INTO things VALUES (1, 'dup')").catch((e: unknown) => e);
    expect(isDataException(err)).toBe(false);
    expect(isDataException(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(false);
  });
});

describe.each(drivers)('migrations on %s', (_name, prepare) => {
  test('each file is applied once; a second run applies nothing', async () => {
    const db = await (await prepare())();
    try {
      const dir = migrationsDir(base);
      expect(await migrate(db, loadMigrations(dir))).toEqual({
        applied: ['001_things.sql', '002_seed.sql'],
        alreadyApplied: [],
      });
      expect(await migrate(db, loadMigrations(dir))).toEqual({
        applied: [],
        alreadyApplied: ['001_things.sql', '002_seed.sql'],
      });
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::integer AS n FROM things');
      expect(rows[0]!.n).toBe(2);
    } finally {
      await db.close();
    }
  }, 60_000);

  test('two migrators at once (separate connections) apply each file exactly once', async () => {
    const open = await prepare();
    const [a, b] = [await open(), await open()];
    try {
      const dir = migrationsDir({
        ...base,
        '003_slow.sql': 'SELECT pg_sleep(0.2); CREATE TABLE more (id integer);',
      });
      const reports = await Promise.all([migrate(a, loadMigrations(dir)), migrate(b, loadMigrations(dir))]);
      const applied = reports.flatMap((r) => r.applied).sort();
      expect(applied).toEqual(['001_things.sql', '002_seed.sql', '003_slow.sql']);
      const { rows } = await a.query<{ n: number }>('SELECT count(*)::integer AS n FROM things');
      expect(rows[0]!.n).toBe(2);
      const recorded = await a.query<{ version: number }>(
        'SELECT version FROM schema_migrations ORDER BY version',
      );
      expect(recorded.rows.map((r) => r.version)).toEqual([1, 2, 3]);
    } finally {
      await a.close();
      await b.close();
    }
  }, 60_000);

  test('a failing migration leaves nothing behind and is not recorded', async () => {
    const db = await (await prepare())();
    try {
      const dir = migrationsDir({
        '001_ok.sql': 'CREATE TABLE ok_table (id integer);',
        '002_broken.sql': 'CREATE TABLE half_done (id integer); SELECT no_such_function();',
      });
      await expect(migrate(db, loadMigrations(dir))).rejects.toThrow(/no_such_function/);
      const { rows } = await db.query<{ n: number }>(
        "SELECT count(*)::integer AS n FROM information_schema.tables WHERE table_name IN ('ok_table', 'half_done')",
      );
      expect(rows[0]!.n).toBe(1);
      const recorded = await db.query<{ version: number }>('SELECT version FROM schema_migrations');
      expect(recorded.rows.map((r) => r.version)).toEqual([1]);
    } finally {
      await db.close();
    }
  }, 60_000);

  test('a migration edited after it was applied is refused', async () => {
    const db = await (await prepare())();
    try {
      await migrate(db, loadMigrations(migrationsDir({ '001_t.sql': 'CREATE TABLE t1 (id integer);' })));
      await expect(
        migrate(db, loadMigrations(migrationsDir({ '001_t.sql': 'CREATE TABLE t1 (id bigint);' }))),
      ).rejects.toThrow(
        'migration 001_t.sql was changed after it was applied (as 001_t.sql); add a new migration instead',
      );
    } finally {
      await db.close();
    }
  }, 60_000);
});

describe('migration files', () => {
  test('badly named or clashing files are refused', () => {
    expect(() => loadMigrations(migrationsDir({ 'create.sql': '' }))).toThrow(
      /migration files are named NNN_description\.sql/,
    );
    expect(() => loadMigrations(migrationsDir({ '001_a.sql': '', '1_b.sql': '' }))).toThrow(
      /share version 1/,
    );
    expect(() => loadMigrations('/nonexistent/dir')).toThrow('migrations folder not found: /nonexistent/dir');
  });
});
