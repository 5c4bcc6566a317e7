// chart-testing's install test per chart (each `ci/*-values.yaml`: helm install --wait, rollout
// checks, helm test, uninstall) against the local cluster, in a namespace per chart that
// enforces the restricted Pod Security Standard. The library chart is not installable.
import { runCommand } from '../../src/cluster/command';
import { requireTool } from '../../src/tools/paths';
import { clusterEnv, deleteNamespace, repoRoot, restrictedNamespace } from './helpers';

const CHARTS = ['frontend', 'product-api', 'order-api', 'postgresql', 'monitoring', 'techcommerce'];

describe('ct install against the local cluster (kwok: simulated nodes, no containers)', () => {
  it.each(CHARTS)(
    'ct install --charts charts/%s succeeds with every ci/ values file',
    async (chart) => {
      const ns = await restrictedNamespace(`release-ct-${chart}`);
      try {
        const r = await runCommand(
          requireTool('ct'),
          [
            'install',
            '--config',
            'charts/ct.yaml',
            '--charts',
            `charts/${chart}`,
            '--namespace',
            ns,
            '--helm-extra-args',
            '--timeout 120s',
          ],
          { cwd: repoRoot, env: clusterEnv(), timeoutMs: 420_000 },
        );
        const out = `${r.stdout}${r.stderr}`;
        if (r.status !== 0)
          throw new Error(`ct install failed for ${chart}:\n${out.split('\n').slice(-60).join('\n')}`);
        expect(out).toMatch(/All charts installed successfully/);
      } finally {
        await deleteNamespace(ns);
      }
    },
    480_000,
  );
});
