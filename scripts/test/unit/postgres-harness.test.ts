import { execFileSync } from 'node:child_process';
import { createTestDatabase } from '../../src/testing/postgres';

describe('test PostgreSQL harness', () => {
  it('provides a real PostgreSQL server through TEST_DATABASE_URL', () => {
    const url = process.env.TEST_DATABASE_URL;
    expect(url).toMatch(/^postgres:\/\//);
    const out = execFileSync('psql', [url as string, '-Atc', 'select version()'], { encoding: 'utf8' });
    expect(out).toMatch(/^PostgreSQL \d+/);
  });
});

describe('createTestDatabase', () => {
  it('gives each caller its own empty database', async () => {
    const a = await createTestDatabase('harness');
    const b = await createTestDatabase('harness');
    expect(a).not.toEqual(b);
    const tables = execFileSync(
      'psql',
      [a, '-Atc', "select count(*) from pg_tables where schemaname='public'"],
      {
        encoding: 'utf8',
      },
    );
    expect(tables.trim()).toBe('0');
  });
});
