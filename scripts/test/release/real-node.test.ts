// The release on real pods: a cluster of its own with the real node (containerd + runc, the CNI
// bridge, kubelet, kube-proxy, CoreDNS) beside one kwok node, the images built here and imported
// into containerd, and the umbrella installed with values/local-cluster.yaml in a namespace whose
// pods all run on the real node. Nothing here is simulated: probes are the kubelet's, Services go
// through kube-proxy's iptables rules, names through CoreDNS, logs/exec/port-forward through the
// kubelet. Last, cluster:down must leave the host as it found it.
// One real node per machine, so this file runs its tests in order on its own cluster.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { runCommand, waitFor } from '../../src/cluster/command';
import { clusterDown, clusterUp } from '../../src/cluster/cluster';
import type { KubeList } from '../../src/cluster/kubectl';
import { findFreePortBase } from '../../src/cluster/ports';
import { hostSnapshot, type HostSnapshot } from '../../src/cluster/real-node/host';
import { REAL_NODE_NAME } from '../../src/cluster/real-node/layout';
import type { ImageArchive } from '../../src/cluster/real-node/real-node';
import { localClusterImages } from '../../src/cluster/real-node/images';
import { processesMentioning } from '../../src/cluster/real-node/daemons';
import {
  clusterDir,
  clusterSettings,
  clusterWorkdir,
  type ClusterSettings,
} from '../../src/cluster/settings';
import { requireTool } from '../../src/tools/paths';
import { install, prepareEnvironment, upgradeArgs } from './environment';
import {
  clusterEnv,
  helm,
  history,
  kubectl,
  mustHelm,
  releaseFingerprint,
  repoRoot,
  waitRolledOut,
} from './helpers';
import {
  checkout,
  portForward,
  productsInStock,
  realNodeNamespace,
  servicePort,
  type Product,
} from './real-pods';

const RELEASE = 'shop';
const NS = 'real-release';
const LOCAL = path.join(repoRoot, 'values', 'local-cluster.yaml');

interface Pod {
  metadata: { name: string; labels?: Record<string, string>; ownerReferences?: { kind: string }[] };
  spec: { nodeName?: string; containers: { name: string; image: string }[] };
  status: {
    phase: string;
    podIP?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: {
      name: string;
      ready: boolean;
      restartCount: number;
      state: Record<string, unknown>;
    }[];
  };
}

async function pods(ns: string, selector = `app.kubernetes.io/instance=${RELEASE}`): Promise<Pod[]> {
  return (await kubectl().json<KubeList<Pod>>(['get', 'pods', '-n', ns, '-l', selector])).items;
}

const ready = (p: Pod) =>
  p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

let s: ClusterSettings;
let before: HostSnapshot;
let images: ImageArchive[] = [];
let previousKubeconfig: string | undefined;
const log = (line: string) => process.stderr.write(`[real node] ${line}\n`);

beforeAll(async () => {
  before = await hostSnapshot(clusterWorkdir());
  s = clusterSettings({
    name: `tc-realnode-${process.pid}`,
    nodes: 1,
    portBase: await findFreePortBase(),
    realNode: true,
  });
  previousKubeconfig = process.env.RELEASE_TEST_KUBECONFIG;
  process.env.RELEASE_TEST_KUBECONFIG = s.kubeconfig;
  const started = Date.now();
  images = await localClusterImages(log);
  await clusterUp(s, log, { images });
  log(`cluster with the real node up in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}, 1_800_000);

afterAll(async () => {
  // The last test takes the cluster down and checks the host; this only catches a failed run.
  if (s) await clusterDown(s).catch(() => undefined);
  process.env.RELEASE_TEST_KUBECONFIG = previousKubeconfig;
}, 180_000);

describe('the real node (containerd, kubelet, kube-proxy, CoreDNS: real containers)', () => {
  it('is Ready beside the kwok node, which kwok alone manages', async () => {
    const nodes = await kubectl().json<
      KubeList<{
        metadata: { name: string; labels: Record<string, string> };
        spec: { taints?: { key: string }[] };
        status: { nodeInfo: Record<string, string>; addresses: { type: string; address: string }[] };
      }>
    >(['get', 'nodes']);
    const real = nodes.items.find((n) => n.metadata.name === REAL_NODE_NAME);
    expect(real?.status.nodeInfo.kubeletVersion).toBe('v1.34.4');
    expect(real?.status.nodeInfo.containerRuntimeVersion).toMatch(/^containerd:\/\//);
    expect(real?.status.addresses).toContainEqual({ type: 'InternalIP', address: '10.85.0.1' });
    expect(real?.spec.taints?.map((t) => t.key)).toContain('techcommerce.example/node');
    const kwok = nodes.items.find((n) => n.metadata.name === 'kwok-node-0');
    expect(kwok?.status.nodeInfo.kubeletVersion).toMatch(/^kwok-/);
  });

  it('binds a PVC of the default class on the real node; a non-root pod writes to it through fsGroup', async () => {
    const ns = await realNodeNamespace('real-volume');
    const image = images.find((i) => i.alias?.includes('/node-base:'))?.ref;
    const manifest = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: 'data', namespace: ns },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '64Mi' } } },
        },
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'writer', namespace: ns },
          spec: {
            restartPolicy: 'Never',
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 4321,
              runAsGroup: 4321,
              fsGroup: 2345,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: 'writer',
                image,
                imagePullPolicy: 'Never',
                command: [
                  'sh',
                  '-c',
                  'echo written-by-$(id -u) > /data/proof && stat -c "%g %a" /data && cat /data/proof',
                ],
                volumeMounts: [{ name: 'data', mountPath: '/data' }],
                securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
              },
            ],
            volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
          },
        },
      ],
    };
    await kubectl().apply(JSON.stringify(manifest));
    await kubectl().must([
      'wait',
      '-n',
      ns,
      'pod/writer',
      '--for=jsonpath={.status.phase}=Succeeded',
      '--timeout=90s',
    ]);
    const pvc = await kubectl().json<{
      spec: { storageClassName: string; volumeName: string };
      status: { phase: string };
    }>(['get', 'pvc', 'data', '-n', ns]);
    expect(pvc.spec.storageClassName).toBe('standard');
    expect(pvc.status.phase).toBe('Bound');
    const out = await kubectl().must(['logs', '-n', ns, 'writer']);
    // The volume's group is the pod's fsGroup, group-writable (setgid), and uid 4321 wrote to it.
    expect(out.trim().split('\n')).toEqual([expect.stringMatching(/^2345 2?77\d$/), 'written-by-4321']);
    await kubectl().run(['delete', 'namespace', ns, '--wait=false']);
  }, 180_000);
});

describe('the release on the real node (values/local-cluster.yaml)', () => {
  let port: { storefront: number; productApi: number };

  it("installs with every pod Running and Ready by the kubelet's own probes, on the real node", async () => {
    await realNodeNamespace(NS);
    await prepareEnvironment(NS, LOCAL);
    await install(RELEASE, NS, { values: [LOCAL], timeout: '5m' });
    await waitRolledOut(NS, RELEASE, 120_000);
    const all = await pods(NS);
    expect(all.length).toBeGreaterThanOrEqual(4);
    for (const p of all.filter((x) => !x.metadata.ownerReferences?.some((o) => o.kind === 'Job'))) {
      expect({ pod: p.metadata.name, node: p.spec.nodeName, phase: p.status.phase, ready: ready(p) }).toEqual(
        {
          pod: p.metadata.name,
          node: REAL_NODE_NAME,
          phase: 'Running',
          ready: true,
        },
      );
      expect(p.status.podIP).toMatch(/^10\.85\.0\./);
    }
    port = {
      storefront: await servicePort(NS, `${RELEASE}-frontend`),
      productApi: await servicePort(NS, `${RELEASE}-product-api`),
    };
  }, 420_000);

  it('kubectl logs and exec reach the containers; <release>-product-api resolves (CoreDNS) and answers through its Service (kube-proxy)', async () => {
    const [frontend] = (
      await pods(NS, `app.kubernetes.io/instance=${RELEASE},app.kubernetes.io/name=frontend`)
    ).filter(ready);
    expect(frontend).toBeDefined();
    const name = (frontend as Pod).metadata.name;
    const logs = await kubectl().must(['logs', '-n', NS, name]);
    expect(logs).toMatch(/"msg":"frontend ready"/);
    // The catalog on the API port (health endpoints are on the management port, which the
    // NetworkPolicies keep from the storefront).
    const script = `fetch('http://${RELEASE}-product-api:${port.productApi}/products?limit=1').then(async r => console.log(r.status, await r.text()))`;
    const out = await kubectl().must(['exec', '-n', NS, name, '--', 'node', '-e', script]);
    expect(out).toMatch(/^200 .*"items":\[\{/);
    const dns = await kubectl().must([
      'exec',
      '-n',
      NS,
      name,
      '--',
      'node',
      '-e',
      `require('dns').promises.lookup('${RELEASE}-product-api.${NS}.svc.cluster.local').then(a => console.log(a.address))`,
    ]);
    const svc = await kubectl().json<{ spec: { clusterIP: string } }>([
      'get',
      'service',
      `${RELEASE}-product-api`,
      '-n',
      NS,
    ]);
    expect(dns.trim()).toBe(svc.spec.clusterIP);
  }, 120_000);

  it('helm test runs the smoke pod on the real node against the real Services', async () => {
    const r = await mustHelm('helm', ['test', RELEASE, '-n', NS, '--timeout', '2m'], 180_000);
    expect(r).toMatch(/Phase:\s+Succeeded/);
    // The hook pod is gone (hook-succeeded); its events stay.
    const list = await kubectl().json<
      KubeList<{ involvedObject: { name: string }; reason: string; message: string }>
    >(['get', 'events', '-n', NS]);
    const events = list.items
      .filter((e) => e.involvedObject.name.endsWith('-smoke-test'))
      .map((e) => `${e.reason} ${e.message}`)
      .join('\n');
    expect(events).toMatch(new RegExp(`Scheduled .*to ${REAL_NODE_NAME}`));
    expect(events).toMatch(/Started/);
  }, 240_000);

  it('a checkout through the storefront Service (port-forward) places an order and reduces the stock', async () => {
    const storefront = await portForward(NS, `${RELEASE}-frontend`, port.storefront);
    const productApi = await portForward(NS, `${RELEASE}-product-api`, port.productApi);
    try {
      const [product] = await productsInStock(productApi.url);
      expect(product).toBeDefined();
      const { id, stock } = product as Product;
      const r = await checkout(storefront.url, id, 2);
      expect(r).toMatchObject({ status: 303, orderId: expect.any(String) });
      await waitFor(
        'the stock to drop by 2',
        async () => {
          const now = (await (await fetch(`${productApi.url}/products/${id}`)).json()) as Product;
          return now.stock === stock - 2 ? true : undefined;
        },
        { timeoutMs: 15_000 },
      );
    } finally {
      storefront.stop();
      productApi.stop();
    }
  }, 120_000);

  it('an upgrade whose product-api refuses to start (crash loop) is rolled back by --atomic, history intact', async () => {
    const fingerprint = await releaseFingerprint(NS, RELEASE);
    const revisions = (await history('helm', RELEASE, NS)).length;
    // The values schema allows any port from 1; a non-root container without NET_BIND_SERVICE
    // cannot bind port 80, so the new pods exit at start-up, again and again, never Ready.
    const args = upgradeArgs(RELEASE, NS, { values: [LOCAL], timeout: '45s' });
    const r = await helm('helm', [...args, '--set', 'product-api.config.server.port=80']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/UPGRADE FAILED/);
    expect(r.stderr).toMatch(/rolled back/);
    const h = await history('helm', RELEASE, NS);
    expect(h.slice(revisions).map((x) => [x.status, x.description])).toEqual([
      ['failed', expect.stringMatching(/Upgrade .*failed/)],
      ['deployed', `Rollback to ${revisions}`],
    ]);
    await waitRolledOut(NS, RELEASE, 120_000);
    expect(await releaseFingerprint(NS, RELEASE)).toEqual(fingerprint);
  }, 300_000);

  it('helm rollback returns to an earlier revision on real pods', async () => {
    const first = await history('helm', RELEASE, NS);
    await install(RELEASE, NS, {
      values: [LOCAL],
      set: ['product-api.config.log.level=warn'],
      timeout: '3m',
    });
    const target = (first.at(-1) as { revision: number }).revision;
    await mustHelm(
      'helm',
      ['rollback', RELEASE, String(target), '-n', NS, '--wait', '--timeout', '3m'],
      240_000,
    );
    const h = await history('helm', RELEASE, NS);
    expect(h.at(-1)).toMatchObject({ status: 'deployed', description: `Rollback to ${target}` });
    await waitRolledOut(NS, RELEASE, 120_000);
    const cm = await kubectl().must([
      'get',
      'configmap',
      `${RELEASE}-product-api`,
      '-n',
      NS,
      '-o',
      'jsonpath={.data}',
    ]);
    expect(cm).not.toMatch(/"level":\s*"warn"/);
  }, 420_000);
});

describe('ct install on the real node', () => {
  it('ct install --charts charts/techcommerce passes with every ci/ values file (images and placement of local-cluster)', async () => {
    const ns = await realNodeNamespace('real-ct');
    // The local images, as values/local-cluster.yaml names them; the namespace puts the pods on the real node.
    const local = parse(fs.readFileSync(LOCAL, 'utf8')) as Record<string, { image?: Record<string, string> }>;
    const set = Object.entries(local).flatMap(([chart, v]) =>
      Object.entries(v?.image ?? {}).map(([k, x]) => `--set=${chart}.image.${k}=${x}`),
    );
    try {
      const r = await runCommand(
        requireTool('ct'),
        [
          'install',
          '--config',
          'charts/ct.yaml',
          '--charts',
          'charts/techcommerce',
          '--namespace',
          ns,
          '--helm-extra-args',
          '--timeout 180s',
          '--helm-extra-set-args',
          set.join(' '),
        ],
        { cwd: repoRoot, env: clusterEnv(), timeoutMs: 600_000 },
      );
      const out = `${r.stdout}${r.stderr}`;
      if (r.status !== 0) throw new Error(`ct install failed:\n${out.split('\n').slice(-60).join('\n')}`);
      expect(out).toMatch(/All charts installed successfully/);
    } finally {
      await kubectl().run(['delete', 'namespace', ns, '--wait=false']);
    }
  }, 660_000);
});

describe('cluster:down', () => {
  it('leaves no process, mount, interface, route or iptables chain of the real node behind', async () => {
    const r = await clusterDown(s, log);
    expect(r.killed).toEqual([]);
    // No process started for this cluster (control plane, node daemons, containerd shims, containers).
    expect(processesMentioning(clusterDir(s))).toEqual([]);
    const after = await hostSnapshot(clusterWorkdir());
    expect(after).toEqual(before);
  }, 180_000);
});
