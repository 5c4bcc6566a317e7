// A throwaway PostgreSQL server for tests: its own data directory, a loopback port, trust auth.
// Real PostgreSQL from the Debian packages (the toolchain installs them), never a mock.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface RunningPostgres {
  url: string;
  dataDir: string;
  stop(): void;
}

export function findPostgresBin(): string {
  const candidates: string[] = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
  } catch {
    /* pg_config is optional: fall back to Debian's layout */
  }
  const debian = '/usr/lib/postgresql';
  if (fs.existsSync(debian)) {
    for (const v of fs.readdirSync(debian).sort((a, b) => Number(b) - Number(a))) {
      candidates.push(path.join(debian, v, 'bin'));
    }
  }
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'initdb')));
  if (!found) {
    throw new Error(
      'PostgreSQL server binaries (initdb, pg_ctl) not found. Run `npm run tools` (installs Debian postgresql) or set PG_BIN.',
    );
  }
  return found;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

// PostgreSQL refuses to run as root; under root the server runs as the `postgres` system user.
function asServerUser(cmd: string, args: string[]): [string, string[]] {
  if (process.getuid?.() === 0) return ['runuser', ['-u', 'postgres', '--', cmd, ...args]];
  return [cmd, args];
}

export async function startPostgres(): Promise<RunningPostgres> {
  const bin = findPostgresBin();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-pg-'));
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', dataDir]);
  // Bounded, and stdin closed: a wedged initdb/pg_ctl must fail the run with its log, not hang it.
  const run = (cmd: string, args: string[]) => {
    const [c, a] = asServerUser(path.join(bin, cmd), args);
    try {
      execFileSync(c, a, { stdio: ['ignore', 'pipe', 'pipe'], cwd: os.tmpdir(), timeout: 90_000 });
    } catch (err) {
      const logFile = path.join(dataDir, 'server.log');
      const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-2000) : '';
      const e = err as { message: string; stderr?: Buffer };
      throw new Error(
        `test PostgreSQL: ${cmd} failed: ${e.message}\n${e.stderr?.toString() ?? ''}${log ? `\nserver.log:\n${log}` : ''}`,
      );
    }
  };
  run('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  const opts = `-p ${port} -k ${dataDir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200`;
  run('pg_ctl', [
    '-D',
    dataDir,
    '-o',
    opts,
    '-l',
    path.join(dataDir, 'server.log'),
    '-w',
    '-t',
    '30',
    'start',
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dataDir,
    stop() {
      try {
        run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

// A fresh database on the shared test server, so a suite never sees another suite's rows.
export async function createTestDatabase(prefix: string): Promise<string> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base)
    throw new Error(
      'TEST_DATABASE_URL is not set: run the tests through jest (global setup starts PostgreSQL)',
    );
  const { Client } = await import('pg');
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${process.pid}_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}
