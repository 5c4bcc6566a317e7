// The kwokctl configuration of the local cluster: the binary runtime with the toolchain's own
// binaries (kwokctl would otherwise download them), loopback ports, the PodSecurity admission
// plugin named explicitly, and this repository's Stages (stages/*.yaml) instead of kwok's.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { KUBERNETES_VERSION, binDir } from '../tools/paths';
import { clusterDir, type ClusterSettings } from './settings';

export const STAGES_DIR = path.join(__dirname, 'stages');

/** Annotation that keeps a pod from ever becoming Ready (see stages/pods.yaml). */
export const NEVER_READY_ANNOTATION = 'kwok.techcommerce.dev/never-ready';

/** Toolchain binaries the cluster runs, by their names in <cache>/bin. */
export const CLUSTER_BINARIES = [
  'kwokctl',
  'kwok',
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kubectl',
] as const;

/** Every missing binary at once, so one `npm run tools` fixes them all. */
export function assertBinaries(dir = binDir(), extra: readonly string[] = []): void {
  const missing = [...CLUSTER_BINARIES, ...extra].filter((b) => !fs.existsSync(path.join(dir, b)));
  if (missing.length > 0) {
    throw new Error(
      `missing binaries in ${dir}: ${missing.join(', ')}. Build them with \`npm run tools\` ` +
        `(or \`npm run tools -- --only <tool>\`); the cluster never downloads binaries.`,
    );
  }
}

export function stageDocuments(): string {
  return fs
    .readdirSync(STAGES_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => fs.readFileSync(path.join(STAGES_DIR, f), 'utf8').trim())
    .join('\n---\n');
}

/** What `kubectl logs` answers for any pod on the simulated nodes (kwok serves it). */
export const SIMULATED_LOG_LINE = 'simulated by kwok: no container runs on this node, so there are no logs';

/** The file kwok serves as every container's log (CRI log format), next to the cluster. */
export function simulatedLogFile(s: ClusterSettings): string {
  return path.join(s.workdir, `${s.name}.simulated-container.log`);
}

export function simulatedLogText(): string {
  return `1970-01-01T00:00:00.000000000Z stdout F ${SIMULATED_LOG_LINE}\n`;
}

export function kwokctlConfiguration(s: ClusterSettings, dir = binDir()): string {
  const bin = (name: string) => path.join(dir, name);
  const pki = path.join(clusterDir(s), 'pki');
  const config = {
    apiVersion: 'config.kwok.x-k8s.io/v1alpha1',
    kind: 'KwokctlConfiguration',
    options: {
      runtime: 'binary',
      kubeVersion: KUBERNETES_VERSION,
      bindAddress: '127.0.0.1',
      kubeApiserverPort: s.ports.kubeApiserver,
      etcdPort: s.ports.etcd,
      etcdPeerPort: s.ports.etcdPeer,
      kubeControllerManagerPort: s.ports.kubeControllerManager,
      kubeSchedulerPort: s.ports.kubeScheduler,
      kwokControllerPort: s.ports.kwokController,
      kubeApiserverBinary: bin('kube-apiserver'),
      kubeControllerManagerBinary: bin('kube-controller-manager'),
      kubeSchedulerBinary: bin('kube-scheduler'),
      kubectlBinary: bin('kubectl'),
      kwokControllerBinary: bin('kwok'),
      etcdBinary: bin('etcd'),
      kubeAdmission: true,
      kubeAuthorization: true,
      // The default etcd quota (8Gi) is a reservation this throwaway cluster does not need.
      etcdQuotaBackendSize: '1Gi',
    },
    componentsPatches: [
      {
        name: 'kube-apiserver',
        extraArgs: [
          // PodSecurity is on by default since 1.25; naming it keeps it on whatever defaults change.
          // PodNodeSelector and PodTolerationRestriction let a namespace send all of its pods
          // (hooks and `helm test` pods too) to the real node (see real-node/layout.ts).
          { key: 'enable-admission-plugins', value: 'PodSecurity,PodNodeSelector,PodTolerationRestriction' },
          // Node names do not resolve; their InternalIP (127.0.0.1) reaches kwok's kubelet API.
          { key: 'kubelet-preferred-address-types', value: 'InternalIP' },
          // The real node's kubelet authenticates the API server by this certificate (logs, exec,
          // port-forward); kwok's simulated kubelet API ignores it.
          { key: 'kubelet-client-certificate', value: path.join(pki, 'admin.crt') },
          { key: 'kubelet-client-key', value: path.join(pki, 'admin.key') },
        ],
      },
      {
        name: 'kwok-controller',
        // Only the simulated nodes (annotated kwok.x-k8s.io/node=fake, see nodes.ts): the real
        // node belongs to its kubelet. kwokctl's binary runtime passes --manage-all-nodes=true;
        // these come later on the command line and win.
        extraArgs: [
          { key: 'manage-all-nodes', value: 'false' },
          { key: 'manage-nodes-with-annotation-selector', value: 'kwok.x-k8s.io/node=fake' },
        ],
      },
    ],
  };
  const logs = {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'ClusterLogs',
    metadata: { name: 'simulated-containers' },
    spec: { logs: [{ logsFile: simulatedLogFile(s), follow: false }] },
  };
  return [stringify(config), stageDocuments(), stringify(logs)].map((d) => d.trim()).join('\n---\n') + '\n';
}

/** Identifies a configuration, to tell when a running cluster was made from an older one. */
export function configDigest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
