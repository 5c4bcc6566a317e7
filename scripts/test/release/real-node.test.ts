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
import { waitFor } from '../../src/cluster/command';
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
import { install, prepareEnvironment, upgradeArgs } from './environment';
import {
  ctInstall,
  helm,
  history,
  kubectl,
  mustHelm,
  releaseFingerprint,
  repoRoot,
  waitRolledOut,
  type HelmBin,
} from './helpers';
import {
  checkout,
  boundedLoad,
  portForward,
  productsInStock,
  realNodeNamespace,
  getJson,
  servicePort,
  serviceUrl,
  withPortForwards,
  type Product,
} from './real-pods';

const RELEASE = 'shop';
const NS = 'real-release';
const LOCAL = path.join(repoRoot, 'values', 'local-cluster.yaml');

interface Pod {
  metadata: {
    name: string;
    uid: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    ownerReferences?: { kind: string }[];
  };
  spec: {
    nodeName?: string;
    containers: { name: string; image: string; ports?: { name: string; containerPort: number }[] }[];
  };
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

/**
 * The release's ready pods of one chart (servers and StatefulSet pods; never a Job's), leaving out
 * terminating ones, which stay Ready until their next failed probe.
 */
async function readyPods(ns: string, release: string, chart: string): Promise<Pod[]> {
  const all = await pods(ns, `app.kubernetes.io/instance=${release},app.kubernetes.io/name=${chart}`);
  return all.filter(
    (p) =>
      ready(p) && !p.metadata.deletionTimestamp && !p.metadata.ownerReferences?.some((o) => o.kind === 'Job'),
  );
}

const httpPort = (p: Pod) =>
  p.spec.containers[0]?.ports?.find((x) => x.name === 'http')?.containerPort as number;

/**
 * --set flags for the images values/local-cluster.yaml names: nothing can be pulled here, so an
 * install "with the chart defaults" sets these and nothing else (placement is the namespace's).
 */
function localImageSets(): string[] {
  const local = parse(fs.readFileSync(LOCAL, 'utf8')) as Record<string, { image?: Record<string, string> }>;
  return Object.entries(local).flatMap(([chart, v]) =>
    Object.entries(v?.image ?? {}).map(([k, x]) => `${chart}.image.${k}=${x}`),
  );
}

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

  // The node has 2 CPUs: the releases below need the room this one's requests hold.
  afterAll(async () => {
    await helm('helm', ['uninstall', RELEASE, '-n', NS, '--wait', '--timeout', '2m'], 180_000);
  }, 200_000);

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
    const storefront = await portForward(NS, `svc/${RELEASE}-frontend`, port.storefront);
    const productApi = await portForward(NS, `svc/${RELEASE}-product-api`, port.productApi);
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

  it('an upgrade that replaces every product-api pod loses no request of a steady load through the Service', async () => {
    const before = (await readyPods(NS, RELEASE, 'product-api')).map((p) => p.metadata.uid);
    // From the host to the ClusterIP: kube-proxy's rules pick a pod per connection, as in-cluster.
    const url = `${await serviceUrl(NS, `${RELEASE}-product-api`)}/products?limit=5`;
    let upgrading = true;
    const upgrade = install(RELEASE, NS, {
      values: [LOCAL],
      set: [`product-api.podAnnotations.rollout-test=r${Date.now()}`],
      timeout: '4m',
    }).finally(() => (upgrading = false));
    const started = Date.now();
    const load = await boundedLoad(
      async () => {
        const r = await fetch(url, { signal: AbortSignal.timeout(10_000) });
        await r.arrayBuffer();
        return r.status === 200 || `status ${r.status}`;
      },
      // Until the upgrade is done and a little after, so the last old pod's exit is covered.
      { concurrency: 4, until: async () => !upgrading && Date.now() - started > 5_000 },
    );
    await upgrade;
    await waitRolledOut(NS, RELEASE, 120_000);
    const after = (await readyPods(NS, RELEASE, 'product-api')).map((p) => p.metadata.uid);
    log(`rolling upgrade under load: ${load.ok} ok, ${load.failed} failed in ${Date.now() - started} ms`);
    expect(after.filter((uid) => before.includes(uid))).toEqual([]);
    expect(load.ok).toBeGreaterThan(100);
    expect({ failed: load.failed, failures: load.failures }).toEqual({ failed: 0, failures: [] });
  }, 360_000);

  it('a product-api pod deleted during a checkout load: no placed order lost, no stock oversold (checked in PostgreSQL)', async () => {
    // psql over the pod's socket (trust inside the pod): the databases as the APIs left them.
    const psql = async (db: string, sql: string) => {
      const [pg] = await readyPods(NS, RELEASE, 'postgresql');
      const script = 'psql -h "$PG_SOCKET_DIR" -U postgres -d "$1" -v ON_ERROR_STOP=1 -Atc "$0"';
      const out = await kubectl().must([
        'exec',
        '-n',
        NS,
        (pg as Pod).metadata.name,
        '--',
        'sh',
        '-c',
        script,
        sql,
        db,
      ]);
      return out.trim();
    };
    const [product] = await productsInStock(await serviceUrl(NS, `${RELEASE}-product-api`));
    const id = (product as Product).id;
    // Enough stock that no checkout fails for want of it: every failure here is the fault's.
    await psql('products', `UPDATE products SET stock = 100000 WHERE id = '${id}'`);
    const since = (await psql('orders', 'SELECT now()')).trim();
    const storefront = await serviceUrl(NS, `${RELEASE}-frontend`);
    const placed: string[] = [];
    const started = Date.now();
    let deleted = '';
    const load = boundedLoad(
      async () => {
        const r = await checkout(storefront, id, 1);
        if (r.orderId) placed.push(r.orderId);
        return r.orderId !== undefined || `status ${r.status} ${r.location ?? ''}`;
      },
      { concurrency: 3, until: () => Date.now() - started > 20_000 },
    );
    await new Promise((r) => setTimeout(r, 5_000));
    const [victim] = await readyPods(NS, RELEASE, 'product-api');
    deleted = (victim as Pod).metadata.name;
    await kubectl().must(['delete', 'pod', '-n', NS, deleted, '--wait=false']);
    const result = await load;
    log(
      `checkout load with ${deleted} deleted at 5 s: ${result.ok} placed, ${result.failed} failed ` +
        `(${result.failures.slice(0, 3).join('; ')})`,
    );
    // The reconciler settles whatever a cut call left reserved or pending.
    const unsettled = `SELECT count(*) FROM orders WHERE created_at >= '${since}' AND (status = 'pending' OR stock IN ('reserved', 'committing', 'releasing'))`;
    await waitFor(
      'every order of the load to be settled',
      async () => ((await psql('orders', unsettled)) === '0' ? true : undefined),
      {
        timeoutMs: 120_000,
        intervalMs: 2000,
      },
    );
    const ids = placed.map((x) => `'${x}'`).join(',');
    const confirmed = Number(
      await psql('orders', `SELECT count(*) FROM orders WHERE status = 'confirmed' AND id IN (${ids})`),
    );
    const committed = Number(
      await psql(
        'orders',
        `SELECT count(*) FROM orders WHERE created_at >= '${since}' AND stock = 'committed'`,
      ),
    );
    const stock = Number(await psql('products', `SELECT stock FROM products WHERE id = '${id}'`));
    expect(placed.length).toBeGreaterThan(20);
    // Every order the shopper was told about exists, confirmed; the stock fell by exactly the
    // committed orders' units (one each), no more.
    expect({ confirmed, stockTaken: 100000 - stock }).toEqual({
      confirmed: placed.length,
      stockTaken: committed,
    });
    await waitRolledOut(NS, RELEASE, 120_000);
  }, 360_000);

  // Helm 4 upgrades the release Helm 3 installed, as a team moving to Helm 4 would.
  it.each([
    { bin: 'helm' as HelmBin, flag: '--atomic' },
    { bin: 'helm4' as HelmBin, flag: '--rollback-on-failure' },
  ])(
    'an upgrade whose product-api refuses to start (crash loop) is rolled back by $bin $flag, history intact',
    async ({ bin }) => {
      const fingerprint = await releaseFingerprint(NS, RELEASE);
      const revisions = (await history(bin, RELEASE, NS)).length;
      // The values schema allows any port from 1; a non-root container without NET_BIND_SERVICE
      // cannot bind port 80, so the new pods exit at start-up, again and again, never Ready.
      const args = upgradeArgs(RELEASE, NS, { bin, values: [LOCAL], timeout: '45s' });
      const r = await helm(bin, [...args, '--set', 'product-api.config.server.port=80']);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/UPGRADE FAILED/);
      expect(r.stderr).toMatch(/rolled back/);
      const h = await history(bin, RELEASE, NS);
      expect(h.slice(revisions).map((x) => [x.status, x.description])).toEqual([
        ['failed', expect.stringMatching(/Upgrade .*failed/)],
        ['deployed', `Rollback to ${revisions}`],
      ]);
      await waitRolledOut(NS, RELEASE, 120_000);
      expect(await releaseFingerprint(NS, RELEASE)).toEqual(fingerprint);
    },
    300_000,
  );

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

describe('the chart defaults on the real node (no values file; only the local images set)', () => {
  const ns = 'real-defaults';
  const release = 'defaults';
  let orderId = '';

  afterAll(async () => {
    await helm('helm', ['uninstall', release, '-n', ns, '--wait', '--timeout', '2m'], 180_000);
    await kubectl().run(['delete', 'namespace', ns, '--wait=false']);
  }, 200_000);

  it('installs: both APIs on the bundled PostgreSQL with a bound volume, every pod Ready', async () => {
    await realNodeNamespace(ns);
    await install(release, ns, { set: localImageSets(), timeout: '5m' });
    await waitRolledOut(ns, release, 120_000);
    expect((await readyPods(ns, release, 'product-api')).length).toBeGreaterThanOrEqual(2);
    expect(await readyPods(ns, release, 'order-api')).not.toHaveLength(0);
    expect(await readyPods(ns, release, 'postgresql')).toHaveLength(1);
    const pvcs = await kubectl().json<KubeList<{ status: { phase: string } }>>(['get', 'pvc', '-n', ns]);
    expect(pvcs.items.map((p) => p.status.phase)).toEqual(['Bound']);
  }, 420_000);

  it('every product-api replica serves the same catalog (one database, not one per pod)', async () => {
    const replicas = await readyPods(ns, release, 'product-api');
    const catalogs: string[][] = [];
    for (const p of replicas) {
      const ids = await withPortForwards(
        ns,
        [{ target: `pod/${p.metadata.name}`, port: httpPort(p) }],
        async ([url]) =>
          (await getJson<{ items: Product[] }>(`${url}/products?limit=50`)).items.map((x) => x.id),
      );
      catalogs.push(ids);
    }
    expect(catalogs.length).toBeGreaterThanOrEqual(2);
    expect(catalogs[0]?.length).toBeGreaterThan(0);
    for (const c of catalogs) expect(c).toEqual(catalogs[0]);
  }, 120_000);

  it('a shopper browses and checks out through the storefront', async () => {
    const targets = [
      { target: `svc/${release}-frontend`, port: await servicePort(ns, `${release}-frontend`) },
      { target: `svc/${release}-product-api`, port: await servicePort(ns, `${release}-product-api`) },
    ];
    await withPortForwards(ns, targets, async ([storefront, productApi]) => {
      const home = await fetch(`${storefront}/`, { signal: AbortSignal.timeout(10_000) });
      expect(home.status).toBe(200);
      const [product] = await productsInStock(productApi as string);
      expect(product).toBeDefined();
      const page = await fetch(`${storefront}/products/${encodeURIComponent((product as Product).id)}`);
      expect({ status: page.status, name: (await page.text()).includes((product as Product).name) }).toEqual({
        status: 200,
        name: true,
      });
      const r = await checkout(storefront as string, (product as Product).id, 1);
      expect(r).toMatchObject({ status: 303, orderId: expect.any(String) });
      orderId = r.orderId as string;
    });
  }, 120_000);

  it('the order survives deleting the order-api pods and the PostgreSQL pod', async () => {
    expect(orderId).not.toBe('');
    const victims = [
      ...(await readyPods(ns, release, 'order-api')),
      ...(await readyPods(ns, release, 'postgresql')),
    ];
    const old = new Set(victims.map((p) => p.metadata.uid));
    await kubectl().must(['delete', 'pod', '-n', ns, '--wait=true', ...victims.map((p) => p.metadata.name)]);
    await waitFor(
      'new order-api and PostgreSQL pods to be Ready',
      async () => {
        const now = [
          ...(await readyPods(ns, release, 'order-api')),
          ...(await readyPods(ns, release, 'postgresql')),
        ];
        const fresh = now.filter((p) => !old.has(p.metadata.uid));
        return fresh.length >= victims.length ? fresh : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 2000 },
    ).catch(async (e: Error) => {
      const state = await kubectl().run(['get', 'pods,events', '-n', ns, '-o', 'wide']);
      throw new Error(`${e.message}\n${state.stdout.split('\n').slice(-40).join('\n')}`);
    });
    const port = await servicePort(ns, `${release}-order-api`);
    await withPortForwards(ns, [{ target: `svc/${release}-order-api`, port }], async ([orderApi]) => {
      // The APIs' pools reconnect to the new PostgreSQL pod; then every read answers.
      const url = `${orderApi}/orders/${encodeURIComponent(orderId)}`;
      await waitFor(
        'the order to be readable again',
        async () => ((await fetch(url)).ok ? true : undefined),
        {
          timeoutMs: 60_000,
          intervalMs: 1000,
        },
      );
      for (let i = 0; i < 10; i++) {
        const order = await getJson<{ id: string; items: unknown[] }>(url);
        expect(order.id).toBe(orderId);
        expect(order.items).toHaveLength(1);
      }
    });
  }, 420_000);
});

describe('ct install on the real node', () => {
  it('ct install --charts charts/techcommerce passes with every ci/ values file (images and placement of local-cluster)', async () => {
    const ns = await realNodeNamespace('real-ct');
    // The local images, as values/local-cluster.yaml names them; the namespace puts the pods on the real node.
    try {
      const helmSet = localImageSets().map((x) => `--set=${x}`);
      const out = await ctInstall('techcommerce', ns, { timeout: '180s', timeoutMs: 600_000, helmSet });
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
