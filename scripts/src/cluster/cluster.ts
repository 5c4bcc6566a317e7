// The local cluster's lifecycle: up (create or restart, then nodes and CRDs), down (no process
// left behind), status. kwokctl does the process work; this module makes it repeatable, refuses
// busy ports and missing binaries up front, and checks that the cluster really answers.
import fs from 'node:fs';
import path from 'node:path';
import { binDir, KUBERNETES_VERSION, prometheusOperatorCrdDir, toolEnv } from '../tools/paths';
import { runCommand, sleep, waitFor, type CommandResult } from './command';
import { Kubectl, type KubeList } from './kubectl';
import {
  assertBinaries,
  configDigest,
  kwokctlConfiguration,
  simulatedLogFile,
  simulatedLogText,
} from './kwokctl-config';
import { NODE_LABEL, nodeList, nodeName } from './nodes';
import { assertPortsFree } from './ports';
import { clusterDir, type ClusterSettings } from './settings';
import {
  REAL_NODE_BINARIES,
  realNodeDown,
  realNodeStatus,
  realNodeUp,
  type ImageArchive,
} from './real-node/real-node';
import { pauseImage } from '../tools/paths';

export type ClusterState = 'absent' | 'running' | 'stopped' | 'degraded';

export interface ComponentProcess {
  component: string;
  pid: number | undefined;
  alive: boolean;
}

export interface ClusterStatus {
  state: ClusterState;
  server: string;
  kubeconfig: string;
  processes: ComponentProcess[];
  /** The cluster was created from another configuration (e.g. changed Stages): recreate it. */
  stale: boolean;
}

const DIGEST_FILE = 'techcommerce-config.sha256';

function kwokEnv(s: ClusterSettings): NodeJS.ProcessEnv {
  return { ...toolEnv(), KWOK_WORKDIR: s.workdir, KWOK_KUBE_VERSION: KUBERNETES_VERSION };
}

function kwokctl(s: ClusterSettings, args: readonly string[], timeoutMs = 300_000): Promise<CommandResult> {
  return runCommand(path.join(binDir(), 'kwokctl'), ['--name', s.name, ...args], {
    env: kwokEnv(s),
    timeoutMs,
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The component processes kwokctl recorded (pids/<component>.pid). */
export function componentProcesses(s: ClusterSettings): ComponentProcess[] {
  const dir = path.join(clusterDir(s), 'pids');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.pid'))
    .sort()
    .map((f) => {
      const pid = Number.parseInt(fs.readFileSync(path.join(dir, f), 'utf8').trim(), 10);
      const valid = Number.isInteger(pid) && pid > 0;
      return {
        component: f.replace(/\.pid$/, ''),
        pid: valid ? pid : undefined,
        alive: valid && pidAlive(pid),
      };
    });
}

export function serverUrl(s: ClusterSettings): string {
  return `https://127.0.0.1:${s.ports.kubeApiserver}`;
}

export function clusterStatus(s: ClusterSettings): ClusterStatus {
  const dir = clusterDir(s);
  const base = { server: serverUrl(s), kubeconfig: s.kubeconfig };
  if (!fs.existsSync(path.join(dir, 'kwok.yaml'))) {
    return { ...base, state: 'absent', processes: [], stale: false };
  }
  const processes = [
    ...componentProcesses(s),
    ...(s.realNode ? realNodeStatus(s).map((d) => ({ ...d, component: `node/${d.component}` })) : []),
  ];
  const alive = processes.filter((p) => p.alive).length;
  const state: ClusterState =
    alive === 0 ? 'stopped' : alive === processes.length && processes.length > 0 ? 'running' : 'degraded';
  const digestFile = path.join(dir, DIGEST_FILE);
  const stale =
    fs.existsSync(digestFile) &&
    fs.readFileSync(digestFile, 'utf8').trim() !== configDigest(kwokctlConfiguration(s));
  return { ...base, state, processes, stale };
}

function logTails(s: ClusterSettings, lines = 15): string {
  const dir = path.join(clusterDir(s), 'logs');
  if (!fs.existsSync(dir)) return '';
  return fs
    .readdirSync(dir)
    .sort()
    .map((f) => {
      const text = fs.readFileSync(path.join(dir, f), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      return `--- ${f} (last ${lines} lines)\n${text}`;
    })
    .join('\n');
}

export interface UpResult {
  /** What `up` had to do: created, restarted, or nothing (already running). */
  action: 'created' | 'restarted' | 'already running';
  ms: number;
  status: ClusterStatus;
}

type Log = (line: string) => void;

export interface UpOptions {
  /** Images for the real node's containerd besides the pause image (e.g. the services'). */
  images?: ImageArchive[];
}

/** Creates (or restarts) the cluster and returns once nodes are Ready and the CRDs established. */
export async function clusterUp(
  s: ClusterSettings,
  log: Log = () => undefined,
  opts: UpOptions = {},
): Promise<UpResult> {
  const started = Date.now();
  assertBinaries(undefined, s.realNode ? REAL_NODE_BINARIES : []);
  if (s.realNode && !fs.existsSync(pauseImage().archive)) {
    throw new Error(`the pause image ${pauseImage().archive} is missing: run \`npm run tools\``);
  }
  const crdDir = prometheusOperatorCrdDir();
  if (!fs.existsSync(crdDir)) {
    throw new Error(`prometheus-operator CRDs not found in ${crdDir}: run \`npm run tools\``);
  }
  let action: UpResult['action'];
  const before = clusterStatus({ ...s, realNode: false });
  if (before.state === 'absent') {
    await create(s, log);
    action = 'created';
  } else if (before.state === 'running') {
    action = 'already running';
    log(`cluster ${s.name}: already running`);
  } else {
    log(`cluster ${s.name}: ${before.state}; restarting its components`);
    if (before.state === 'degraded') await kwokctl(s, ['stop', 'cluster']);
    await assertPortsFree(s.ports);
    const r = await kwokctl(s, ['start', 'cluster', '--timeout', '3m']);
    if (r.status !== 0)
      throw new Error(`kwokctl start cluster failed:\n${r.stderr}${r.stdout}\n${logTails(s)}`);
    action = 'restarted';
  }
  const status = clusterStatus(s);
  if (status.stale) {
    log(
      `cluster ${s.name}: created from an older configuration (Stages or options changed); ` +
        'run `npm run cluster:down && npm run cluster:up` to apply the new one',
    );
  }
  await prepare(s, log);
  if (s.realNode) await realNodeUp(s, [pauseImage(), ...(opts.images ?? [])], log);
  return { action, ms: Date.now() - started, status: clusterStatus(s) };
}

async function create(s: ClusterSettings, log: Log): Promise<void> {
  await assertPortsFree(s.ports);
  fs.mkdirSync(s.workdir, { recursive: true });
  const config = kwokctlConfiguration(s);
  const configFile = path.join(s.workdir, `${s.name}.kwokctl.yaml`);
  fs.writeFileSync(configFile, config);
  fs.writeFileSync(simulatedLogFile(s), simulatedLogText());
  log(
    `cluster ${s.name}: starting etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok (${KUBERNETES_VERSION})`,
  );
  const r = await kwokctl(s, [
    'create',
    'cluster',
    '--config',
    configFile,
    '--kubeconfig',
    s.kubeconfig,
    '--timeout',
    '4m',
    '--wait',
    '3m',
  ]);
  if (r.status !== 0) {
    const tails = logTails(s);
    await clusterDown(s).catch(() => undefined);
    throw new Error(
      `kwokctl create cluster failed (everything it started was stopped):\n${r.stderr}${r.stdout}\n${tails}`,
    );
  }
  fs.writeFileSync(path.join(clusterDir(s), DIGEST_FILE), `${configDigest(config)}\n`);
}

/** Nodes, CRDs and the checks that say the control plane really works. Safe to repeat. */
async function prepare(s: ClusterSettings, log: Log): Promise<void> {
  const k = new Kubectl(s.kubeconfig);
  await waitFor(
    'kube-apiserver /readyz',
    async () => ((await k.run(['get', '--raw', '/readyz'])).status === 0 ? true : undefined),
    { timeoutMs: 120_000 },
  );
  await k.apply(nodeList(s.nodes));
  const nodes = await k.json<KubeList<{ metadata: { name: string } }>>(['get', 'nodes', '-l', NODE_LABEL]);
  const wanted = new Set(Array.from({ length: s.nodes }, (_, i) => nodeName(i)));
  const extra = nodes.items.map((n) => n.metadata.name).filter((n) => !wanted.has(n));
  if (extra.length > 0) await k.must(['delete', 'node', ...extra, '--wait=false']);
  await k.must(['wait', '--for=condition=Ready', 'node', '-l', NODE_LABEL, '--timeout=120s']);
  log(`cluster ${s.name}: ${s.nodes} simulated node(s) Ready`);

  await k.must([
    'apply',
    '--server-side',
    '--force-conflicts',
    '--field-manager=techcommerce',
    '-f',
    prometheusOperatorCrdDir(),
  ]);
  await k.must(['wait', '--for=condition=Established', '-f', prometheusOperatorCrdDir(), '--timeout=60s']);
  log(`cluster ${s.name}: prometheus-operator CRDs established`);

  // The ServiceAccount controller (kube-controller-manager) answering means pods can be created.
  await waitFor(
    'the default ServiceAccount (kube-controller-manager)',
    async () =>
      (await k.run(['get', 'serviceaccount', 'default', '-n', 'default'])).status === 0 ? true : undefined,
    { timeoutMs: 120_000 },
  );
}

export interface DownResult {
  existed: boolean;
  /** Component processes that had to be killed after kwokctl delete (should be none). */
  killed: number[];
}

/** Deletes the cluster; afterwards none of its processes runs and its folder is gone. */
export async function clusterDown(s: ClusterSettings, log: Log = () => undefined): Promise<DownResult> {
  const dir = clusterDir(s);
  if (!fs.existsSync(dir)) {
    fs.rmSync(s.kubeconfig, { force: true });
    log(`cluster ${s.name}: not present, nothing to do`);
    return { existed: false, killed: [] };
  }
  // The real node first: its processes use the API server, and its pods the node's network.
  await realNodeDown(s, log);
  const processes = componentProcesses(s);
  const r = await kwokctl(s, ['delete', 'cluster', '--kubeconfig', s.kubeconfig], 120_000);
  if (r.status !== 0) log(`kwokctl delete cluster exited ${r.status}: ${r.stderr.trim()}`);
  const killed: number[] = [];
  for (const p of processes) {
    if (p.pid === undefined || !(await exited(p.pid, 10_000))) continue;
    // Only the exact pids this cluster recorded, and only while they still run its binary.
    if (ownProcess(p.pid, dir)) {
      process.kill(p.pid, 'SIGKILL');
      killed.push(p.pid);
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(s.kubeconfig, { force: true });
  fs.rmSync(path.join(s.workdir, `${s.name}.kwokctl.yaml`), { force: true });
  fs.rmSync(simulatedLogFile(s), { force: true });
  log(`cluster ${s.name}: deleted${killed.length ? ` (killed ${killed.length} leftover process(es))` : ''}`);
  return { existed: true, killed };
}

/** Resolves true when the process is still alive after the grace period. */
async function exited(pid: number, graceMs: number): Promise<boolean> {
  const deadline = Date.now() + graceMs;
  while (pidAlive(pid)) {
    if (Date.now() > deadline) return true;
    await sleep(100);
  }
  return false;
}

function ownProcess(pid: number, dir: string): boolean {
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
    return cwd === dir || cmdline.includes(dir);
  } catch {
    return false;
  }
}
