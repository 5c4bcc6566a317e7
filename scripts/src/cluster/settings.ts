// Where a local cluster lives and which loopback ports it takes. One place, so `cluster:up`,
// `cluster:status`, the release tests and the benchmark agree on paths.
import path from 'node:path';
import { cacheDir } from '../tools/env';

/** Each control-plane component gets a fixed port on 127.0.0.1 (none is left to chance). */
export interface ClusterPorts {
  kubeApiserver: number;
  etcd: number;
  etcdPeer: number;
  kubeControllerManager: number;
  kubeScheduler: number;
  kwokController: number;
}

export interface ClusterSettings {
  /** kwokctl's cluster name; the kubeconfig context is `kwok-<name>`. */
  name: string;
  /** KWOK_WORKDIR: kwokctl keeps each cluster in <workdir>/clusters/<name>. */
  workdir: string;
  /** The kubeconfig written for this cluster (and only this cluster). */
  kubeconfig: string;
  /** How many simulated nodes (spread over ZONES). */
  nodes: number;
  ports: ClusterPorts;
  /** Add the real kubelet node (containerd, kube-proxy, CoreDNS) beside the kwok nodes. */
  realNode: boolean;
}

export const DEFAULT_CLUSTER_NAME = 'techcommerce';
export const DEFAULT_NODES = 3;
/** kube-apiserver listens here; the other components on the next five ports. */
export const DEFAULT_PORT_BASE = 46400;

export function portsFrom(base: number): ClusterPorts {
  if (!Number.isInteger(base) || base < 1024 || base > 65535 - 5) {
    throw new Error(`port base must be an integer from 1024 to 65530, got ${String(base)}`);
  }
  return {
    kubeApiserver: base,
    etcd: base + 1,
    etcdPeer: base + 2,
    kubeControllerManager: base + 3,
    kubeScheduler: base + 4,
    kwokController: base + 5,
  };
}

export function clusterWorkdir(): string {
  return path.join(cacheDir(), 'cluster');
}

export function clusterSettings(
  opts: { name?: string; nodes?: number; portBase?: number; workdir?: string; realNode?: boolean } = {},
): ClusterSettings {
  const name = opts.name ?? DEFAULT_CLUSTER_NAME;
  if (!/^[a-z0-9]([a-z0-9-]{0,40}[a-z0-9])?$/.test(name)) {
    throw new Error(`cluster name must be lowercase letters, digits and dashes (at most 42), got "${name}"`);
  }
  const nodes = opts.nodes ?? DEFAULT_NODES;
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 50) {
    throw new Error(`--nodes must be an integer from 1 to 50, got ${String(nodes)}`);
  }
  const workdir = opts.workdir ?? clusterWorkdir();
  return {
    name,
    workdir,
    kubeconfig: path.join(workdir, `${name}.kubeconfig`),
    nodes,
    ports: portsFrom(opts.portBase ?? envPortBase() ?? DEFAULT_PORT_BASE),
    realNode: opts.realNode ?? false,
  };
}

function envPortBase(): number | undefined {
  const raw = process.env.TECHCOMMERCE_CLUSTER_PORT_BASE;
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n))
    throw new Error(`TECHCOMMERCE_CLUSTER_PORT_BASE must be a port number, got "${raw}"`);
  return n;
}

/** kwokctl's own folder for the cluster: config, pki, pids, logs, etcd data. */
export function clusterDir(s: ClusterSettings): string {
  return path.join(s.workdir, 'clusters', s.name);
}
