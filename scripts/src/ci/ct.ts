// chart-testing's two command lines, the same on GitHub and here: charts/ct.yaml holds the
// settings; ct's own Chart.yaml schema and yamllint rules come from the toolchain (the copy of
// ct's etc/ that `npm run tools` keeps), so no run depends on where ct was installed.
import path from 'node:path';
import { ctEtcDir } from '../tools/paths';

export const CT_CONFIG = 'charts/ct.yaml';

/**
 * helm-unittest for every linted chart, each chart's suites against that chart only: without
 * --with-subchart=false the umbrella would run its subcharts' suites again with the umbrella's
 * values, where their defaults (e.g. `http://product-api:5000`) are rightly overridden.
 */
export const UNITTEST_COMMAND = 'helm unittest --strict --color=false --with-subchart=false {{ .Path }}';

/** --all, or --charts with the folders given (ct's form: comma separated). */
export type Selection = { all: true } | { charts: readonly string[] };

function select(s: Selection): string[] {
  if ('all' in s) return ['--all'];
  if (s.charts.length === 0) throw new Error('no charts selected');
  return ['--charts', s.charts.join(',')];
}

export function ctLintArgs(s: Selection, etc = ctEtcDir()): string[] {
  return [
    'lint',
    '--config',
    CT_CONFIG,
    ...select(s),
    '--chart-yaml-schema',
    path.join(etc, 'chart_schema.yaml'),
    '--lint-conf',
    path.join(etc, 'lintconf.yaml'),
    '--additional-commands',
    UNITTEST_COMMAND,
  ];
}

export interface InstallOptions {
  /** Install the chart as the target branch has it first, then upgrade to this one (ct --upgrade). */
  upgradeFrom?: string;
  timeout?: string;
  /** A namespace of one's own instead of ct's generated one (the tests' restricted namespaces). */
  namespace?: string;
  /** helm --set flags for every install (`--set=k=v`). */
  helmSet?: readonly string[];
}

/**
 * Library charts are not installable; they are excluded here, not in ct.yaml (that would skip
 * their lint too).
 */
export function ctInstallArgs(s: Selection, libraries: readonly string[], o: InstallOptions = {}): string[] {
  const picked: Selection =
    'all' in s ? s : { charts: s.charts.filter((c) => !libraries.includes(c.split('/').pop() as string)) };
  const args = ['install', '--config', CT_CONFIG, ...select(picked)];
  if (libraries.length) args.push('--excluded-charts', libraries.join(','));
  if (o.upgradeFrom) args.push('--upgrade', '--target-branch', o.upgradeFrom);
  args.push('--helm-extra-args', `--timeout ${o.timeout ?? '600s'}`);
  if (o.namespace) args.push('--namespace', o.namespace);
  if (o.helmSet?.length) args.push('--helm-extra-set-args', o.helmSet.join(' '));
  return args;
}
