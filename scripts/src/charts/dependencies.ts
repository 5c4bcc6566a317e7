// The charts depend on each other through `file://` dependencies (the umbrella on the four
// charts beside it, each of those on the `common` library). Helm renders only what sits in a
// chart's charts/ folder, so every script or test that hands a chart path to helm, ct or untt
// first calls ensureChartDependencies(): it runs `helm dependency build` (offline for file://)
// where the archives are missing or older than the charts they were built from, leaves first
// (common, then the service charts, then the umbrella, whose archives contain theirs).
//
// Cheap when nothing changed: the inputs (the chart's Chart.yaml and Chart.lock, and every file of
// each local dependency, recursively) are hashed and compared with the hash recorded in
// charts/.dependencies.json at the last build, which costs a few milliseconds. Safe when two
// processes call it at once: the build runs under a lock per chart and the check is repeated
// once the lock is held.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { acquire } from '../tools/lock';
import { toolEnv, toolOrSystem } from '../tools/paths';

/** Written next to the archives it describes; named so Helm's loader skips it (leading dot). */
export const STAMP_FILE = '.dependencies.json';
const STAMP_VERSION = 1;

export interface EnsureOptions {
  /** The helm binary (default: the toolchain's, else `helm` on PATH). */
  helm?: string;
  /** One line per chart whose dependencies were (re)built; stderr by default. */
  log?: (line: string) => void;
}

interface LocalDependency {
  name: string;
  /** Folder of the chart the dependency points at. */
  source: string;
  /** The version in that chart's Chart.yaml: helm names the archive <name>-<version>.tgz. */
  version: string;
}

interface ChartMeta {
  name?: string;
  version?: string | number;
  dependencies?: { name?: string; repository?: string; alias?: string }[];
}

function readMeta(dir: string): ChartMeta {
  const file = path.join(dir, 'Chart.yaml');
  if (!fs.existsSync(file)) throw new Error(`${dir} is not a chart (no Chart.yaml)`);
  return (parse(fs.readFileSync(file, 'utf8')) ?? {}) as ChartMeta;
}

/** The chart's `file://` dependencies that are not already unpacked in its charts/ folder. */
export function localDependencies(dir: string): LocalDependency[] {
  const deps = readMeta(dir).dependencies ?? [];
  return deps.flatMap((d) => {
    if (!d.name || !d.repository?.startsWith('file://')) return [];
    // A folder (or a symlink to one) in charts/ is what Helm uses; nothing to build for it.
    const unpacked = path.join(dir, 'charts', d.name);
    if (fs.existsSync(unpacked) && fs.statSync(unpacked).isDirectory()) return [];
    const source = path.resolve(dir, d.repository.slice('file://'.length));
    return [{ name: d.name, source, version: String(readMeta(source).version ?? '') }];
  });
}

/** Files whose contents make up a chart, without what this module builds into its charts/. */
function chartFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (rel === 'charts' && (entry.name.endsWith('.tgz') || entry.name === STAMP_FILE)) continue;
      if (rel === '' && entry.name.startsWith('tmpcharts')) continue; // helm's scratch folder
      const stat = fs.statSync(path.join(dir, r));
      if (stat.isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk('');
  return out.sort();
}

/** Hash of a chart's own files and, recursively, of the local charts it depends on. */
function fingerprint(dir: string, memo: Map<string, string>): string {
  const key = fs.realpathSync(dir);
  const known = memo.get(key);
  if (known) return known;
  const h = crypto.createHash('sha256');
  for (const rel of chartFiles(dir)) {
    h.update(`${rel}\0`);
    h.update(fs.readFileSync(path.join(dir, rel)));
    h.update('\0');
  }
  for (const dep of localDependencies(dir)) h.update(`dep ${dep.name} ${fingerprint(dep.source, memo)}\0`);
  const sum = h.digest('hex');
  memo.set(key, sum);
  return sum;
}

/** What the archives in a chart's charts/ are built from: its dependency list and their charts. */
function inputsOf(dir: string, deps: LocalDependency[], memo: Map<string, string>): string {
  const h = crypto.createHash('sha256');
  for (const file of ['Chart.yaml', 'Chart.lock']) {
    const abs = path.join(dir, file);
    h.update(`${file}\0${fs.existsSync(abs) ? fs.readFileSync(abs, 'utf8') : ''}\0`);
  }
  for (const dep of deps) h.update(`dep ${dep.name} ${fingerprint(dep.source, memo)}\0`);
  return h.digest('hex');
}

interface Stamp {
  version: number;
  inputs: string;
  archives: string[];
}

function archivesOf(deps: LocalDependency[]): string[] {
  return deps.map((d) => `${d.name}-${d.version}.tgz`).sort();
}

function isFresh(dir: string, inputs: string, archives: string[]): boolean {
  const stampFile = path.join(dir, 'charts', STAMP_FILE);
  if (!fs.existsSync(stampFile)) return false;
  let stamp: Stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8')) as Stamp;
  } catch {
    return false;
  }
  return (
    stamp.version === STAMP_VERSION &&
    stamp.inputs === inputs &&
    archives.every((a) => fs.existsSync(path.join(dir, 'charts', a)))
  );
}

function lockFile(dir: string): string {
  const id = crypto.createHash('sha1').update(fs.realpathSync(dir)).digest('hex').slice(0, 16);
  return path.join(os.tmpdir(), `techcommerce-chart-deps-${id}.lock`);
}

function runHelm(helm: string, args: string[]): { status: number | null; output: string } {
  const r = spawnSync(helm, args, { env: toolEnv(), encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return { status: r.status, output: `${r.stderr}${r.stdout}`.trim() };
}

/** `helm dependency build`; a Chart.lock that no longer matches Chart.yaml is updated first. */
function build(dir: string, helm: string, log: (line: string) => void): void {
  const first = runHelm(helm, ['dependency', 'build', dir]);
  if (first.status === 0) return;
  if (!/Chart\.lock is out of sync/i.test(first.output)) {
    throw new Error(`helm dependency build ${dir} exited ${first.status}:\n${first.output}`);
  }
  // Offline for file:// dependencies; the new Chart.lock belongs in the same commit as Chart.yaml.
  const update = runHelm(helm, ['dependency', 'update', '--skip-refresh', dir]);
  if (update.status !== 0) {
    throw new Error(`helm dependency update ${dir} exited ${update.status}:\n${update.output}`);
  }
  log(`${path.join(dir, 'Chart.lock')} did not match Chart.yaml: updated it (commit it with Chart.yaml)`);
}

/**
 * Builds the `file://` dependencies of the chart at `dir` (and of the charts they point at, first)
 * when they are missing or stale. Returns the chart folders whose charts/ it rebuilt.
 */
export function ensureChartDependencies(dir: string, opts: EnsureOptions = {}): string[] {
  const helm = opts.helm ?? toolOrSystem('helm');
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const built: string[] = [];
  // A chart's fingerprint is asked for once it has been visited (its own archives built), and its
  // files do not change after that within this call: one memo serves every check.
  const memo = new Map<string, string>();
  const visit = (chart: string, trail: string[]) => {
    const real = fs.realpathSync(chart);
    if (trail.includes(real)) throw new Error(`dependency cycle: ${[...trail, real].join(' -> ')}`);
    const deps = localDependencies(chart);
    for (const dep of deps) visit(dep.source, [...trail, real]);
    if (deps.length === 0) return;
    const archives = archivesOf(deps);
    const current = (m = memo) => inputsOf(chart, deps, m);
    if (isFresh(chart, current(), archives)) return;
    const release = acquire(lockFile(chart), (pid) =>
      log(`waiting for process ${pid}, which is building the dependencies of ${chart}`),
    );
    try {
      // The other process may have built them meanwhile (from files as they are now).
      if (isFresh(chart, current(new Map()), archives)) return;
      const started = Date.now();
      build(chart, helm, log);
      const stamp: Stamp = { version: STAMP_VERSION, inputs: current(new Map()), archives };
      fs.writeFileSync(path.join(chart, 'charts', STAMP_FILE), `${JSON.stringify(stamp, null, 2)}\n`);
      built.push(chart);
      log(
        `built the dependencies of ${path.relative(process.cwd(), chart) || '.'} ` +
          `(${deps.map((d) => d.name).join(', ')}) in ${Date.now() - started} ms`,
      );
    } finally {
      release();
    }
  };
  visit(path.resolve(dir), []);
  return built;
}
