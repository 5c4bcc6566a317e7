// values/production.yaml on a real API server, in its own restricted namespace: every Deployment
// autoscaled from at least two replicas, PDBs, NetworkPolicies, monitoring objects, helm test.
// Nodes are simulated by kwok: pods are scheduled over three zones but no container runs.
import { expectReleaseMatchesValues } from './expectations';
import { install, prepareEnvironment, valuesFile } from './environment';
import { deleteNamespace, history, kubectl, mustHelm, restrictedNamespace } from './helpers';

const NS = 'release-production';
const RELEASE = 'techcommerce';
const PRODUCTION = valuesFile('production');

describe('values/production.yaml on the local cluster (kwok: simulated nodes, no containers)', () => {
  beforeAll(async () => {
    await restrictedNamespace(NS);
    await prepareEnvironment(NS, PRODUCTION);
  }, 120_000);

  afterAll(async () => {
    await deleteNamespace(NS);
  }, 150_000);

  it('helm upgrade --install --atomic --wait succeeds in a restricted namespace, with replicas, HPA, PDBs, NetworkPolicies, ServiceMonitors and PrometheusRules as the values say', async () => {
    await install(RELEASE, NS, { values: [PRODUCTION] });
    expect((await history('helm', RELEASE, NS)).map((h) => [h.revision, h.status])).toEqual([
      [1, 'deployed'],
    ]);
    const replicas = await expectReleaseMatchesValues('helm', RELEASE, NS);
    for (const n of Object.values(replicas)) expect(n).toBeGreaterThanOrEqual(2);
  }, 300_000);

  it('the scheduler spreads each service over the simulated zones', async () => {
    const nodes = await kubectl().json<{
      items: { metadata: { name: string; labels: Record<string, string> } }[];
    }>(['get', 'nodes']);
    const zoneOf = new Map(
      nodes.items.map((n) => [n.metadata.name, n.metadata.labels['topology.kubernetes.io/zone']]),
    );
    const pods = await kubectl().json<{
      items: {
        metadata: { labels: Record<string, string> };
        spec: { nodeName?: string };
        status: { phase: string };
      }[];
    }>([
      'get',
      'pods',
      '-n',
      NS,
      '-l',
      `app.kubernetes.io/instance=${RELEASE},app.kubernetes.io/component=server`,
    ]);
    const zones = new Map<string, Set<string>>();
    for (const p of pods.items.filter((x) => x.status.phase === 'Running')) {
      const svc = p.metadata.labels['app.kubernetes.io/name'] as string;
      const set = zones.get(svc) ?? new Set<string>();
      set.add(zoneOf.get(p.spec.nodeName ?? '') ?? 'none');
      zones.set(svc, set);
    }
    expect(zones.size).toBe(3);
    // Two or more replicas per service (production values): never all in one zone.
    for (const [svc, set] of zones) expect({ svc, zones: set.size > 1 }).toEqual({ svc, zones: true });
  }, 60_000);

  it('helm test passes (the smoke-test pod completes; kwok reports it Succeeded)', async () => {
    const out = await mustHelm('helm', ['test', RELEASE, '-n', NS, '--timeout', '2m']);
    expect(out).toMatch(/Phase:\s+Succeeded/);
  }, 180_000);
});
