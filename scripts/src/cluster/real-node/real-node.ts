// One real kubelet node beside the kwok nodes: containerd + runc (cgroupfs) with a CNI bridge,
// the kubelet, kube-proxy (iptables), CoreDNS as a host process, and a local-volume provisioner.
// Up is idempotent (what runs is kept, what died is restarted); down leaves no process, mount,
// interface, route or iptables chain of the node behind.
import fs from 'node:fs';
import path from 'node:path';
import { requireTool, toolEnv } from '../../tools/paths';
import { mustRun, runCommand, waitFor } from '../command';
import { Kubectl } from '../kubectl';
import type { ClusterSettings } from '../settings';
import {
  containerdConfig,
  cniConfig,
  corefile,
  kubeletArgs,
  kubeletConfig,
  kubeProxyConfig,
} from './configs';
import {
  daemonStatus,
  logTail,
  processesMentioning,
  startDaemon,
  stopDaemon,
  stopPid,
  type Daemon,
  type DaemonStatus,
} from './daemons';
import { hostPath, iptablesSave, networkDown, networkUp, removeOwnChains, unmountAll } from './host';
import {
  nodeLayout,
  OWNER_FILE,
  PROVISIONER_NAME,
  REAL_NODE_LABEL,
  REAL_NODE_LABEL_VALUE,
  REAL_NODE_NAME,
  STORAGE_CLASS,
  type NodeLayout,
} from './layout';

type Log = (line: string) => void;

/** An OCI archive to load into the node's containerd (k8s.io namespace), and the ref it carries. */
export interface ImageArchive {
  ref: string;
  archive: string;
  /** A stable second name (e.g. localhost/techcommerce/product-api:local) values files can use. */
  alias?: string;
}

/** Toolchain binaries (<cache>/bin) the real node runs, besides Debian's containerd, runc and CNI plugins. */
export const REAL_NODE_BINARIES = ['kubelet', 'kube-proxy', 'coredns', 'crictl'] as const;

/** In start order; down stops them in reverse. */
export const NODE_COMPONENTS = [
  'containerd',
  'coredns',
  'kubelet',
  'kube-proxy',
  'volume-provisioner',
] as const;

export function nodeEnv(): NodeJS.ProcessEnv {
  const env = toolEnv();
  return { ...env, PATH: hostPath(env.PATH) };
}

function daemons(s: ClusterSettings, l: NodeLayout): Record<(typeof NODE_COMPONENTS)[number], Daemon> {
  const env = nodeEnv();
  return {
    containerd: { name: 'containerd', command: 'containerd', args: ['--config', l.containerdConfig], env },
    coredns: { name: 'coredns', command: requireTool('coredns'), args: ['-conf', l.corefile], env },
    kubelet: {
      name: 'kubelet',
      command: requireTool('kubelet'),
      args: kubeletArgs(s, l, {
        [REAL_NODE_LABEL]: REAL_NODE_LABEL_VALUE,
        'topology.kubernetes.io/zone': 'zone-a',
        'topology.kubernetes.io/region': 'local',
      }),
      env,
    },
    'kube-proxy': {
      name: 'kube-proxy',
      command: requireTool('kube-proxy'),
      args: [`--config=${l.kubeProxyConfig}`, '--v=1'],
      env,
    },
    'volume-provisioner': {
      name: 'volume-provisioner',
      command: process.execPath,
      args: [require.resolve('tsx/cli'), path.join(__dirname, 'provisioner.ts'), s.kubeconfig, l.volumes],
      env,
    },
  };
}

export function realNodeStatus(s: ClusterSettings): DaemonStatus[] {
  const l = nodeLayout(s);
  if (!fs.existsSync(l.dir)) return [];
  return NODE_COMPONENTS.map((c) => daemonStatus(l.pids, c, l.dir));
}

/** Which cluster owns this machine's real node (if its node still runs). */
function owner(): string | undefined {
  try {
    const [name, dir] = fs.readFileSync(OWNER_FILE, 'utf8').trim().split('\n');
    if (!name || !dir || !fs.existsSync(dir)) return undefined;
    const pids = path.join(dir, 'pids');
    return NODE_COMPONENTS.some((c) => daemonStatus(pids, c, dir).alive) ? name : undefined;
  } catch {
    return undefined;
  }
}

function writeConfigs(s: ClusterSettings, l: NodeLayout): void {
  for (const d of [l.cniConfDir, l.cniIpamDir, l.kubeletRoot, l.kubeletCertDir, l.podLogs, l.volumes])
    fs.mkdirSync(d, { recursive: true });
  fs.mkdirSync(path.dirname(l.containerdConfig), { recursive: true });
  fs.mkdirSync(path.dirname(l.kubeletConfig), { recursive: true });
  fs.writeFileSync(l.containerdConfig, containerdConfig(l));
  fs.writeFileSync(path.join(l.cniConfDir, '10-techcommerce.conflist'), cniConfig(l));
  fs.writeFileSync(l.kubeletConfig, kubeletConfig(s, l));
  fs.writeFileSync(l.kubeProxyConfig, kubeProxyConfig(s));
  fs.writeFileSync(l.corefile, corefile(s));
}

export async function ctr(l: NodeLayout, args: string[], timeoutMs = 300_000) {
  return mustRun('ctr', ['--address', l.containerdSocket, '--namespace', 'k8s.io', ...args], {
    env: nodeEnv(),
    timeoutMs,
  });
}

/** The manifest digest an OCI archive's index names (what containerd records for the image). */
async function archiveDigest(archive: string): Promise<string | undefined> {
  const r = await runCommand('tar', ['-xOf', archive, 'index.json']);
  if (r.status !== 0) return undefined;
  const index = JSON.parse(r.stdout) as { manifests?: { digest?: string }[] };
  return index.manifests?.[0]?.digest;
}

/** Imports the archives containerd does not have yet (same ref and digest = already there). */
export async function importImages(s: ClusterSettings, images: ImageArchive[], log: Log): Promise<void> {
  const l = nodeLayout(s);
  const listed = (await ctr(l, ['images', 'ls'])).stdout;
  for (const img of images) {
    const digest = await archiveDigest(img.archive);
    const have = listed.split('\n').some((line) => {
      const [ref, , dig] = line.split(/\s+/);
      return ref === img.ref && dig === digest;
    });
    if (have) {
      if (img.alias) await ctr(l, ['images', 'tag', '--force', img.ref, img.alias]);
      continue;
    }
    const started = Date.now();
    await ctr(l, ['images', 'import', '--no-unpack=false', img.archive]);
    const after = (await ctr(l, ['images', 'ls', '-q'])).stdout.split('\n');
    if (!after.includes(img.ref)) {
      throw new Error(
        `ctr images import ${img.archive} did not name the image ${img.ref} (got: ${after.join(', ')})`,
      );
    }
    if (img.alias) await ctr(l, ['images', 'tag', '--force', img.ref, img.alias]);
    log(
      `real node: imported ${img.ref}${img.alias ? ` (also ${img.alias})` : ''} in ${((Date.now() - started) / 1000).toFixed(1)}s`,
    );
  }
}

async function waitSocket(l: NodeLayout): Promise<void> {
  await waitFor(
    'containerd to answer on its socket',
    async () =>
      (await runCommand('ctr', ['--address', l.containerdSocket, 'version'], { env: nodeEnv() })).status === 0
        ? true
        : undefined,
    { timeoutMs: 30_000, intervalMs: 200 },
  ).catch((e: Error) => {
    throw new Error(`${e.message}\n${logTail(l.logs, 'containerd')}`);
  });
}

const storageClass = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: {
    name: STORAGE_CLASS,
    annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
  },
  provisioner: PROVISIONER_NAME,
  reclaimPolicy: 'Delete',
  // The scheduler picks the node first (the provisioner serves the real node only).
  volumeBindingMode: 'WaitForFirstConsumer',
};

/**
 * Starts whatever part of the real node is not running, imports the images, and returns once
 * the Node is Ready. Refuses while another cluster on this machine owns the real node.
 */
export async function realNodeUp(
  s: ClusterSettings,
  images: ImageArchive[],
  log: Log = () => undefined,
): Promise<void> {
  const l = nodeLayout(s);
  const other = owner();
  if (other && other !== s.name) {
    throw new Error(
      `the real node of cluster "${other}" runs on this machine (one per machine: kube-proxy's iptables ` +
        `chains, the kubelet port and the bridge are machine-wide). Run \`npm run cluster:down -- --name ${other}\` first.`,
    );
  }
  const status = realNodeStatus(s);
  if (status.length > 0 && status.every((d) => d.alive)) {
    log(`real node: already running`);
  } else {
    if (status.some((d) => d.alive)) await stopProcesses(s, l);
    const started = Date.now();
    fs.mkdirSync(l.dir, { recursive: true });
    fs.writeFileSync(OWNER_FILE, `${s.name}\n${l.dir}\n`);
    if (!fs.existsSync(l.iptablesBefore)) fs.writeFileSync(l.iptablesBefore, await iptablesSave());
    if (!fs.existsSync(l.hostPathsBefore))
      fs.writeFileSync(l.hostPathsBefore, JSON.stringify(hostPathsNow()));
    writeConfigs(s, l);
    await networkUp(l.ipForwardBefore);
    const ds = daemons(s, l);
    startDaemon(ds.containerd, l.pids, l.logs);
    await waitSocket(l);
    for (const c of NODE_COMPONENTS.slice(1)) startDaemon(ds[c], l.pids, l.logs);
    log(
      `real node: containerd, CoreDNS, kubelet, kube-proxy and the volume provisioner started in ${((Date.now() - started) / 1000).toFixed(1)}s`,
    );
  }
  await importImages(s, images, log);
  const k = new Kubectl(s.kubeconfig);
  await k.apply(JSON.stringify(storageClass));
  await waitFor(
    `node ${REAL_NODE_NAME} to be Ready`,
    async () => {
      const r = await k.run([
        'get',
        'node',
        REAL_NODE_NAME,
        '-o',
        'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
      ]);
      return r.stdout.trim() === 'True' ? true : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 500 },
  ).catch((e: Error) => {
    throw new Error(`${e.message}\n${logTail(l.logs, 'kubelet', 30)}\n${logTail(l.logs, 'containerd')}`);
  });
  const dead = realNodeStatus(s).filter((d) => !d.alive);
  if (dead.length > 0) {
    throw new Error(
      `real node: ${dead.map((d) => d.component).join(', ')} exited\n${dead.map((d) => logTail(l.logs, d.component)).join('\n')}`,
    );
  }
  log(`real node: ${REAL_NODE_NAME} Ready (${REAL_NODE_LABEL}=${REAL_NODE_LABEL_VALUE})`);
}

/** Pods first (through the CRI, so the CNI plugin takes their network down), then the processes. */
async function stopProcesses(
  s: ClusterSettings,
  l: NodeLayout,
  times: Record<string, number> = {},
): Promise<void> {
  const timed = async (what: string, f: () => Promise<unknown>) => {
    const t = Date.now();
    await f();
    times[what] = Date.now() - t;
  };
  await timed('kubelet', () => stopDaemon(l.pids, 'kubelet', l.dir));
  if (daemonStatus(l.pids, 'containerd', l.dir).alive) {
    const crictl = ['--runtime-endpoint', `unix://${l.containerdSocket}`, '--timeout', '30s'];
    await timed('pods', () =>
      runCommand(requireTool('crictl'), [...crictl, 'rmp', '--all', '--force'], {
        env: nodeEnv(),
        timeoutMs: 120_000,
      }),
    );
  }
  // The API clients at once (each takes a second or two to exit), then the runtime.
  await timed('daemons', () =>
    Promise.all(
      (['volume-provisioner', 'kube-proxy', 'coredns'] as const).map((c) => stopDaemon(l.pids, c, l.dir)),
    ),
  );
  await timed('containerd', () => stopDaemon(l.pids, 'containerd', l.dir));
  // Shims outlive containerd by design; these are this node's (their -address is its socket).
  await timed('shims', async () => {
    for (const pid of processesMentioning(l.containerdSocket)) await stopPid(pid, 5_000);
  });
}

/** Stops the real node and takes back everything it changed on the host. */
export async function realNodeDown(s: ClusterSettings, log: Log = () => undefined): Promise<boolean> {
  const l = nodeLayout(s);
  if (!fs.existsSync(l.dir)) return false;
  const started = Date.now();
  const times: Record<string, number> = {};
  await stopProcesses(s, l, times);
  // kube-proxy's own cleanup first, then whatever KUBE-/CNI- chain the node added (the kubelet's too).
  if (fs.existsSync(l.kubeProxyConfig)) {
    await runCommand(requireTool('kube-proxy'), ['--cleanup', `--config=${l.kubeProxyConfig}`], {
      env: nodeEnv(),
      timeoutMs: 60_000,
    });
  }
  const before = fs.existsSync(l.iptablesBefore) ? fs.readFileSync(l.iptablesBefore, 'utf8') : '';
  await removeOwnChains(before);
  await restoreHostPaths(l);
  await networkDown(l.ipForwardBefore);
  fs.rmSync(l.dir, { recursive: true, force: true });
  try {
    if (fs.readFileSync(OWNER_FILE, 'utf8').startsWith(`${s.name}\n`)) fs.rmSync(OWNER_FILE, { force: true });
  } catch {
    // no owner file: nothing to release
  }
  log(
    `real node: stopped in ${((Date.now() - started) / 1000).toFixed(1)}s (${Object.entries(times)
      .map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)}s`)
      .join(', ')}); its processes, mounts, bridge and iptables chains are gone`,
  );
  return true;
}

/** The kubelet links every container log into /var/log/containers (a fixed path); ours point into podLogs. */
const CONTAINER_LOG_LINKS = '/var/log/containers';
const NETNS_DIR = '/run/netns';

/** Fixed host paths the kubelet and containerd create when missing, as they were before the node started. */
interface HostPaths {
  netns: string[];
  /** /run/netns existed (on a fresh host, containerd's CNI setup creates it). */
  netnsDir: boolean;
  netnsMounted: boolean;
  containerLogDir: boolean;
}

const isMountPoint = (p: string) =>
  fs
    .readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .some((l) => l.split(' ')[1] === p);

function netnsNames(): string[] {
  return fs.existsSync(NETNS_DIR) ? fs.readdirSync(NETNS_DIR).filter((n) => n.startsWith('cni-')) : [];
}

function hostPathsNow(): HostPaths {
  return {
    netns: netnsNames(),
    netnsDir: fs.existsSync(NETNS_DIR),
    netnsMounted: isMountPoint(NETNS_DIR),
    containerLogDir: fs.existsSync(CONTAINER_LOG_LINKS),
  };
}

function hostPathsBefore(l: NodeLayout): HostPaths {
  try {
    return JSON.parse(fs.readFileSync(l.hostPathsBefore, 'utf8')) as HostPaths;
  } catch {
    return { netns: [], netnsDir: true, netnsMounted: true, containerLogDir: true };
  }
}

/**
 * Puts back the fixed paths: the kubelet's log links of this node, the pod network namespaces
 * (containerd 1.6: /run/netns/cni-<uuid>) that crictl rmp did not remove (a crashed run), and
 * the folders and the shared /run/netns mount that were not there before.
 */
async function restoreHostPaths(l: NodeLayout): Promise<void> {
  const before = hostPathsBefore(l);
  if (fs.existsSync(CONTAINER_LOG_LINKS)) {
    for (const f of fs.readdirSync(CONTAINER_LOG_LINKS)) {
      const link = path.join(CONTAINER_LOG_LINKS, f);
      try {
        if (fs.readlinkSync(link).startsWith(`${l.podLogs}/`)) fs.rmSync(link, { force: true });
      } catch {
        // not a link: not the kubelet's
      }
    }
    if (!before.containerLogDir && fs.readdirSync(CONTAINER_LOG_LINKS).length === 0)
      fs.rmdirSync(CONTAINER_LOG_LINKS);
  }
  const netns = netnsNames()
    .filter((n) => !before.netns.includes(n))
    .map((n) => path.join(NETNS_DIR, n));
  await unmountAll([l.dir, ...netns]);
  for (const n of netns) fs.rmSync(n, { force: true });
  if (!before.netnsMounted && isMountPoint(NETNS_DIR) && netnsNames().length === 0)
    await unmountAll([NETNS_DIR]);
  if (
    !before.netnsDir &&
    fs.existsSync(NETNS_DIR) &&
    !isMountPoint(NETNS_DIR) &&
    fs.readdirSync(NETNS_DIR).length === 0
  )
    fs.rmdirSync(NETNS_DIR);
}
