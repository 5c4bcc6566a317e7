// Versioned SQL migrations: files named NNN_description.sql, applied in order, each exactly once,
// each in its own transaction, under a transaction-level advisory lock. Two pods (or a hook Job
// and a pod) migrating at once therefore queue on the lock, and the second one finds the work done.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Db } from './types';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

const FILE = /^([0-9]+)_([a-z0-9][a-z0-9_-]*)\.sql$/;

export function loadMigrations(dir: string): Migration[] {
  if (!fs.existsSync(dir)) throw new Error(`migrations folder not found: ${dir}`);
  const out: Migration[] = [];
  for (const file of fs.readdirSync(dir).sort()) {
    if (!file.endsWith('.sql')) continue;
    const m = FILE.exec(file);
    if (!m) throw new Error(`${path.join(dir, file)}: migration files are named NNN_description.sql`);
    const sql = fs.readFileSync(path.join(dir, file), 'utf8');
    const version = Number(m[1]);
    const clash = out.find((o) => o.version === version);
    if (clash) throw new Error(`${dir}: migrations ${clash.name} and ${file} share version ${version}`);
    out.push({ version, name: file, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return out.sort((a, b) => a.version - b.version);
}

// Any constant works: each service owns its database. Derived from a name so it is recognisable.
const LOCK_KEY = BigInt.asIntN(
  64,
  BigInt(`0x${createHash('sha256').update('techcommerce:migrations').digest('hex').slice(0, 16)}`),
).toString();

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

export async function migrate(db: Db, migrations: Migration[], logger?: Logger): Promise<MigrationReport> {
  const report: MigrationReport = { applied: [], alreadyApplied: [] };
  for (const m of migrations) {
    const applied = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [LOCK_KEY]);
      await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const done = await tx.query<{ checksum: string; name: string }>(
        'SELECT name, checksum FROM schema_migrations WHERE version = $1',
        [m.version],
      );
      const row = done.rows[0];
      if (row) {
        if (row.checksum !== m.checksum) {
          throw new Error(
            `migration ${m.name} was changed after it was applied (as ${row.name}); add a new migration instead`,
          );
        }
        return false;
      }
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        m.checksum,
      ]);
      return true;
    });
    (applied ? report.applied : report.alreadyApplied).push(m.name);
    if (applied) logger?.info({ migration: m.name }, 'migration applied');
  }
  return report;
}
