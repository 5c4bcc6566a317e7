// chart-testing's install test per chart (each `ci/*-values.yaml`: helm install --wait, rollout
// checks, helm test, uninstall) against the local cluster, in a namespace per chart that
// enforces the restricted Pod Security Standard. The library chart is not installable.
import { ctInstall, deleteNamespace, restrictedNamespace } from './helpers';

const CHARTS = ['frontend', 'product-api', 'order-api', 'postgresql', 'monitoring', 'techcommerce'];

describe('ct install against the local cluster (kwok: simulated nodes, no containers)', () => {
  it.each(CHARTS)(
    'ct install --charts charts/%s succeeds with every ci/ values file',
    async (chart) => {
      const ns = await restrictedNamespace(`release-ct-${chart}`);
      try {
        const out = await ctInstall(chart, ns, { timeout: '120s', timeoutMs: 420_000 });
        expect(out).toMatch(/All charts installed successfully/);
      } finally {
        await deleteNamespace(ns);
      }
    },
    480_000,
  );
});
