// What an installed release must contain according to its values (helm's own computed values,
// so the expectation is the chart's contract, not a copy of one values file): replicas or HPA,
// PDBs, NetworkPolicies, ServiceMonitors and PrometheusRules.
import { waitFor } from '../../src/cluster/command';
import type { KubeList } from '../../src/cluster/kubectl';
import {
  computedValues,
  deployments,
  kubectl,
  serviceOf,
  SERVICES,
  waitRolledOut,
  type HelmBin,
} from './helpers';

interface Obj {
  metadata: { name: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
}

interface ServiceValues {
  enabled?: boolean;
  replicaCount: number;
  autoscaling: {
    enabled: boolean;
    minReplicas: number;
    maxReplicas: number;
    targetCPUUtilizationPercentage: number;
  };
  pdb: { enabled: boolean; minAvailable: number | string | null; maxUnavailable: number | string | null };
  serviceMonitor: { enabled: boolean };
}

async function list(kind: string, namespace: string, release: string): Promise<Obj[]> {
  return (
    await kubectl().json<KubeList<Obj>>([
      'get',
      kind,
      '-n',
      namespace,
      '-l',
      `app.kubernetes.io/instance=${release}`,
    ])
  ).items;
}

const byService = (objs: Obj[], svc: string) =>
  objs.filter((o) => o.metadata.labels?.['app.kubernetes.io/name'] === svc);

/** Asserts the release's objects against its values; returns the replicas each service runs. */
export async function expectReleaseMatchesValues(bin: HelmBin, release: string, namespace: string) {
  const values = await computedValues(bin, release, namespace);
  const enabled = SERVICES.filter((s) => (values[s] as unknown as ServiceValues).enabled !== false);
  const expected: Record<string, number> = {};
  const [hpas, pdbs, monitors, rules, policies] = await Promise.all([
    list('horizontalpodautoscalers', namespace, release),
    list('poddisruptionbudgets', namespace, release),
    list('servicemonitors.monitoring.coreos.com', namespace, release),
    list('prometheusrules.monitoring.coreos.com', namespace, release),
    list('networkpolicies', namespace, release),
  ]);

  for (const svc of enabled) {
    const v = values[svc] as unknown as ServiceValues;
    const hpa = byService(hpas, svc);
    if (v.autoscaling.enabled) {
      expect(hpa).toHaveLength(1);
      expect(hpa[0]?.spec).toMatchObject({
        minReplicas: v.autoscaling.minReplicas,
        maxReplicas: v.autoscaling.maxReplicas,
        scaleTargetRef: { kind: 'Deployment' },
      });
      expected[svc] = v.autoscaling.minReplicas;
    } else {
      expect(hpa).toHaveLength(0);
      expected[svc] = v.replicaCount;
    }
    const pdb = byService(pdbs, svc);
    expect({ svc, pdbs: pdb.length }).toEqual({ svc, pdbs: v.pdb.enabled && expected[svc] > 1 ? 1 : 0 });
    expect({ svc, serviceMonitors: byService(monitors, svc).length }).toEqual({
      svc,
      serviceMonitors: v.serviceMonitor.enabled ? 1 : 0,
    });
  }

  const selectorLabels = ((values.global?.monitoring as Record<string, unknown> | undefined)
    ?.selectorLabels ?? {}) as Record<string, string>;
  if ((values.monitoring as { enabled?: boolean } | undefined)?.enabled) {
    expect(rules.length).toBeGreaterThan(0);
    for (const r of rules) expect(r.metadata.labels).toMatchObject(selectorLabels);
  } else {
    expect(rules).toHaveLength(0);
  }
  for (const m of monitors) expect(m.metadata.labels).toMatchObject(selectorLabels);

  if ((values.networkPolicy as { enabled?: boolean } | undefined)?.enabled) {
    const denyAll = policies.filter((p) => {
      const spec = p.spec as {
        podSelector?: Record<string, unknown>;
        policyTypes?: string[];
        ingress?: unknown;
        egress?: unknown;
      };
      return (
        Object.keys(spec.podSelector ?? {}).length === 0 &&
        spec.policyTypes?.includes('Ingress') &&
        spec.policyTypes.includes('Egress') &&
        !spec.ingress &&
        !spec.egress
      );
    });
    expect(denyAll).toHaveLength(1);
    for (const svc of enabled) {
      const selecting = policies.filter(
        (p) =>
          (p.spec as { podSelector?: { matchLabels?: Record<string, string> } }).podSelector?.matchLabels?.[
            'app.kubernetes.io/name'
          ] === svc,
      );
      expect({ svc, policies: selecting.length }).toEqual({ svc, policies: 1 });
    }
  } else {
    expect(policies).toHaveLength(0);
  }

  // An HPA scales its Deployment to minReplicas within a sync period (15 s); no metrics server
  // runs, so it then stays there.
  const ds = await waitFor(
    `replicas of ${release} as the values say (${JSON.stringify(expected)})`,
    async () => {
      const all = await deployments(namespace, release);
      const got = Object.fromEntries(all.map((d) => [serviceOf(d), d.spec.replicas ?? 1]));
      const same = all.length === enabled.length && enabled.every((s) => got[s] === expected[s]);
      return same ? all : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 1000 },
  );
  expect(ds.map(serviceOf).sort()).toEqual([...enabled].sort());
  await waitRolledOut(namespace, release);
  return expected;
}
