// jest globalTeardown of the `release` project: deletes the cluster the setup made (only that one).
import { clusterDown } from '../../../src/cluster/cluster';

export default async function globalTeardown(): Promise<void> {
  const settings = globalThis.__TC_RELEASE_CLUSTER__;
  if (!settings) return;
  await clusterDown(settings, (line) => process.stderr.write(`[release teardown] ${line}\n`));
  delete process.env.RELEASE_TEST_KUBECONFIG;
}
