// The semantic rules live twice: in charts/common/templates/_validate.tpl (and the umbrella's
// templates) for Helm, and in scripts/src/values/rules for the values CLI. This test proves they
// agree: every invalid fixture, and a generated mutation set of each environment file, goes
// through `helm template` (v3 and v4) and through the CLI's validation, which must give the same
// verdict and, when they refuse, name the same key (helm stops at its first error; that key, or
// one above or below it, must be among the CLI's errors).
// Helm runs in a small pool of processes; the CLI validates in this process.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { requireTool, toolEnv } from '../../src/tools/paths';
import { loadChart } from '../../src/values/chart';
import type { HelmMajor } from '../../src/values/coalesce';
import type { Segment } from '../../src/values/problems';
import { validate } from '../../src/values/validate';
import { environmentFiles, HELMS, repoRoot } from './helpers';
import { mutationsOf } from './rules-mutations';

const run = promisify(execFile);
const chartDir = path.join(repoRoot, 'charts', 'techcommerce');
const FIXTURE_DIRS = ['scripts/test/values/fixtures/invalid', 'scripts/test/charts/fixtures/bad-values'];
// RULES_SEED replays or varies the drawn mutations.
const SEED = Number(process.env.RULES_SEED ?? 20261203);
const POOL = 2;

interface Case {
  name: string;
  files: string[];
}

type Verdict = { refused: false } | { refused: true; paths: string[][]; text: string };

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rules-conformance-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function cases(): Case[] {
  const out: Case[] = [];
  for (const dir of FIXTURE_DIRS) {
    for (const f of fs
      .readdirSync(path.join(repoRoot, dir))
      .filter((x) => x.endsWith('.yaml'))
      .sort())
      out.push({ name: `${dir.split('/').slice(-1)[0]}/${f}`, files: [path.join(repoRoot, dir, f)] });
  }
  environmentFiles().forEach((env, i) => {
    mutationsOf(env, SEED + i).forEach((m, j) => {
      const file = path.join(scratch, `${path.basename(env, '.yaml')}-${j}.yaml`);
      fs.writeFileSync(file, stringify(m.overlay));
      out.push({ name: `${env} + ${m.name}`, files: [path.join(repoRoot, env), file] });
    });
  });
  return out;
}

/** Key paths helm names: the leading key of a template's fail(), or the schema's leaf errors. */
export function helmPaths(stderr: string): string[][] {
  const failed = /execution error at \([^)]*\): ([A-Za-z0-9_.[\]-]+)[: ]/.exec(stderr);
  if (failed) return [splitDotted(failed[1] as string)];
  const mismatch = /type mismatch on ([^:\s]+):/.exec(stderr);
  if (mismatch) return [[mismatch[1] as string]];
  const out: string[][] = [];
  let chart: string[] = [];
  const lines = stderr.split('\n');
  lines.forEach((line, i) => {
    const header = /^([A-Za-z0-9_-]+):$/.exec(line);
    if (header) chart = header[1] === 'techcommerce' ? [] : [header[1] as string];
    const m = /^(\s*)- at '([^']*)': (.*)$/.exec(line);
    if (!m) return;
    // Leaf errors only: a line whose next line is indented deeper only says "allOf failed".
    const next = /^(\s*)- at /.exec(lines[i + 1] ?? '');
    if (next && (next[1] as string).length > (m[1] as string).length) return;
    const base = [...chart, ...(m[2] as string).split('/').filter(Boolean)];
    const props = /^(?:additional properties|missing propert(?:y|ies)) (.*?)(?: not allowed)?$/.exec(
      m[3] as string,
    );
    const names = props ? [...(props[1] as string).matchAll(/'([^']*)'/g)].map((x) => x[1] as string) : [];
    for (const p of names.length ? names.map((n) => [...base, n]) : [base]) out.push(normalize(p));
  });
  return out;
}

function splitDotted(s: string): string[] {
  return s.split(/\.|\[|\]/).filter(Boolean);
}

/** A global is one value, whichever chart's copy helm reports it under. */
function normalize(p: readonly Segment[]): string[] {
  const s = p.map(String);
  const g = s.lastIndexOf('global');
  return g > 0 ? s.slice(g) : s;
}

async function helmVerdict(bin: string, files: readonly string[]): Promise<Verdict> {
  const args = ['template', 'shop', chartDir, '--namespace', 'store'];
  for (const f of files) args.push('-f', f);
  try {
    await run(requireTool(bin), args, { env: toolEnv(), maxBuffer: 64 << 20 });
    return { refused: false };
  } catch (err) {
    const e = err as { stderr?: string };
    if (e.stderr === undefined) throw err;
    return {
      refused: true,
      paths: helmPaths(e.stderr),
      text: e.stderr.trim().split('\n').slice(0, 6).join(' | '),
    };
  }
}

const chart = loadChart(chartDir, 'charts/techcommerce');

function cliVerdict(major: HelmMajor, files: readonly string[]): Verdict {
  const r = validate({
    chart,
    files: files.map((f) => ({ path: f, display: path.basename(f) })),
    helm: major,
  });
  const errors = r.findings.filter((f) => f.severity === 'error');
  if (!errors.length) return { refused: false };
  return {
    refused: true,
    paths: errors.map((f) => normalize(f.path)),
    text: errors.map((f) => `${f.rule} ${f.path.join('.')}: ${f.message}`).join(' | '),
  };
}

const related = (a: readonly string[], b: readonly string[]) =>
  a.length > 0 && b.length > 0 && a.slice(0, Math.min(a.length, b.length)).every((s, i) => s === b[i]);

/** Why the two verdicts differ, or undefined when they agree. */
export function disagreement(helm: Verdict, cli: Verdict): string | undefined {
  if (helm.refused !== cli.refused)
    return helm.refused
      ? `only helm refuses: ${helm.text}`
      : `only the CLI refuses: ${cli.refused ? cli.text : ''}`;
  if (!helm.refused || !cli.refused) return undefined;
  if (helm.paths.some((h) => cli.paths.some((c) => related(h, c)))) return undefined;
  return `different keys: helm ${JSON.stringify(helm.paths)} (${helm.text}); CLI ${JSON.stringify(cli.paths)} (${cli.text})`;
}

async function pool<T, R>(items: readonly T[], size: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: size }, worker));
  return out;
}

const all = cases();

test('the corpus has every fixture and mutations of every environment file', () => {
  expect(all.filter((c) => c.files.length === 1).length).toBeGreaterThanOrEqual(45);
  for (const env of environmentFiles()) {
    const mutations = all.filter((c) => c.name.startsWith(`${env} + `)).length;
    expect({ env, mutations: mutations >= 20 }).toEqual({ env, mutations: true });
  }
});

describe.each(HELMS)('$label template and the values CLI agree', ({ bin }) => {
  const major: HelmMajor = bin === 'helm' ? 3 : 4;
  test(`on ${all.length} fixtures and mutations (seed ${SEED})`, async () => {
    const found = await pool(all, POOL, async (c) => {
      const [helm, cli] = [await helmVerdict(bin, c.files), cliVerdict(major, c.files)];
      const why = disagreement(helm, cli);
      return why ? `${c.name}: ${why}` : undefined;
    });
    expect(found.filter((x) => x !== undefined)).toEqual([]);
  }, 180_000);
});
