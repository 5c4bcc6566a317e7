// The real node's fixed facts (name, labels, taint, addresses, ports) and where its state lives.
// One real node per machine: kube-proxy's iptables chains, the kubelet's port and the bridge are
// machine-wide, so a second one would fight the first (realNodeUp refuses it, naming the owner).
import path from 'node:path';
import { clusterDir, type ClusterSettings } from '../settings';

export const REAL_NODE_NAME = 'real-node';
/** Values select the real node with this label (values/local-cluster.yaml). */
export const REAL_NODE_LABEL = 'techcommerce.example/node';
export const REAL_NODE_LABEL_VALUE = 'real';
/** Keeps pods that did not ask for the real node (ct's ci values, kwok-shaped tests) on kwok nodes. */
export const REAL_NODE_TAINT = { key: REAL_NODE_LABEL, value: REAL_NODE_LABEL_VALUE, effect: 'NoSchedule' };

/**
 * Annotations that send every pod of a namespace to the real node, whatever its chart lets you
 * set (hook Jobs, `helm test` pods, ct's installs): kube-apiserver's PodNodeSelector and
 * PodTolerationRestriction admission plugins add the selector and the toleration.
 */
export const REAL_NODE_NAMESPACE_ANNOTATIONS = {
  'scheduler.alpha.kubernetes.io/node-selector': `${REAL_NODE_LABEL}=${REAL_NODE_LABEL_VALUE}`,
  'scheduler.alpha.kubernetes.io/defaultTolerations': JSON.stringify([
    { key: REAL_NODE_LABEL, operator: 'Equal', value: REAL_NODE_LABEL_VALUE, effect: 'NoSchedule' },
  ]),
};

/**
 * Pod network of the real node: a bridge of ours whose gateway address is also the node's
 * InternalIP (kubelet API for logs/exec/port-forward) and the cluster DNS address, so the node
 * needs no address from the host's own network. 10.85/16 collides with neither the host's
 * networks, the Service range (kube-apiserver's default 10.0.0.0/24) nor the kwok nodes'
 * simulated pod ranges (10.244.<n>.0/24).
 */
export const BRIDGE = 'tcbr0';
export const POD_CIDR = '10.85.0.0/24';
export const NODE_IP = '10.85.0.1';
export const SERVICE_CIDR = '10.0.0.0/24';
/** The kwok nodes' pod IPs exist nowhere: routed to a blackhole so nothing ever leaves the host for them. */
export const SIMULATED_POD_RANGE = '10.244.0.0/16';
export const CLUSTER_DOMAIN = 'cluster.local';

/** Fixed ports (one real node per machine): the kubelet on NODE_IP, the rest on loopback. */
export const NODE_PORTS = {
  kubelet: 10250,
  kubeletHealthz: 10248,
  kubeProxyHealthz: 10256,
  kubeProxyMetrics: 10249,
  corednsHealth: 10254,
  corednsReady: 10253,
} as const;

/** The StorageClass the real node provisions local volumes for (the default class). */
export const STORAGE_CLASS = 'standard';
export const PROVISIONER_NAME = 'techcommerce.example/local-volume';

/** Machine-wide marker naming the cluster that owns the real node. */
export const OWNER_FILE = '/run/techcommerce-real-node.owner';

export interface NodeLayout {
  dir: string;
  pids: string;
  logs: string;
  containerdConfig: string;
  containerdRoot: string;
  containerdState: string;
  containerdSocket: string;
  cniConfDir: string;
  cniIpamDir: string;
  kubeletRoot: string;
  kubeletConfig: string;
  kubeletCertDir: string;
  podLogs: string;
  kubeProxyConfig: string;
  corefile: string;
  volumes: string;
  /** iptables-save taken before the node started: what down restores the chains to. */
  iptablesBefore: string;
  /** The ip_forward value before the node set it to 1. */
  ipForwardBefore: string;
  /** The fixed host paths (netns, log links) as they were before the node started. */
  hostPathsBefore: string;
}

/** Everything of the real node lives under <cluster dir>/node (removed with the cluster). */
export function nodeLayout(s: ClusterSettings): NodeLayout {
  const dir = path.join(clusterDir(s), 'node');
  const at = (...p: string[]) => path.join(dir, ...p);
  return {
    dir,
    pids: at('pids'),
    logs: at('logs'),
    containerdConfig: at('containerd', 'config.toml'),
    containerdRoot: at('containerd', 'root'),
    containerdState: at('containerd', 'state'),
    containerdSocket: at('containerd', 'containerd.sock'),
    cniConfDir: at('cni', 'net.d'),
    cniIpamDir: at('cni', 'ipam'),
    kubeletRoot: at('kubelet'),
    kubeletConfig: at('config', 'kubelet.yaml'),
    kubeletCertDir: at('config', 'kubelet-pki'),
    podLogs: at('pod-logs'),
    kubeProxyConfig: at('config', 'kube-proxy.yaml'),
    corefile: at('config', 'Corefile'),
    volumes: at('volumes'),
    iptablesBefore: at('iptables-before.txt'),
    ipForwardBefore: at('ip-forward-before.txt'),
    hostPathsBefore: at('host-paths-before.json'),
  };
}
