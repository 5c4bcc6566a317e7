// The bundled PostgreSQL's start-up, run for real: the init script, bootstrap SQL and pg_hba.conf
// exactly as `helm template` renders them into the chart's ConfigMap, and the server command of
// its StatefulSet, with Debian's PostgreSQL 15 binaries (the same contract as the chart's image:
// initdb, pg_ctl, postgres, psql on PATH, run as a non-root user). Checks: a new volume gets
// initdb, each API's user reaches only its own database over TCP with its password (SCRAM), a
// second start changes nothing but the passwords the Secret now holds, and data survives it.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { findPostgresBin, freePort } from '../../src/testing/postgres';
import { render, type K8sObject } from './helpers';

const root = process.getuid?.() === 0;
const bin = findPostgresBin();
const objects = render('charts/postgresql', { release: 'shop', namespace: 'store' });
const configMap = objects.find((o) => o.kind === 'ConfigMap') as K8sObject & { data: Record<string, string> };
const statefulSet = objects.find((o) => o.kind === 'StatefulSet') as K8sObject & {
  spec: {
    template: { spec: { containers: { command: string[]; env: { name: string; value: string }[] }[] } };
  };
};

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-pginit-'));
const dirs = {
  config: path.join(work, 'config'),
  secrets: path.join(work, 'secrets'),
  sockets: path.join(work, 'run'),
  data: path.join(work, 'data'),
  tmp: path.join(work, 'tmp'),
};
const pgdata = path.join(dirs.data, 'pgdata');
let server: ChildProcess | undefined;
let port = 0;

/** Runs as the server user (PostgreSQL refuses root), with the binaries on PATH as in the image. */
function asServerUser(cmd: string, args: string[]): [string, string[]] {
  return root ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}
const env = () => ({
  ...process.env,
  PATH: `${bin}:${process.env.PATH ?? ''}`,
  PGDATA: pgdata,
  PG_SOCKET_DIR: dirs.sockets,
  PG_CONFIG_DIR: dirs.config,
  PG_SECRET_DIR: dirs.secrets,
  TMPDIR: dirs.tmp,
});

function writeSecrets(passwords: Record<string, string>): void {
  fs.rmSync(dirs.secrets, { recursive: true, force: true });
  fs.mkdirSync(dirs.secrets);
  for (const [key, value] of Object.entries(passwords)) fs.writeFileSync(path.join(dirs.secrets, key), value);
  if (root) execFileSync('chown', ['-R', 'postgres:postgres', dirs.secrets]);
}

/** The init container: `sh /etc/postgresql/init.sh` with the rendered files. */
function runInit(): string {
  // The script logs its temporary server to /tmp, as in the pod (an emptyDir there).
  const script = fs
    .readFileSync(path.join(dirs.config, 'init.sh'), 'utf8')
    .replaceAll('/tmp/', `${dirs.tmp}/`);
  fs.writeFileSync(path.join(dirs.config, 'init-test.sh'), script);
  const [c, a] = asServerUser('sh', [path.join(dirs.config, 'init-test.sh')]);
  return execFileSync(c, a, {
    env: env(),
    encoding: 'utf8',
    cwd: work,
    timeout: 120_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The server container: the StatefulSet's command, plus a free port for this machine. */
async function startServer(): Promise<void> {
  port = await freePort();
  // The pod's paths (/etc/postgresql, /var/run/postgresql) are this test's folders.
  const command = statefulSet.spec.template.spec.containers[0]!.command.map((arg) =>
    arg === '$(PGDATA)'
      ? pgdata
      : arg.replace('/etc/postgresql', dirs.config).replace('/var/run/postgresql', dirs.sockets),
  );
  const [c, a] = asServerUser(path.join(bin, command[0]!), [...command.slice(1), '-c', `port=${port}`]);
  const log = fs.openSync(path.join(work, 'server.log'), 'a');
  server = spawn(c, a, { env: env(), stdio: ['ignore', log, log], cwd: work });
  for (let i = 0; i < 100; i++) {
    try {
      execFileSync(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], {
        stdio: 'ignore',
      });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(
    `the server did not become ready:\n${fs.readFileSync(path.join(work, 'server.log'), 'utf8')}`,
  );
}

async function stopServer(): Promise<void> {
  if (!server) return;
  const exited = new Promise((r) => server!.once('exit', r));
  // SIGTERM to runuser is passed on; PostgreSQL's smart shutdown would wait for clients: use fast.
  execFileSync(...asServerUser(path.join(bin, 'pg_ctl'), ['-D', pgdata, '-m', 'fast', '-w', 'stop']), {
    env: env(),
    stdio: 'ignore',
  });
  await exited;
  server = undefined;
}

async function connect(user: string, password: string, database: string): Promise<pg.Client> {
  const client = new pg.Client({ host: '127.0.0.1', port, user, password, database });
  await client.connect();
  return client;
}

beforeAll(() => {
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  for (const key of ['pg_hba.conf', 'init.sh', 'bootstrap.sql'])
    fs.writeFileSync(path.join(dirs.config, key), configMap.data[key] ?? '');
  if (root) execFileSync('chown', ['-R', 'postgres:postgres', work]);
});

afterAll(async () => {
  await stopServer().catch(() => undefined);
  fs.rmSync(work, { recursive: true, force: true });
});

const first = {
  'postgres-password': 'su-1',
  'product-api-password': 'products-1',
  'order-api-password': 'orders-1',
};

describe('the bundled PostgreSQL’s init script and server command, on PostgreSQL 15', () => {
  it('runs initdb on an empty volume, then creates the roles and databases', () => {
    writeSecrets(first);
    const out = runInit();
    expect(out).toMatch(/empty data directory, running initdb/);
    expect(out).toMatch(/roles and databases are in place/);
    expect(fs.existsSync(path.join(pgdata, 'PG_VERSION'))).toBe(true);
    expect(fs.readFileSync(path.join(pgdata, 'PG_VERSION'), 'utf8').trim()).toBe('15');
  }, 120_000);

  it('lets each API in with its password over TCP, owning its own database', async () => {
    await startServer();
    const products = await connect('product_api', 'products-1', 'products');
    try {
      await products.query('CREATE TABLE kept (id int PRIMARY KEY)');
      await products.query('INSERT INTO kept VALUES (1)');
      const owner = await products.query<{ owner: string }>(
        "SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = 'products'",
      );
      expect(owner.rows[0]?.owner).toBe('product_api');
    } finally {
      await products.end();
    }
    const orders = await connect('order_api', 'orders-1', 'orders');
    await orders.end();
  }, 60_000);

  it('refuses an API another API’s database, a wrong password and a superuser without one', async () => {
    await expect(connect('product_api', 'products-1', 'orders')).rejects.toThrow(
      /permission denied for database "orders"/,
    );
    await expect(connect('order_api', 'wrong', 'orders')).rejects.toThrow(/password authentication failed/);
    await expect(connect('postgres', '', 'postgres')).rejects.toThrow(/password/);
    const su = await connect('postgres', 'su-1', 'postgres');
    await su.end();
  }, 60_000);

  it('on a restart changes nothing but the passwords the Secret now holds; the data stays', async () => {
    await stopServer();
    writeSecrets({ ...first, 'order-api-password': 'orders-2' });
    const out = runInit();
    expect(out).not.toMatch(/running initdb/);
    await startServer();
    await expect(connect('order_api', 'orders-1', 'orders')).rejects.toThrow(
      /password authentication failed/,
    );
    const orders = await connect('order_api', 'orders-2', 'orders');
    await orders.end();
    const products = await connect('product_api', 'products-1', 'products');
    try {
      expect((await products.query('SELECT id FROM kept')).rows).toEqual([{ id: 1 }]);
    } finally {
      await products.end();
    }
  }, 120_000);
});
