// values/staging.yaml on a real API server: install, a config change that rolls exactly the
// pods whose config changed, and `helm rollback` to the first revision. Nodes are simulated by
// kwok (no container runs; readiness is reported by Stages), so these tests prove what the API
// server, the controllers, admission and helm do with the chart, not what the containers do.
import { expectReleaseMatchesValues } from './expectations';
import { install, prepareEnvironment, valuesFile } from './environment';
import {
  computedValues,
  deleteNamespace,
  deployments,
  history,
  kubectl,
  mustHelm,
  restrictedNamespace,
  serviceOf,
  waitRolledOut,
  type Deployment,
} from './helpers';

const NS = 'release-staging';
const RELEASE = 'techcommerce';
const STAGING = valuesFile('staging');
const CHECKSUM = 'checksum/config';

function checksums(ds: Deployment[]): Record<string, string | undefined> {
  return Object.fromEntries(ds.map((d) => [serviceOf(d), d.spec.template.metadata.annotations?.[CHECKSUM]]));
}

async function productApiConfig(): Promise<{ log: { level: string } }> {
  const cm = await kubectl().json<{ data: Record<string, string> }>([
    'get',
    'configmap',
    `${RELEASE}-product-api`,
    '-n',
    NS,
  ]);
  const json = Object.values(cm.data)[0] as string;
  return JSON.parse(json) as { log: { level: string } };
}

describe('values/staging.yaml on the local cluster (kwok: simulated nodes, no containers)', () => {
  let installed: Deployment[] = [];

  beforeAll(async () => {
    await restrictedNamespace(NS);
    await prepareEnvironment(NS, STAGING);
  }, 120_000);

  afterAll(async () => {
    await deleteNamespace(NS);
  }, 150_000);

  it('helm upgrade --install --atomic --wait succeeds in a restricted namespace, with replicas, HPA, PDBs, NetworkPolicies, ServiceMonitors and PrometheusRules as the values say', async () => {
    await install(RELEASE, NS, { values: [STAGING] });
    expect((await history('helm', RELEASE, NS)).map((h) => [h.revision, h.status])).toEqual([
      [1, 'deployed'],
    ]);
    await expectReleaseMatchesValues('helm', RELEASE, NS);
    installed = await deployments(NS, RELEASE);
    for (const d of installed)
      expect(d.spec.template.metadata.annotations?.[CHECKSUM]).toMatch(/^[0-9a-f]{64}$/);
  }, 300_000);

  it('helm test passes (the smoke-test pod completes; kwok reports it Succeeded)', async () => {
    const out = await mustHelm('helm', ['test', RELEASE, '-n', NS, '--timeout', '2m']);
    expect(out).toMatch(/Phase:\s+Succeeded/);
  }, 180_000);

  it('a config change rolls only the pods whose config changed (checksum) and bumps the revision', async () => {
    expect((await productApiConfig()).log.level).toBe('debug');
    const before = checksums(installed);
    await install(RELEASE, NS, { values: [STAGING], set: ['product-api.config.log.level=info'] });
    const after = await waitRolledOut(NS, RELEASE);
    const now = checksums(after);
    expect(now['product-api']).not.toEqual(before['product-api']);
    expect(now.frontend).toEqual(before.frontend);
    expect(now['order-api']).toEqual(before['order-api']);
    expect((await productApiConfig()).log.level).toBe('info');

    // Every product-api pod now comes from the new template: the old ReplicaSet was scaled down.
    const pods = await kubectl().json<{ items: { metadata: { labels: Record<string, string> } }[] }>([
      'get',
      'pods',
      '-n',
      NS,
      '-l',
      `app.kubernetes.io/instance=${RELEASE},app.kubernetes.io/name=product-api,app.kubernetes.io/component=server`,
    ]);
    const hashes = new Set(pods.items.map((p) => p.metadata.labels['pod-template-hash']));
    expect(hashes.size).toBe(1);
    const rs = await kubectl().json<{
      items: { metadata: { labels: Record<string, string> }; spec: { replicas: number } }[];
    }>([
      'get',
      'replicasets',
      '-n',
      NS,
      '-l',
      `app.kubernetes.io/instance=${RELEASE},app.kubernetes.io/name=product-api`,
    ]);
    const live = rs.items
      .filter((r) => r.spec.replicas > 0)
      .map((r) => r.metadata.labels['pod-template-hash']);
    expect(live).toEqual([...hashes]);
    expect(rs.items.length).toBeGreaterThanOrEqual(2);

    expect((await history('helm', RELEASE, NS)).map((h) => [h.revision, h.status])).toEqual([
      [1, 'superseded'],
      [2, 'deployed'],
    ]);
  }, 300_000);

  it('helm rollback RELEASE 1 restores revision 1: its values, its ConfigMap and its pod template', async () => {
    await mustHelm('helm', ['rollback', RELEASE, '1', '-n', NS, '--wait', '--timeout', '3m']);
    const h = await history('helm', RELEASE, NS);
    expect(h.map((r) => [r.revision, r.status])).toEqual([
      [1, 'superseded'],
      [2, 'superseded'],
      [3, 'deployed'],
    ]);
    expect(h[2]?.description).toBe('Rollback to 1');
    const values = await computedValues('helm', RELEASE, NS);
    expect((values['product-api']?.config as { log: { level: string } }).log.level).toBe('debug');
    expect((await productApiConfig()).log.level).toBe('debug');
    const after = await waitRolledOut(NS, RELEASE);
    expect(checksums(after)).toEqual(checksums(installed));
    for (const d of after) {
      const first = installed.find((i) => i.metadata.name === d.metadata.name);
      expect(d.spec.template).toEqual(first?.spec.template);
    }
  }, 300_000);
});
