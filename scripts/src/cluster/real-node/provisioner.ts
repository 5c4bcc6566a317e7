// Dynamic provisioning for the real node: a `local` PersistentVolume (a folder under the node's
// volumes/ folder) for each claim of the `standard` class the scheduler placed on the node, and
// the folder removed when the claim is gone. Why not kube-controller-manager's hostPath
// provisioner: it makes each folder root-owned 0750 and hostPath volumes ignore fsGroup, so a
// non-root PostgreSQL cannot write there; the kubelet applies fsGroup to `local` volumes.
// Runs as one of the node's host processes: `tsx provisioner.ts <kubeconfig> <volumes dir>`.
import fs from 'node:fs';
import path from 'node:path';
import { sleep } from '../command';
import { Kubectl, type KubeList } from '../kubectl';
import { PROVISIONER_NAME, REAL_NODE_NAME, STORAGE_CLASS } from './layout';

const SELECTED_NODE = 'volume.kubernetes.io/selected-node';

interface Claim {
  metadata: { name: string; namespace: string; uid: string; annotations?: Record<string, string> };
  spec: {
    storageClassName?: string;
    volumeName?: string;
    accessModes?: string[];
    volumeMode?: string;
    resources?: { requests?: { storage?: string } };
  };
  status?: { phase?: string };
}

interface Volume {
  metadata: { name: string; annotations?: Record<string, string> };
  spec: { local?: { path: string } };
  status?: { phase?: string };
}

/** The PersistentVolume for a claim, bound to it up front (claimRef) and pinned to the real node. */
export function volumeFor(claim: Claim, volumesDir: string): Record<string, unknown> {
  const name = `pvc-${claim.metadata.uid}`;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, annotations: { 'pv.kubernetes.io/provisioned-by': PROVISIONER_NAME } },
    spec: {
      capacity: { storage: claim.spec.resources?.requests?.storage ?? '1Gi' },
      accessModes: claim.spec.accessModes ?? ['ReadWriteOnce'],
      volumeMode: claim.spec.volumeMode ?? 'Filesystem',
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: STORAGE_CLASS,
      local: { path: path.join(volumesDir, name) },
      claimRef: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        namespace: claim.metadata.namespace,
        name: claim.metadata.name,
        uid: claim.metadata.uid,
      },
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            {
              matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [REAL_NODE_NAME] }],
            },
          ],
        },
      },
    },
  };
}

/** Claims waiting for this provisioner: the class is ours, the scheduler chose the real node, no volume yet. */
export function pendingClaims(claims: Claim[]): Claim[] {
  return claims.filter(
    (c) =>
      c.spec.storageClassName === STORAGE_CLASS &&
      !c.spec.volumeName &&
      c.status?.phase === 'Pending' &&
      c.metadata.annotations?.[SELECTED_NODE] === REAL_NODE_NAME,
  );
}

async function once(k: Kubectl, volumesDir: string): Promise<void> {
  const claims = await k.json<KubeList<Claim>>(['get', 'pvc', '-A']);
  const volumes = await k.json<KubeList<Volume>>(['get', 'pv']);
  const existing = new Set(volumes.items.map((v) => v.metadata.name));
  for (const c of pendingClaims(claims.items)) {
    const pv = volumeFor(c, volumesDir);
    const name = (pv.metadata as { name: string }).name;
    if (existing.has(name)) continue;
    // The kubelet sets group ownership (fsGroup) on first mount; the folder itself is root's.
    fs.mkdirSync(path.join(volumesDir, name), { recursive: true, mode: 0o755 });
    await k.must(['create', '-f', '-'], { input: JSON.stringify(pv) });
    console.log(`provisioned ${name} for ${c.metadata.namespace}/${c.metadata.name}`);
  }
  for (const v of volumes.items) {
    const ours = v.metadata.annotations?.['pv.kubernetes.io/provisioned-by'] === PROVISIONER_NAME;
    if (!ours || (v.status?.phase !== 'Released' && v.status?.phase !== 'Failed')) continue;
    const dir = v.spec.local?.path;
    if (dir?.startsWith(`${volumesDir}/`)) fs.rmSync(dir, { recursive: true, force: true });
    await k.run(['delete', 'pv', v.metadata.name, '--wait=false']);
    console.log(`deleted ${v.metadata.name} (claim released)`);
  }
}

async function main(kubeconfig: string, volumesDir: string): Promise<void> {
  const k = new Kubectl(kubeconfig);
  fs.mkdirSync(volumesDir, { recursive: true });
  let stopping = false;
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => (stopping = true));
  console.log(`provisioning ${STORAGE_CLASS} volumes on ${REAL_NODE_NAME} under ${volumesDir}`);
  while (!stopping) {
    try {
      await once(k, volumesDir);
    } catch (e) {
      console.error(`provisioner: ${e instanceof Error ? e.message : String(e)}`);
    }
    await sleep(1000);
  }
}

if (require.main === module) {
  const [kubeconfig, volumesDir] = process.argv.slice(2);
  if (!kubeconfig || !volumesDir) {
    console.error('usage: provisioner.ts <kubeconfig> <volumes dir>');
    process.exitCode = 2;
  } else {
    void main(kubeconfig, volumesDir);
  }
}
