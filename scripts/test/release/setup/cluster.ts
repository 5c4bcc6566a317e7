// The release tests' cluster: one throwaway kwok cluster per jest run (its own name and free
// loopback ports, so it never touches a cluster made with `npm run cluster:up`), or the cluster of
// RELEASE_TEST_KUBECONFIG when that is set (fast local iteration against a running cluster).
import fs from 'node:fs';
import path from 'node:path';
import { clusterDown, clusterUp } from '../../../src/cluster/cluster';
import { findFreePortBase } from '../../../src/cluster/ports';
import { Kubectl } from '../../../src/cluster/kubectl';
import { nodeName } from '../../../src/cluster/nodes';
import { REAL_NODE_LABEL } from '../../../src/cluster/real-node/layout';
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
  await applyKwokVolumes(settings);
  await standInForTheRealNode(settings);
  return settings;
}

/**
 * This cluster has no real node (real-node.test.ts makes its own), so one kwok node stands in for
 * it: values/local-cluster.yaml selects `techcommerce.example/node=real`, and the kwok-shaped
 * suites (the deploy script's flows, the CI deployer, the OCI chart) install those values as they
 * are. Pods there are simulated like on every kwok node.
 */
async function standInForTheRealNode(s: ClusterSettings): Promise<void> {
  await new Kubectl(s.kubeconfig).must([
    'label',
    'node',
    nodeName(0),
    `${REAL_NODE_LABEL}=real`,
    '--overwrite',
  ]);
}

/** How many claims the kwok-shaped suites may make in one run (one per bundled PostgreSQL). */
const KWOK_VOLUMES = 24;

/**
 * The kwok cluster has no StorageClass and no provisioner (that is the real node's business), so
 * the bundled PostgreSQL's claim would stay Pending and its pod unschedulable. Pre-made volumes
 * without a class bind such claims; kwok never runs the pod, so no storage is ever written
 * (simulated storage, like the kwok nodes themselves).
 */
async function applyKwokVolumes(s: ClusterSettings): Promise<void> {
  const items = Array.from({ length: KWOK_VOLUMES }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: `kwok-volume-${i}`, labels: { 'techcommerce.example/simulated': 'true' } },
    spec: {
      capacity: { storage: '100Gi' },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Retain',
      storageClassName: '',
      hostPath: { path: `/var/lib/kwok-volumes/${i}`, type: 'DirectoryOrCreate' },
    },
  }));
  await new Kubectl(s.kubeconfig).apply(JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
}
