// The host state the real node changes, set up and taken back: its bridge (node address), a
// blackhole route for the simulated pod range, ip_forward, iptables chains (kube-proxy, kubelet,
// CNI) and mounts (overlay snapshots, shm, volume bind mounts, network namespaces).
// `hostSnapshot` is what the cleanup test compares before up and after down.
import fs from 'node:fs';
import { runCommand, mustRun } from '../command';
import { BRIDGE, NODE_IP, POD_CIDR, SERVICE_CIDR, SIMULATED_POD_RANGE } from './layout';

const SBIN_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** Root's sbin folders: ip, iptables and runc live there. */
export function hostPath(base = process.env.PATH ?? ''): string {
  return [base, SBIN_PATH].filter(Boolean).join(':');
}
const env = () => ({ ...process.env, PATH: hostPath() });

async function ip(args: string[]): Promise<void> {
  await mustRun('ip', args, { env: env() });
}

async function linkExists(name: string): Promise<boolean> {
  return (await runCommand('ip', ['link', 'show', name], { env: env() })).status === 0;
}

const prefix = POD_CIDR.split('/')[1] as string;
const IP_FORWARD = '/proc/sys/net/ipv4/ip_forward';

/** The bridge with the node address (before any pod, so the kubelet and CoreDNS can bind it). */
export async function networkUp(ipForwardBefore: string): Promise<void> {
  if (!(await linkExists(BRIDGE))) await ip(['link', 'add', BRIDGE, 'type', 'bridge']);
  const addrs = (await runCommand('ip', ['-4', 'addr', 'show', 'dev', BRIDGE], { env: env() })).stdout;
  if (!addrs.includes(`${NODE_IP}/${prefix}`))
    await ip(['addr', 'add', `${NODE_IP}/${prefix}`, 'dev', BRIDGE]);
  await ip(['link', 'set', BRIDGE, 'up']);
  const routes = (await runCommand('ip', ['route', 'show'], { env: env() })).stdout;
  if (!routes.includes(`blackhole ${SIMULATED_POD_RANGE}`))
    await ip(['route', 'add', 'blackhole', SIMULATED_POD_RANGE]);
  // Service IPs kube-proxy has not (or no longer) translated go into the bridge, not the host's
  // default route: no packet of the cluster ever leaves this machine.
  if (!routes.includes(`${SERVICE_CIDR} dev ${BRIDGE}`))
    await ip(['route', 'add', SERVICE_CIDR, 'dev', BRIDGE]);
  await egressGuardUp();
  // Pod -> Service IP -> pod is routed through the node: forwarding must be on while it runs.
  if (!fs.existsSync(ipForwardBefore))
    fs.writeFileSync(ipForwardBefore, fs.readFileSync(IP_FORWARD, 'utf8').trim());
  fs.writeFileSync(IP_FORWARD, '1');
}

export async function networkDown(ipForwardBefore: string): Promise<void> {
  // Deleting the bridge takes its address and the Service route with it.
  if (await linkExists(BRIDGE)) await ip(['link', 'del', BRIDGE]);
  const routes = (await runCommand('ip', ['route', 'show'], { env: env() })).stdout;
  if (routes.includes(`blackhole ${SIMULATED_POD_RANGE}`))
    await ip(['route', 'del', 'blackhole', SIMULATED_POD_RANGE]);
  if (fs.existsSync(ipForwardBefore)) fs.writeFileSync(IP_FORWARD, fs.readFileSync(ipForwardBefore, 'utf8'));
}

/** Chains the node's components create: kube-proxy and kubelet (KUBE-*), CNI plugins (CNI-*), ours (TC-*). */
const OWN_CHAIN = /^(KUBE-|CNI-|TC-)/;

/** Forwarding is on for Service traffic between pods; nothing from a pod is forwarded off the bridge. */
const EGRESS_CHAIN = 'TC-REAL-NODE-EGRESS';

async function egressGuardUp(): Promise<void> {
  const iptables = (args: string[]) => runCommand('iptables', args, { env: env() });
  if ((await iptables(['-t', 'filter', '-n', '-L', EGRESS_CHAIN])).status === 0) return;
  await mustRun('iptables', ['-t', 'filter', '-N', EGRESS_CHAIN], { env: env() });
  await mustRun(
    'iptables',
    ['-t', 'filter', '-A', EGRESS_CHAIN, '-i', BRIDGE, '!', '-o', BRIDGE, '-j', 'DROP'],
    {
      env: env(),
    },
  );
  await mustRun('iptables', ['-t', 'filter', '-I', 'FORWARD', '1', '-j', EGRESS_CHAIN], { env: env() });
}

interface Chains {
  /** table -> chain names */
  [table: string]: Set<string>;
}

export function parseChains(save: string): Chains {
  const chains: Chains = {};
  let table = '';
  for (const line of save.split('\n')) {
    if (line.startsWith('*')) {
      table = line.slice(1).trim();
      chains[table] = new Set();
    } else if (line.startsWith(':') && table) {
      chains[table]?.add(line.slice(1).split(' ')[0] as string);
    }
  }
  return chains;
}

async function save(cmd: string): Promise<string | undefined> {
  const r = await runCommand(cmd, [], { env: env() });
  return r.status === 0 ? r.stdout : undefined;
}

export async function iptablesSave(): Promise<string> {
  return (await save('iptables-save')) ?? '';
}

/**
 * Removes the KUBE-/CNI- chains (and the rules jumping to them) that were not there before the
 * node started; chains that existed before are somebody else's and stay.
 */
export async function removeOwnChains(before: string): Promise<void> {
  for (const family of ['iptables', 'ip6tables']) {
    const now = await save(`${family}-save`);
    if (!now) continue;
    const had = family === 'iptables' ? parseChains(before) : {};
    const chains = parseChains(now);
    let table = '';
    const jumps: [string, string[]][] = [];
    for (const line of now.split('\n')) {
      if (line.startsWith('*')) table = line.slice(1).trim();
      const m = /^-A (\S+) (.*)$/.exec(line);
      if (!m || !table) continue;
      const target = /-j (\S+)/.exec(m[2] as string)?.[1] ?? '';
      if (OWN_CHAIN.test(target) && !had[table]?.has(target) && !OWN_CHAIN.test(m[1] as string))
        jumps.push([table, ['-t', table, '-D', m[1] as string, ...splitRule(m[2] as string)]]);
    }
    for (const [, args] of jumps) await runCommand(family, args, { env: env() });
    for (const [t, names] of Object.entries(chains)) {
      const mine = [...names].filter((c) => OWN_CHAIN.test(c) && !had[t]?.has(c));
      for (const c of mine) await runCommand(family, ['-t', t, '-F', c], { env: env() });
      for (const c of mine) await runCommand(family, ['-t', t, '-X', c], { env: env() });
    }
  }
}

/** Splits an iptables-save rule into arguments (quoted comments stay one argument). */
export function splitRule(rule: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(rule))) out.push(m[1] !== undefined ? m[1].replace(/\\"/g, '"') : (m[2] as string));
  return out;
}

/** Mount points under `dir` and the CNI network namespaces, deepest first. */
export function mountsUnder(dirs: string[]): string[] {
  const mounts = fs
    .readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => (l.split(' ')[1] ?? '').replace(/\\040/g, ' '))
    .filter((m) => dirs.some((d) => m === d || m.startsWith(`${d}/`)));
  return [...new Set(mounts)].sort((a, b) => b.length - a.length);
}

export async function unmountAll(dirs: string[]): Promise<void> {
  // A mount can hide another on the same point: repeat until none is left (bounded).
  for (let round = 0; round < 5; round++) {
    const mounts = mountsUnder(dirs);
    if (mounts.length === 0) return;
    for (const m of mounts) await runCommand('umount', ['-l', m], { env: env() });
  }
}

export interface HostSnapshot {
  /** Network interfaces (names). */
  links: string[];
  /** Chains per table, KUBE-/CNI- only. */
  chains: string[];
  /** Mount points that belong to a node: containerd, kubelet, netns, the cluster folders. */
  mounts: string[];
  routes: string[];
  ipForward: string;
  /** /var/log/containers (the kubelet's fixed log links) and /run/netns entries. */
  files: string[];
}

/** What a real node could leave behind on the host, for a before/after comparison. */
export async function hostSnapshot(clusterWorkdir: string): Promise<HostSnapshot> {
  const links = (await runCommand('ip', ['-o', 'link', 'show'], { env: env() })).stdout
    .split('\n')
    .map((l) => /^\d+: ([^:@]+)/.exec(l)?.[1])
    .filter((n): n is string => Boolean(n))
    .sort();
  const chains = Object.entries(parseChains(await iptablesSave()))
    .flatMap(([t, cs]) => [...cs].filter((c) => OWN_CHAIN.test(c)).map((c) => `${t}/${c}`))
    .sort();
  const mounts = fs
    .readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((m) => m.startsWith(clusterWorkdir) || m.startsWith('/run/netns') || m.includes('containerd'))
    .sort();
  const routes = (await runCommand('ip', ['route', 'show', 'table', 'all'], { env: env() })).stdout
    .split('\n')
    .filter(Boolean)
    .sort();
  const files = ['/var/log/containers', '/run/netns'].flatMap((d) =>
    fs.existsSync(d) ? [d, ...fs.readdirSync(d).map((f) => `${d}/${f}`)] : [],
  );
  return { links, chains, mounts, routes, ipForward: fs.readFileSync(IP_FORWARD, 'utf8').trim(), files };
}
