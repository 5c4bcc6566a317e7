// The umbrella rendered with each environment's values, validated by kubeconform -strict against
// the local Kubernetes v1.34 schemas and the prometheus-operator and CloudNativePG CRD schemas
// (no network), plus the CloudNativePG rendering of database.mode cloudnative-pg: every
// object must be valid (none skipped), and each environment must render the objects it promises.
import { kubeconformArgs } from '../../src/tools/paths';
import { mustRun, runTool } from './helpers';

interface Expectation {
  file: string | null;
  kinds: Record<string, number>;
}

// Object counts by kind that each environment's values promise (hooks included: helm template
// renders the migration Jobs and the helm test pod too).
const environments: Expectation[] = [
  {
    file: null,
    kinds: {
      Deployment: 3,
      StatefulSet: 1,
      HorizontalPodAutoscaler: 1,
      PodDisruptionBudget: 1,
      ServiceMonitor: 0,
      PrometheusRule: 0,
      Ingress: 0,
      Job: 2,
      Secret: 3, // + the two service tokens
      NetworkPolicy: 7,
      Pod: 1,
    },
  },
  {
    file: 'values/staging.yaml',
    kinds: {
      Deployment: 3,
      HorizontalPodAutoscaler: 1,
      PodDisruptionBudget: 1,
      ServiceMonitor: 3,
      PrometheusRule: 3,
      Ingress: 1,
      Job: 2,
      Secret: 2, // + the two service tokens
      StatefulSet: 0,
      NetworkPolicy: 6,
    },
  },
  {
    // Every extension point: sidecars, init containers, extra env/volumes, extraObjects.
    file: 'scripts/test/charts/fixtures/extensions/values.yaml',
    kinds: {
      Deployment: 3,
      // The services', the bundled PostgreSQL's and the two migration hooks' copies.
      ConfigMap: 7,
      // extraObjects', the bundled PostgreSQL's passwords and the two service tokens.
      Secret: 4,
      StatefulSet: 1,
      Job: 2,
      Pod: 1,
    },
  },
  {
    file: 'values/production.yaml',
    kinds: {
      Deployment: 3,
      HorizontalPodAutoscaler: 3,
      PodDisruptionBudget: 3,
      ServiceMonitor: 3,
      PrometheusRule: 3,
      Ingress: 1,
      Job: 2,
      Secret: 2, // + the two service tokens
      StatefulSet: 0,
      NetworkPolicy: 6,
    },
  },
  {
    file: 'values/local-cluster.yaml',
    kinds: {
      Deployment: 3,
      StatefulSet: 1,
      HorizontalPodAutoscaler: 1,
      PodDisruptionBudget: 1,
      ServiceMonitor: 3,
      PrometheusRule: 3,
      Ingress: 0,
      Job: 2,
      Secret: 5, // + the two service tokens
    },
  },
  {
    // database.mode cloudnative-pg: validated against CloudNativePG's CRDs (from its Go module).
    file: 'scripts/test/charts/fixtures/cloudnative-pg-values.yaml',
    kinds: {
      Cluster: 2,
      Pooler: 1,
      StatefulSet: 0,
      // product-api's owner Secret (order-api's is given); the migration Jobs run post-install.
      Secret: 3, // + the two service tokens
      Job: 2,
    },
  },
];

interface KubeconformReport {
  resources: { kind: string; name: string; status: string; msg: string }[];
  summary: { valid: number; invalid: number; errors: number; skipped: number };
}

describe('kubeconform -strict of the rendered umbrella', () => {
  it.each(environments)('$file (defaults when null)', ({ file, kinds }) => {
    const manifests = mustRun('helm', [
      'template',
      'techcommerce',
      'charts/techcommerce',
      '--namespace',
      'techcommerce',
      ...(file ? ['-f', file] : []),
    ]);
    const r = runTool(
      'kubeconform',
      ['-strict', '-summary', '-verbose', '-output', 'json', ...kubeconformArgs(), '-'],
      { input: manifests },
    );
    const report = JSON.parse(r.stdout) as KubeconformReport;
    const bad = report.resources.filter((x) => x.status !== 'statusValid');
    expect(bad).toEqual([]);
    expect(r.status).toBe(0);
    expect(report.summary.skipped).toBe(0);
    const counted: Record<string, number> = {};
    for (const x of report.resources) counted[x.kind] = (counted[x.kind] ?? 0) + 1;
    for (const [kind, n] of Object.entries(kinds))
      expect(`${kind}: ${counted[kind] ?? 0}`).toBe(`${kind}: ${n}`);
    console.log(`kubeconform ${file ?? 'defaults'}: ${report.summary.valid} resources valid`);
  });
});
