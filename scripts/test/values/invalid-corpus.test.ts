// Each file under fixtures/invalid/ is a values file with one mistake, validated against the
// real umbrella chart. Its trailing `# expect:` comments are the complete report: position
// (line:col in the file itself, or file:line:col elsewhere), path and message, word for word.
import fs from 'node:fs';
import path from 'node:path';
import { loadChart } from '../../src/values/chart';
import { formatPath } from '../../src/values/problems';
import { validate } from '../../src/values/validate';
import { fixtures, repoRoot } from './helpers';

const dir = path.join(fixtures, 'invalid');
const rel = (abs: string) => path.relative(repoRoot, abs).split(path.sep).join('/');
const chart = loadChart(path.join(repoRoot, 'charts', 'techcommerce'), 'charts/techcommerce', rel);
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

function expected(file: string): string[] {
  const display = rel(file);
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => /^# expect( warning)?: (.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => {
      const text = m[2] as string;
      const where = /^\d+:\d+ /.test(text) ? `${display}:${text}` : text;
      return `${m[1] ? 'warning' : 'error'} ${where}`;
    });
}

test('the corpus covers schema errors, merge errors and every production rule', () => {
  expect(files.length).toBeGreaterThanOrEqual(24);
  for (const f of files)
    expect({ f, count: expected(path.join(dir, f)).length }).not.toEqual({ f, count: 0 });
});

test.each(files)('%s: exact positions and messages', (name) => {
  const file = path.join(dir, name);
  const result = validate({ chart, files: [{ path: file, display: rel(file) }] });
  const actual = result.findings.map(
    (f) =>
      `${f.severity} ${f.location.file}:${f.location.line}:${f.location.col} ${formatPath(f.path)}: ${f.message}`,
  );
  expect(actual.sort()).toEqual(expected(file).sort());
});
