// A compiled bin run from a checkout (node_modules/.bin/techcommerce-values → scripts/dist/…)
// must not run code older than its sources: after a `git pull` or an edit, the first call
// rebuilds with `tsc -b` (a few seconds, once), then runs. Outside a checkout (no src/ beside
// dist/) there is nothing to compare. The check is one stat per source file (about a millisecond).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * `distDir`: the package's dist/ (holding .tsbuildinfo); `watched`: source folders, relative to
 * the package's src/, whose changes make the build stale.
 */
export function ensureFresh(distDir: string, watched: readonly string[]): void {
  const pkg = path.dirname(distDir);
  const src = path.join(pkg, 'src');
  if (!fs.existsSync(src) || !fs.existsSync(path.join(pkg, 'tsconfig.json'))) return;
  const built = mtime(path.join(distDir, '.tsbuildinfo'));
  if (built !== undefined && !watched.some((w) => newerThan(path.join(src, w), built))) return;
  let tsc: string;
  try {
    tsc = require.resolve('typescript/bin/tsc', { paths: [pkg] });
  } catch {
    return; // an install without devDependencies: run what is there
  }
  // Several calls at once (a test suite, a script loop) build once: the others wait for it.
  const lock = path.join(distDir, '.rebuild.lock');
  fs.mkdirSync(distDir, { recursive: true });
  try {
    fs.mkdirSync(lock);
  } catch {
    waitWhile(() => fs.existsSync(lock), 120_000);
    return;
  }
  try {
    process.stderr.write(
      `${path.basename(pkg)}: sources changed since the last build; rebuilding (tsc -b)…\n`,
    );
    const r = spawnSync(process.execPath, [tsc, '-b', pkg], { stdio: ['ignore', 2, 2] });
    if (r.status !== 0) throw new Error(`tsc -b ${pkg} failed (exit ${r.status}): fix the errors above`);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function waitWhile(busy: () => boolean, timeoutMs: number): void {
  const until = Date.now() + timeoutMs;
  const cell = new Int32Array(new SharedArrayBuffer(4));
  while (busy() && Date.now() < until) Atomics.wait(cell, 0, 0, 100);
}

function mtime(file: string): number | undefined {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function newerThan(dir: string, time: number): boolean {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() ? newerThan(p, time) : e.name.endsWith('.ts') && (mtime(p) ?? 0) > time) return true;
  }
  return false;
}
