// The linters the chart, workflow and monitoring suites rely on, each doing real work once:
// ct (with yamale, yamllint and helm from the toolchain), actionlint (with shellcheck), promtool.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ctEtcDir } from '../../src/tools/paths';
import { runTool } from './helpers';
import { scratchChart } from './scratch-chart';

function ctLint(chartYamlExtra = '') {
  const { root, chart } = scratchChart({ chartYamlExtra });
  return runTool(
    'ct',
    [
      'lint',
      '--charts',
      chart,
      '--validate-maintainers=false',
      '--check-version-increment=false',
      '--chart-yaml-schema',
      path.join(ctEtcDir(), 'chart_schema.yaml'),
      '--lint-conf',
      path.join(ctEtcDir(), 'lintconf.yaml'),
    ],
    { cwd: root },
  );
}

function scratchFile(name: string, text: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tc-lint-')), name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

describe('ct lint (offline: maintainers not validated, etc/ files from the toolchain)', () => {
  it('passes a clean chart', () => {
    const r = ctLint();
    expect(r.output).toContain('All charts linted successfully');
    expect(r.status).toBe(0);
  });

  it("fails a Chart.yaml with a key outside ct's chart schema (yamale)", () => {
    const r = ctLint('flavour: mint\n');
    expect(r.output).toContain('flavour: Unexpected element');
    expect(r.status).not.toBe(0);
  });
});

describe('actionlint', () => {
  it('reports an unknown expression and, through shellcheck, an unquoted variable', () => {
    const file = scratchFile(
      '.github/workflows/ci.yaml',
      [
        'on: push',
        'jobs:',
        '  test:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - run: echo ${{ github.nope }}',
        '      - run: cp $SRC /tmp',
        '',
      ].join('\n'),
    );
    const r = runTool('actionlint', ['-no-color', file]);
    expect(r.status).toBe(1);
    expect(r.output).toContain('property "nope" is not defined');
    expect(r.output).toContain('SC2086');
  });
});

describe('promtool', () => {
  it('accepts a valid rule file and rejects a broken expression', () => {
    const rule = (expr: string) =>
      `groups:\n  - name: smoke\n    rules:\n      - alert: Down\n        expr: ${expr}\n        for: 5m\n`;
    const good = runTool('promtool', ['check', 'rules', scratchFile('good.yaml', rule('up == 0'))]);
    expect(good.output).toContain('SUCCESS: 1 rules found');
    expect(good.status).toBe(0);
    const bad = runTool('promtool', ['check', 'rules', scratchFile('bad.yaml', rule('sum(up'))]);
    expect(bad.status).toBe(1);
    expect(bad.output).toMatch(/unclosed left parenthesis|parse error/);
  });
});
