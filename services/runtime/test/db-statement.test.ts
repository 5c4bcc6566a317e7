// Named statements: prepared once per connection on PostgreSQL (seen in pg_prepared_statements),
// plain text on PGlite; one name never stands for two texts.
import { openDatabase, statement } from '@techcommerce/runtime';
import { createLogger } from '@techcommerce/runtime/logger';
import { createTestDatabase } from '../../../scripts/src/testing/postgres';
import { LogSink, postgresSettings } from './helpers';

const logger = createLogger({ service: 'db-statement-test', destination: new LogSink() });

const SQUARE = statement('test.square', 'SELECT $1::integer * $1::integer AS n');

test('a name used again with another text is refused when the statement is defined', () => {
  expect(statement('test.square', 'SELECT $1::integer * $1::integer AS n')).toEqual(SQUARE);
  expect(() => statement('test.square', 'SELECT 1')).toThrow(
    'statement test.square is already defined with another text',
  );
  expect(() => statement('Bad Name', 'SELECT 1')).toThrow(/must match/);
});

test('on PostgreSQL a statement is prepared once per connection and reused, in and out of transactions', async () => {
  const db = await openDatabase({
    settings: { ...postgresSettings(await createTestDatabase('runtime_stmt')), poolMax: 1 },
    applicationName: 'test',
    logger,
  });
  try {
    for (const n of [2, 3, 4])
      expect((await db.query<{ n: number }>(SQUARE, [n])).rows).toEqual([{ n: n * n }]);
    await db.transaction(async (tx) => {
      expect((await tx.query<{ n: number }>(SQUARE, [5])).rows).toEqual([{ n: 25 }]);
    });
    // One connection (poolMax 1): the server holds the statement once, under its name.
    const { rows } = await db.query<{ name: string; statement: string }>(
      'SELECT name, statement FROM pg_prepared_statements',
    );
    expect(rows).toEqual([{ name: 'test.square', statement: SQUARE.text }]);
  } finally {
    await db.close();
  }
});

test('on PGlite a statement runs as its text', async () => {
  const db = await openDatabase({ settings: { driver: 'pglite' }, applicationName: 'test', logger });
  try {
    expect((await db.query<{ n: number }>(SQUARE, [7])).rows).toEqual([{ n: 49 }]);
    await db.transaction(async (tx) => {
      expect((await tx.query<{ n: number }>(SQUARE, [8])).rows).toEqual([{ n: 64 }]);
    });
  } finally {
    await db.close();
  }
}, 60_000);
