import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, readSecret, readSecrets } from '@techcommerce/runtime';
import productSchema from '../../product-api/src/generated/config.schema.json';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-config-'));
const write = (name: string, content: string) => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, content);
  return file;
};
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

type Cfg = {
  server: { port: number; bodyLimit: string; shutdownTimeoutSeconds: number; drainDelaySeconds: number };
  log: { level: string; requests: boolean };
  database: { driver: string; migrateOnStart: boolean; port: number };
  catalog: { seedWhenEmpty: boolean; cacheTtlMs: number };
  faults: { enabled: boolean };
};
const load = (env: Record<string, string>) =>
  loadConfig<Cfg>({ service: 'product-api', schema: productSchema, env });

describe('loadConfig (product-api schema generated from schemas/)', () => {
  test('without CONFIG_FILE every default of the schema applies (laptop case: embedded database)', () => {
    const c = load({});
    expect(c.server).toEqual({
      port: 5000,
      bodyLimit: '100kb',
      shutdownTimeoutSeconds: 20,
      drainDelaySeconds: 3,
      readinessTimeoutMs: 1000,
    });
    expect(c.log).toEqual({ level: 'info', requests: true });
    expect(c.database.driver).toBe('pglite');
    expect(c.database.migrateOnStart).toBe(true);
    expect(c.faults.enabled).toBe(false);
  });

  test('a CONFIG_FILE is read and nested defaults fill what it leaves out', () => {
    const file = write(
      'ok.json',
      JSON.stringify({
        server: { port: 5001 },
        database: { driver: 'postgres', host: 'db', name: 'products', user: 'app' },
      }),
    );
    const c = load({ CONFIG_FILE: file });
    expect(c.server.port).toBe(5001);
    expect(c.server.bodyLimit).toBe('100kb');
    expect(c.database).toMatchObject({ driver: 'postgres', host: 'db', port: 5432, migrateOnStart: true });
  });

  test('invalid config is refused with one readable line per bad path', () => {
    const file = write(
      'bad.json',
      JSON.stringify({
        server: { port: 70000, bodyLimit: 'lots', extra: 1 },
        log: { level: 'loud' },
        database: { driver: 'postgres', host: 'db' },
        catalog: { cacheTtlMs: -1 },
        unknownBlock: {},
      }),
    );
    let error: unknown;
    try {
      load({ CONFIG_FILE: file });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(`product-api: invalid config in ${file}:`);
    for (const line of [
      '  - unknownBlock: is not an allowed key',
      '  - server.port: must be <= 65535',
      '  - server.bodyLimit: must match pattern "^[0-9]+(b|kb|mb)$"',
      '  - server.extra: is not an allowed key',
      '  - log.level: must be one of "fatal", "error", "warn", "info", "debug", "trace"',
      '  - database.name: is required',
      '  - database.user: is required',
      '  - catalog.cacheTtlMs: must be >= 0',
    ]) {
      expect(message).toContain(line);
    }
  });

  test('a CONFIG_FILE that is missing or not JSON is named in the error', () => {
    expect(() => load({ CONFIG_FILE: path.join(tmp, 'nope.json') })).toThrow(
      /cannot read CONFIG_FILE .*nope\.json/,
    );
    const file = write('broken.json', '{"server": ');
    expect(() => load({ CONFIG_FILE: file })).toThrow(/CONFIG_FILE .*broken\.json is not valid JSON/);
  });
});

describe('secrets from env NAME or the file in NAME_FILE', () => {
  test('env value', () => {
    expect(readSecret('ADMIN_TOKEN', { ADMIN_TOKEN: 'abc' })).toBe('abc');
    expect(readSecret('ADMIN_TOKEN', {})).toBeUndefined();
  });

  test('file value, without its trailing newline (as Kubernetes mounts it)', () => {
    const file = write('token', 's3cret-value\n');
    expect(readSecret('ADMIN_TOKEN', { ADMIN_TOKEN_FILE: file })).toBe('s3cret-value');
    expect(readSecrets(['ADMIN_TOKEN', 'DATABASE_PASSWORD'] as const, { ADMIN_TOKEN_FILE: file })).toEqual({
      ADMIN_TOKEN: 's3cret-value',
    });
  });

  test('both set, a missing file or an empty file are refused with the variable named', () => {
    const file = write('token2', 'x');
    expect(() => readSecret('ADMIN_TOKEN', { ADMIN_TOKEN: 'a', ADMIN_TOKEN_FILE: file })).toThrow(
      'ADMIN_TOKEN: set either ADMIN_TOKEN or ADMIN_TOKEN_FILE, not both',
    );
    expect(() =>
      readSecret('DATABASE_PASSWORD', { DATABASE_PASSWORD_FILE: path.join(tmp, 'missing') }),
    ).toThrow(/DATABASE_PASSWORD_FILE=.*missing: cannot read the secret/);
    const empty = write('empty', '\n');
    expect(() => readSecret('DATABASE_PASSWORD', { DATABASE_PASSWORD_FILE: empty })).toThrow(
      /the secret file is empty/,
    );
  });
});
