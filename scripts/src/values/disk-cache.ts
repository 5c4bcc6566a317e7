// Where the values CLI keeps what it derives from the chart (compiled schemas, parsed chart YAML)
// between runs, each entry named by the hash of what it was made from, so a changed input is a
// new entry and never a stale one. Losing the cache only costs time.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** `node_modules/.cache/techcommerce-values` of the checkout; TECHCOMMERCE_VALUES_CACHE overrides. */
export function cacheDir(): string {
  const repoRoot = path.resolve(__dirname, '../../..');
  return (
    process.env.TECHCOMMERCE_VALUES_CACHE ??
    path.join(repoRoot, 'node_modules', '.cache', 'techcommerce-values')
  );
}

export function cacheKey(...parts: string[]): string {
  return crypto.createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 32);
}

export function readCached(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Another process may be writing the same entry: write aside, then rename over. */
export function writeCached(file: string, data: string | Buffer): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch {
    // A read-only checkout: every run does the work again, nothing else changes.
  }
}
