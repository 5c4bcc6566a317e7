// The simulated nodes: spread over three zones so the charts' topology spread constraints have
// something to spread over, and sized so staging and production releases fit side by side.
// `kwokctl scale node` cannot set labels per node, so the manifests are made here.
import { REAL_NODE_LABEL } from './real-node/layout';

export const ZONES = ['zone-a', 'zone-b', 'zone-c'] as const;
export const REGION = 'local';
/** Marks the nodes this project created, so a smaller --nodes removes exactly the extra ones. */
export const NODE_LABEL = 'techcommerce.dev/simulated-node';

/** What each node offers; production asks for about 3.5 CPUs and 3.5 GiB across all pods. */
export const NODE_ALLOCATABLE = { cpu: '16', memory: '64Gi', pods: '110' } as const;

export function nodeName(index: number): string {
  return `kwok-node-${index}`;
}

export function nodeManifest(index: number): Record<string, unknown> {
  const name = nodeName(index);
  const zone = ZONES[index % ZONES.length] as string;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node-role.kubernetes.io/agent': '',
        'topology.kubernetes.io/zone': zone,
        'topology.kubernetes.io/region': REGION,
        type: 'kwok',
        // The key the real node carries as `real`: values select one kind of node or the other.
        [REAL_NODE_LABEL]: 'kwok',
        [NODE_LABEL]: 'true',
      },
    },
    spec: { podCIDR: `10.244.${index}.0/24`, podCIDRs: [`10.244.${index}.0/24`] },
    status: {
      addresses: [
        // Every simulated kubelet is the kwok controller on loopback (logs, exec, port-forward).
        { type: 'InternalIP', address: '127.0.0.1' },
        { type: 'Hostname', address: name },
      ],
      allocatable: { ...NODE_ALLOCATABLE },
      capacity: { ...NODE_ALLOCATABLE },
    },
  };
}

/** A v1 List of `count` nodes, for one `kubectl apply`. */
export function nodeList(count: number): string {
  const items = Array.from({ length: count }, (_, i) => nodeManifest(i));
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}
