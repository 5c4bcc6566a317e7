// chart-testing's lint of every chart (Chart.yaml schema, yamllint, helm lint with each ci/
// values file), with ct's own etc files from the toolchain and the repository's charts/ct.yaml
// (offline: no maintainer check, no dependency build).
import path from 'node:path';
import { ctEtcDir } from '../../src/tools/paths';
import { CHARTS, runTool } from './helpers';

describe('ct lint', () => {
  it('lints every chart with --all', () => {
    const etc = ctEtcDir();
    const r = runTool('ct', [
      'lint',
      '--config',
      'charts/ct.yaml',
      '--all',
      '--chart-yaml-schema',
      path.join(etc, 'chart_schema.yaml'),
      '--lint-conf',
      path.join(etc, 'lintconf.yaml'),
    ]);
    if (r.status !== 0) throw new Error(`ct lint failed:\n${r.stdout}${r.stderr}`);
    expect(r.stdout).toMatch(/All charts linted successfully/);
    for (const chart of CHARTS) {
      expect(r.stdout).toContain(`✔︎ ${chart} => (version: "0.1.0", path: "charts/${chart}")`);
    }
  });
});
