// actionlint (with shellcheck for every run: script) over the workflows, and shellcheck over the
// composite actions' scripts, which actionlint does not read. Both tools come from the toolchain
// (`npm run tools`); each check has a control that proves the tool really reports problems.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requireTool, toolEnv } from '../../src/tools/paths';
import { actionFiles, repoRoot, runScripts, workflowFiles } from './helpers';

interface Result {
  status: number | null;
  out: string;
}

function run(bin: string, args: string[], cwd: string, input?: string): Result {
  const r = spawnSync(bin, args, { cwd, env: toolEnv(), encoding: 'utf8', input, timeout: 120_000 });
  if (r.error) throw r.error;
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function actionlint(cwd: string, files: string[] = []): Result {
  return run(
    requireTool('actionlint'),
    ['-shellcheck', requireTool('shellcheck'), '-no-color', ...files],
    cwd,
  );
}

/** shellcheck of one composite step's script, as the runner runs it (bash -e). */
function shellcheck(script: string): Result {
  return run(requireTool('shellcheck'), ['--shell=bash', '--severity=info', '-'], repoRoot, script);
}

describe('actionlint', () => {
  it('passes on every workflow, with shellcheck on each run: script', () => {
    const files = workflowFiles().map((w) => w.rel);
    expect(files).toEqual(
      expect.arrayContaining([
        '.github/workflows/ci.yaml',
        '.github/workflows/deploy.yaml',
        '.github/workflows/rollback.yaml',
      ]),
    );
    const r = actionlint(repoRoot, files);
    if (r.status !== 0) throw new Error(`actionlint found problems:\n${r.out}`);
    expect(r.out).toBe('');
  });

  it('control: reports a shellcheck finding and an unknown input of a local action', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-actionlint-'));
    try {
      fs.mkdirSync(path.join(dir, '.github', 'workflows'), { recursive: true });
      fs.mkdirSync(path.join(dir, '.github', 'actions', 'setup'), { recursive: true });
      fs.copyFileSync(
        path.join(repoRoot, '.github', 'actions', 'setup', 'action.yaml'),
        path.join(dir, '.github', 'actions', 'setup', 'action.yaml'),
      );
      fs.writeFileSync(
        path.join(dir, '.github', 'workflows', 'bad.yaml'),
        [
          'on: push',
          'jobs:',
          '  a:',
          '    runs-on: ubuntu-24.04',
          '    steps:',
          '      - run: echo $UNQUOTED',
          '      - uses: ./.github/actions/setup',
          '        with:',
          '          no-such-input: x',
          '',
        ].join('\n'),
      );
      spawnSync('git', ['init', '-q'], { cwd: dir });
      const r = actionlint(dir);
      expect(r.status).toBe(1);
      expect(r.out).toMatch(/shellcheck reported issue in this script: SC2086/);
      expect(r.out).toMatch(/input "no-such-input" is not defined in action/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('shellcheck of the composite actions', () => {
  const scripts = runScripts(actionFiles());

  it('finds the composite actions and their scripts', () => {
    expect(actionFiles().map((a) => a.rel)).toEqual(
      expect.arrayContaining([
        '.github/actions/setup/action.yaml',
        '.github/actions/kubeconfig/action.yaml',
        '.github/actions/build-image/action.yaml',
        '.github/actions/trivy/action.yaml',
      ]),
    );
    expect(scripts.length).toBeGreaterThanOrEqual(3);
  });

  it.each(runScripts(actionFiles()).map((s) => [s.where, s.script] as const))('%s', (_where, script) => {
    const r = shellcheck(script);
    if (r.status !== 0) throw new Error(r.out);
    expect(r.out).toBe('');
  });

  it('control: shellcheck reports an unquoted variable', () => {
    const r = shellcheck('rm -f $FILE\n');
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/SC2086/);
  });
});
