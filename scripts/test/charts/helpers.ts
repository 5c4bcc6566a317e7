// Shared by the chart tests: the charts and values files of the repository, and the real tools
// from the toolchain (<cache>/bin), run with its PATH. A missing tool fails with "run npm run tools".
// The charts' file:// dependencies are built before any test runs (scripts/src/testing/chart-setup.ts).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { requireTool, toolEnv } from '../../src/tools/paths';

export const repoRoot = path.resolve(__dirname, '../../..');
export const chartsDir = path.join(repoRoot, 'charts');

export const UMBRELLA = 'techcommerce';
/** Every chart, the library first (it renders nothing but must lint). */
export const CHARTS = [
  'common',
  'frontend',
  'product-api',
  'order-api',
  'postgresql',
  'monitoring',
  UMBRELLA,
] as const;
export type ChartName = (typeof CHARTS)[number];

/** The two Helm majors the charts support, by their names in <cache>/bin. */
export const HELMS = [
  { label: 'helm v3', bin: 'helm' },
  { label: 'helm v4', bin: 'helm4' },
] as const;

export interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs <cache>/bin/<name> with the toolchain's PATH (so ct finds helm, yamllint, yamale). */
export function runTool(
  name: string,
  args: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): Result {
  const r = spawnSync(requireTool(name), args, {
    cwd: opts.cwd ?? repoRoot,
    env: { ...toolEnv(), ...opts.env },
    input: opts.input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The output of a command that must succeed; otherwise throws with its stderr. */
export function mustRun(name: string, args: readonly string[], opts: { cwd?: string } = {}): string {
  const r = runTool(name, args, opts);
  if (r.status !== 0)
    throw new Error(`${name} ${args.join(' ')} exited ${r.status}:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** Values files a chart is checked with: its defaults (null), its ct files, and for the umbrella every environment. */
export function valuesFilesFor(chart: ChartName): (string | null)[] {
  const ciDir = path.join(chartsDir, chart, 'ci');
  const ci = fs.existsSync(ciDir)
    ? fs
        .readdirSync(ciDir)
        .filter((f) => f.endsWith('-values.yaml'))
        .sort()
        .map((f) => `charts/${chart}/ci/${f}`)
    : [];
  return [null, ...(chart === UMBRELLA ? environmentFiles() : []), ...ci];
}

/** values/*.yaml: the environments the umbrella is deployed with. */
export function environmentFiles(): string[] {
  return fs
    .readdirSync(path.join(repoRoot, 'values'))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => `values/${f}`);
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  [key: string]: unknown;
}

/** `helm template` of a chart, parsed; throws with helm's error when rendering fails. */
export function render(
  chart: string,
  opts: { release?: string; namespace?: string; values?: string[]; set?: string[]; helm?: string } = {},
): K8sObject[] {
  const args = ['template', opts.release ?? 'techcommerce', chart, '--namespace', opts.namespace ?? 'shop'];
  for (const f of opts.values ?? []) args.push('-f', f);
  for (const s of opts.set ?? []) args.push('--set', s);
  const out = mustRun(opts.helm ?? 'helm', args);
  return parseAllDocuments(out)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

export function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o)
    throw new Error(
      `no ${kind} ${name} in: ${objects.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`,
    );
  return o;
}
