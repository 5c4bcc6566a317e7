// Runs a workflow's or composite action's `run:` step here, as the runner would: bash
// --noprofile --norc -eo pipefail, the step's env: with its ${{ }} expressions replaced by values
// the test gives, and temporary GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_ENV, GITHUB_PATH and
// RUNNER_TEMP files whose contents the test then reads.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseOutputs } from '../../src/ci/github';
import { toolEnv } from '../../src/tools/paths';
import { repoRoot, steps, type GhFile, type Json, type StepRef } from './helpers';

/** Scratch folders inside the repository (npm run finds package.json from there); .reports is ignored by git. */
export function scratchDir(name: string): string {
  const base = path.join(repoRoot, '.reports', 'workflow-steps');
  fs.mkdirSync(base, { recursive: true });
  return fs.mkdtempSync(path.join(base, `${name}-`));
}

/** The one step of `file` whose name or id is `name` (within `job` for a workflow). */
export function findStep(file: GhFile, name: string, job?: string): StepRef {
  const found = steps([file]).filter(
    (s) =>
      (job === undefined || s.where.includes(` jobs.${job} `)) &&
      (s.step.name === name || s.step.id === name),
  );
  if (found.length !== 1)
    throw new Error(`${file.rel}: ${found.length} steps named ${name}${job ? ` in ${job}` : ''}`);
  return found[0] as StepRef;
}

/** Replaces each ${{ expr }} with expressions[expr]; an expression the test did not give is an error. */
export function substitute(text: string, expressions: Record<string, string>): string {
  return text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expr: string) => {
    if (!(expr in expressions)) throw new Error(`no value given for \${{ ${expr} }}`);
    return expressions[expr] as string;
  });
}

export interface StepRun {
  status: number;
  out: string;
  outputs: Record<string, string>;
  summary: string;
  githubEnv: string;
  githubPath: string;
  runnerTemp: string;
}

export function runStep(
  ref: StepRef,
  o: { expressions?: Record<string, string>; env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): StepRun {
  const script = ref.step.run;
  if (typeof script !== 'string') throw new Error(`${ref.where} is not a run: step`);
  const dir = scratchDir('github');
  const files = {
    GITHUB_OUTPUT: path.join(dir, 'output'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'),
    GITHUB_ENV: path.join(dir, 'env'),
    GITHUB_PATH: path.join(dir, 'path'),
  };
  for (const f of Object.values(files)) fs.writeFileSync(f, '');
  const runnerTemp = path.join(dir, 'runner-temp');
  fs.mkdirSync(runnerTemp);
  const stepEnv = Object.fromEntries(
    Object.entries((ref.step.env ?? {}) as Json).map(([k, v]) => [
      k,
      substitute(String(v), o.expressions ?? {}),
    ]),
  );
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd: o.cwd ?? repoRoot,
    env: { ...toolEnv(), ...files, RUNNER_TEMP: runnerTemp, GITHUB_ACTIONS: 'true', ...o.env, ...stepEnv },
    encoding: 'utf8',
    timeout: o.timeoutMs ?? 120_000,
  });
  if (r.error) throw r.error;
  const read = (f: string) => fs.readFileSync(f, 'utf8');
  return {
    status: r.status ?? 1,
    out: `${r.stdout}${r.stderr}`,
    outputs: parseOutputs(read(files.GITHUB_OUTPUT)),
    summary: read(files.GITHUB_STEP_SUMMARY),
    githubEnv: read(files.GITHUB_ENV),
    githubPath: read(files.GITHUB_PATH),
    runnerTemp,
  };
}
