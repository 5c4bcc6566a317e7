// kube-prometheus-stack as its own release, the way the monitoring chart expects it: pinned chart
// version, release `kps` in namespace `monitoring`, values that select our objects
// (kube-prometheus-stack.values.yaml). The CI workflow and people use the same commands.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { toolEnv } from '../tools/paths';
import { repoRoot } from './chart';

/**
 * 77.0.0 is the release that moved to prometheus-operator v0.85.0, the operator whose CRDs the
 * toolchain validates our ServiceMonitors and PrometheusRules against (manifest.ts,
 * prometheusOperator): bump the two together.
 */
export const KPS_CHART_VERSION = '77.0.0';
export const KPS_RELEASE = 'kps';
export const KPS_NAMESPACE = 'monitoring';
export const KPS_REPO_NAME = 'prometheus-community';
export const KPS_REPO_URL = 'https://prometheus-community.github.io/helm-charts';
export const KPS_VALUES_FILE = path.join(
  repoRoot,
  'scripts/src/monitoring/kube-prometheus-stack.values.yaml',
);

/** The helm commands that install or upgrade the stack, in order. */
export function kpsInstallCommands(helm = 'helm'): string[][] {
  return [
    [helm, 'repo', 'add', KPS_REPO_NAME, KPS_REPO_URL, '--force-update'],
    [
      helm,
      'upgrade',
      '--install',
      KPS_RELEASE,
      `${KPS_REPO_NAME}/kube-prometheus-stack`,
      '--version',
      KPS_CHART_VERSION,
      '--namespace',
      KPS_NAMESPACE,
      '--create-namespace',
      '--values',
      KPS_VALUES_FILE,
      '--wait',
      '--timeout',
      '15m',
    ],
  ];
}

/** Runs the commands with the toolchain first on PATH; stops at the first failure. */
export function runCommands(commands: string[][]): number {
  for (const [cmd = '', ...args] of commands) {
    console.log(`$ ${cmd} ${args.join(' ')}`);
    const r = spawnSync(cmd, args, { stdio: 'inherit', env: toolEnv() });
    if (r.error) throw r.error;
    if (r.status !== 0) return r.status ?? 1;
  }
  return 0;
}
