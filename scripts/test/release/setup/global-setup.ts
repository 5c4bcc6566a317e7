// jest globalSetup of the `release` project: brings the kwok cluster up once for every release
// suite and exports RELEASE_TEST_KUBECONFIG (the suites read it; workers inherit it).
import chartSetup from '../../../src/testing/chart-setup';
import type { ClusterSettings } from '../../../src/cluster/settings';
import { startTestCluster } from './cluster';

declare global {
  var __TC_RELEASE_CLUSTER__: ClusterSettings | undefined;
}

export default async function globalSetup(): Promise<void> {
  chartSetup();
  if (process.env.RELEASE_TEST_KUBECONFIG) return;
  const started = Date.now();
  const settings = await startTestCluster((line) => process.stderr.write(`[release setup] ${line}\n`));
  globalThis.__TC_RELEASE_CLUSTER__ = settings;
  process.env.RELEASE_TEST_KUBECONFIG = settings.kubeconfig;
  process.stderr.write(
    `[release setup] cluster ${settings.name} up in ${((Date.now() - started) / 1000).toFixed(1)}s\n`,
  );
}
