// A database that is down or too slow is not the request's fault and not a bug: the runtime answers
// 503 with Retry-After (documented on every operation), never a 500, and logs the cause.
import request from 'supertest';
import { createService, isDatabaseUnavailable, openDatabase, type Db } from '@techcommerce/runtime';
import { createLogger } from '@techcommerce/runtime/logger';
import { createTestDatabase, freePort } from '../../../scripts/src/testing/postgres';
import { LogSink, postgresSettings, testSchema } from './helpers';

const logger = createLogger({ service: 'db-unavailable-test', destination: new LogSink() });

test.each([
  ['08006', true], // connection failure
  ['53300', true], // too many connections
  ['57P01', true], // admin shutdown
  ['57P03', true], // cannot connect now
  ['57014', true], // statement timeout
  ['ECONNREFUSED', true],
  ['22021', false], // a data exception is the client's (400)
  ['23505', false], // unique violation: the store's to handle
  ['42P01', false], // undefined table: a bug, stays 500
])('isDatabaseUnavailable(code %s) is %s', (code, expected) => {
  expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code }))).toBe(expected);
});

test("pg's pool timeout and dropped-connection messages count, other errors do not", () => {
  expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
  expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
  expect(isDatabaseUnavailable(new Error('Cannot read properties of undefined'))).toBe(false);
});

describe('a service whose database fails answers 503 problems', () => {
  const dbs: Db[] = [];
  afterAll(async () => {
    for (const db of dbs) await db.close();
  });

  async function serve(db: Db, sql: string, logs: LogSink) {
    dbs.push(db);
    return createService(
      {
        name: 'test-svc',
        configSchema: testSchema,
        setup: () => ({
          routes: [
            { method: 'GET', path: '/q', handler: async () => ({ body: (await db.query(sql)).rows }) },
          ],
        }),
      },
      { config: { server: { port: 1 } }, env: {}, logDestination: logs },
    );
  }

  test('unreachable (nothing listens on the port): 503 with Retry-After, the cause in the log', async () => {
    const port = await freePort();
    const db = await openDatabase({
      settings: { driver: 'postgres', host: '127.0.0.1', port, name: 'x', user: 'x', connectTimeoutMs: 500 },
      applicationName: 'test',
      logger,
    });
    const logs = new LogSink();
    const svc = await serve(db, 'SELECT 1', logs);
    try {
      const res = await request(svc.app.server).get('/q').expect(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ type: 'urn:techcommerce:problem:database-unavailable', status: 503 });
      expect(JSON.stringify(res.body)).not.toContain(String(port));
      expect(logs.lines.some((l) => l.msg === 'database unavailable')).toBe(true);
    } finally {
      await svc.shutdown();
    }
  });

  test('too slow (the statement timeout of a real PostgreSQL): 503', async () => {
    const db = await openDatabase({
      settings: {
        ...postgresSettings(await createTestDatabase('runtime_unavailable')),
        statementTimeoutMs: 100,
      },
      applicationName: 'test',
      logger,
    });
    const svc = await serve(db, 'SELECT pg_sleep(2)', new LogSink());
    try {
      const res = await request(svc.app.server).get('/q').expect(503);
      expect(res.body.type).toBe('urn:techcommerce:problem:database-unavailable');
    } finally {
      await svc.shutdown();
    }
  });

  test('a bug in SQL stays a 500 (not hidden as an outage)', async () => {
    const db = await openDatabase({
      settings: postgresSettings(await createTestDatabase('runtime_unavailable')),
      applicationName: 'test',
      logger,
    });
    const svc = await serve(db, 'SELECT * FROM no_such_table', new LogSink());
    try {
      await request(svc.app.server).get('/q').expect(500);
    } finally {
      await svc.shutdown();
    }
  });
});
