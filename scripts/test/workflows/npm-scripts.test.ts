// The workflows run the commands a developer runs: every npm call in a run: step is a script of
// package.json that the README documents, or one of npm's own commands the pipeline needs
// (`npm ci`, `npm audit`). No npx: a tool the pipeline needs is an npm script first.
import fs from 'node:fs';
import path from 'node:path';
import { allFiles, readJson, repoRoot, runScripts } from './helpers';
import { documentedForm, npmCalls } from './npm-commands';

const BUILTINS = new Set(['ci', 'audit']);

const scripts = readJson<{ scripts?: Record<string, string> }>('package.json').scripts ?? {};
const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
const runs = runScripts(allFiles());
const calls = runs.flatMap(({ where, script }) => npmCalls(script).map((call) => ({ where, call })));

describe('npm calls in the workflows', () => {
  it('finds the scripts the pipeline runs', () => {
    const names = new Set(calls.flatMap(({ call }) => (call.kind === 'script' ? [call.name] : [])));
    for (const expected of ['lint', 'typecheck', 'pipeline', 'generate', 'values', 'deploy', 'rollback']) {
      expect({ expected, found: names.has(expected) }).toEqual({ expected, found: true });
    }
  });

  it('every npm run <script> exists in package.json', () => {
    const missing = calls
      .filter(({ call }) => call.kind === 'script' && !(call.name in scripts))
      .map(
        ({ where, call }) =>
          `${where}: npm run ${call.kind === 'script' ? call.name : ''} (not in package.json)`,
      );
    expect(missing).toEqual([]);
  });

  it('every script the workflows run is documented in the README', () => {
    const undocumented = [
      ...new Set(calls.flatMap(({ call }) => (call.kind === 'script' ? [call.name] : []))),
    ].filter((name) => !documentedForm(name).test(readme));
    expect(undocumented).toEqual([]);
  });

  it('uses only npm ci and npm audit of npm itself, and never npx', () => {
    const other = calls
      .filter(({ call }) => call.kind === 'npx' || (call.kind === 'builtin' && !BUILTINS.has(call.command)))
      .map(({ where, call }) => `${where}: ${call.line}`);
    expect(other).toEqual([]);
  });
});

describe('npmCalls (the parser the checks above rely on)', () => {
  it('reads scripts, shorthands and npm commands', () => {
    expect(npmCalls('npm run lint')).toEqual([{ kind: 'script', name: 'lint', line: 'npm run lint' }]);
    expect(npmCalls('npm run --silent values -- validate x --format github').map((c) => c)).toEqual([
      {
        kind: 'script',
        name: 'values',
        line: 'npm run --silent values -- validate x --format github',
      },
    ]);
    expect(npmCalls('npm test -- --selectProjects a b')[0]).toMatchObject({ kind: 'script', name: 'test' });
    expect(npmCalls('npm ci --no-audit')[0]).toMatchObject({ kind: 'builtin', command: 'ci' });
    expect(
      npmCalls('if [ -n "$X" ]; then npm run tools; else npm run tools -- --only "$X"; fi'),
    ).toHaveLength(2);
    expect(npmCalls('npx eslint .')[0]).toMatchObject({ kind: 'npx' });
  });

  it('ignores quoted text and comments', () => {
    expect(npmCalls('echo "::error::missing (npm run tools -- --only ct)"')).toEqual([]);
    expect(npmCalls("echo 'npm run nothing'")).toEqual([]);
    expect(npmCalls('# npm run commented')).toEqual([]);
  });

  it('joins continued lines', () => {
    expect(npmCalls('npm run deploy -- staging \\\n  --timeout 10m')[0]).toMatchObject({ name: 'deploy' });
  });

  it('documentedForm tells a documented script from a prefix of another', () => {
    expect(documentedForm('tools').test('run `npm run tools` once')).toBe(true);
    expect(documentedForm('tools').test('npm run tools:check')).toBe(false);
    expect(documentedForm('test').test('npm ci && npm test')).toBe(true);
  });
});
