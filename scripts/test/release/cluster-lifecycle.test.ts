// The cluster scripts themselves, on a second throwaway cluster (one node, free ports): up is
// idempotent, status tells the truth, a busy port and missing binaries fail with a message that
// names them, and down leaves no process and no files behind.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clusterDown, clusterStatus, clusterUp } from '../../src/cluster/cluster';
import { Kubectl } from '../../src/cluster/kubectl';
import { assertBinaries, CLUSTER_BINARIES } from '../../src/cluster/kwokctl-config';
import { findFreePortBase } from '../../src/cluster/ports';
import { clusterDir, clusterSettings, type ClusterSettings } from '../../src/cluster/settings';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm run cluster:up / status / down (kwok: simulated nodes)', () => {
  let s: ClusterSettings;

  beforeAll(async () => {
    s = clusterSettings({
      name: `tc-lifecycle-${process.pid}`,
      nodes: 1,
      portBase: await findFreePortBase(),
    });
  });

  afterAll(async () => {
    await clusterDown(s);
  }, 120_000);

  it('up creates the cluster; a second up finds it running and keeps the same processes', async () => {
    const first = await clusterUp(s);
    expect(first.action).toBe('created');
    expect(first.status.state).toBe('running');
    const pids = first.status.processes.map((p) => p.pid);
    expect(first.status.processes.map((p) => p.component).sort()).toEqual([
      'etcd',
      'kube-apiserver',
      'kube-controller-manager',
      'kube-scheduler',
      'kwok-controller',
    ]);

    const second = await clusterUp(s);
    expect(second.action).toBe('already running');
    expect(second.status.processes.map((p) => p.pid)).toEqual(pids);

    const nodes = await new Kubectl(s.kubeconfig).json<{
      items: {
        metadata: { labels: Record<string, string> };
        status: { allocatable: Record<string, string> };
      }[];
    }>(['get', 'nodes']);
    expect(nodes.items).toHaveLength(1);
    expect(nodes.items[0]?.metadata.labels['topology.kubernetes.io/zone']).toBe('zone-a');
  }, 240_000);

  it('every component listens on loopback only, on the configured ports', async () => {
    const listening = fs.readFileSync('/proc/net/tcp', 'utf8') + fs.readFileSync('/proc/net/tcp6', 'utf8');
    for (const [component, port] of Object.entries(s.ports)) {
      const hex = port.toString(16).toUpperCase().padStart(4, '0');
      // State 0A = LISTEN; the local address must be 127.0.0.1 (0100007F), never 0.0.0.0.
      const lines = listening
        .split('\n')
        .filter((l) => new RegExp(`^\\s*\\d+: [0-9A-F]+:${hex} \\S+ 0A`).test(l));
      expect({ component, listening: lines.length > 0 }).toEqual({ component, listening: true });
      for (const l of lines)
        expect({ component, address: l.trim().split(/\s+/)[1] }).toEqual({
          component,
          address: `0100007F:${hex}`,
        });
    }
  });

  it('a second cluster on the same ports is refused, naming the busy port', async () => {
    const clash = { ...s, name: `${s.name}-clash`, kubeconfig: `${s.kubeconfig}-clash` };
    await expect(clusterUp(clash)).rejects.toThrow(
      new RegExp(`port in use: 127\\.0\\.0\\.1:${s.ports.kubeApiserver} \\(kubeApiserver\\)`),
    );
    expect(fs.existsSync(clusterDir(clash))).toBe(false);
  });

  it('missing binaries are all named, with the command that builds them', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-no-bin-'));
    try {
      expect(() => assertBinaries(empty)).toThrow(
        new RegExp(
          `missing binaries in .*: ${CLUSTER_BINARIES.join(', ')}\\. Build them with \`npm run tools\``,
        ),
      );
    } finally {
      fs.rmSync(empty, { recursive: true });
    }
  });

  it('down stops every process it started and removes the cluster; a second down is a no-op', async () => {
    const pids = clusterStatus(s).processes.map((p) => p.pid as number);
    expect(pids.every(alive)).toBe(true);
    const r = await clusterDown(s);
    expect(r).toEqual({ existed: true, killed: [] });
    expect(pids.filter(alive)).toEqual([]);
    expect(fs.existsSync(clusterDir(s))).toBe(false);
    expect(fs.existsSync(s.kubeconfig)).toBe(false);
    expect(clusterStatus(s).state).toBe('absent');
    expect(await clusterDown(s)).toEqual({ existed: false, killed: [] });
  }, 120_000);
});
