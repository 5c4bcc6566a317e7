// The release tests' cluster: one throwaway kwok cluster per jest run (its own name and free
// loopback ports, so it never touches a cluster made with `npm run cluster:up`), or the cluster of
// RELEASE_TEST_KUBECONFIG when that is set (fast local iteration against a running cluster).
import fs from 'node:fs';
import path from 'node:path';
import { clusterDown, clusterUp } from '../../../src/cluster/cluster';
import { findFreePortBase } from '../../../src/cluster/ports';
import { clusterSettings, clusterWorkdir, type ClusterSettings } from '../../../src/cluster/settings';

export const TEST_CLUSTER_PREFIX = 'tc-release-';

/** Test clusters left by a jest run that died (its pid is gone) are removed first. */
async function removeOrphans(log: (l: string) => void): Promise<void> {
  const dir = path.join(clusterWorkdir(), 'clusters');
  if (!fs.existsSync(dir)) return;
  // tc-release-<pid> (this setup) and tc-lifecycle-<pid> (cluster-lifecycle.test.ts).
  for (const name of fs.readdirSync(dir)) {
    const m = /^tc-(?:release|lifecycle)-(\d+)$/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch {
      alive = false;
    }
    if (!alive) await clusterDown(clusterSettings({ name }), log);
  }
}

export async function startTestCluster(log: (l: string) => void): Promise<ClusterSettings> {
  await removeOrphans(log);
  const settings = clusterSettings({
    name: `${TEST_CLUSTER_PREFIX}${process.pid}`,
    portBase: await findFreePortBase(),
  });
  try {
    await clusterUp(settings, log);
  } catch (e) {
    await clusterDown(settings).catch(() => undefined);
    throw e;
  }
  return settings;
}
