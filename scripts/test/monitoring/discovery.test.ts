// Discovery as kube-prometheus-stack would do it, read from the rendered umbrella for each
// environment that turns monitoring on: every ServiceMonitor carries the release selector label,
// selects exactly one Service whose named port reaches the service container's port, and its
// relabelling gives every series the `app` and `part_of` labels the rules select on (the labels
// the live test's static scrape targets carry), the container name the restart alert matches,
// and the PrometheusRules and dashboards carry the selector and sidecar labels.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { chartDir, renderChart, repoRoot, type K8sObject } from '../../src/monitoring/chart';

interface Values {
  global?: { monitoring?: { selectorLabels?: Record<string, string> } };
  monitoring?: { enabled?: boolean };
}
const read = <T>(file: string) => parse(fs.readFileSync(path.join(repoRoot, file), 'utf8')) as T;
const monitoringDefaults = parse(fs.readFileSync(path.join(chartDir, 'values.yaml'), 'utf8')) as {
  services: string[];
  dashboards: { label: string; labelValue: string };
};
const umbrellaDefaults = read<Values>('charts/techcommerce/values.yaml');
const environments = fs
  .readdirSync(path.join(repoRoot, 'values'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => `values/${f}`)
  .filter((f) => read<Values>(f).monitoring?.enabled)
  .sort();

interface ServiceMonitorSpec {
  selector: { matchLabels: Record<string, string> };
  namespaceSelector: { matchNames: string[] };
  endpoints: { port: string; path: string; relabelings: { sourceLabels: string[]; targetLabel: string }[] }[];
}
interface ServiceSpec {
  selector: Record<string, string>;
  ports: { name: string; targetPort: string | number }[];
}
interface PodTemplate {
  template: {
    metadata: { labels: Record<string, string> };
    spec: { containers: { name: string; ports?: { name: string; containerPort: number }[] }[] };
  };
}

const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);
/** The label a relabelling rule copies from a pod label, as Prometheus's Kubernetes discovery names it. */
const podLabel = (key: string) => `__meta_kubernetes_pod_label_${key.replace(/[^a-zA-Z0-9_]/g, '_')}`;

describe.each(environments)('monitoring discovery in the umbrella rendered with %s', (file) => {
  const objects = renderChart({
    chart: 'charts/techcommerce',
    release: 'techcommerce',
    namespace: 'shop',
    values: [file],
  });
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  const selectorLabels = {
    ...umbrellaDefaults.global?.monitoring?.selectorLabels,
    ...read<Values>(file).global?.monitoring?.selectorLabels,
  };

  it('has a ServiceMonitor for every watched service', () => {
    expect(
      of('ServiceMonitor')
        .map((m) => m.metadata.labels?.['app.kubernetes.io/name'])
        .sort(),
    ).toEqual([...monitoringDefaults.services].sort());
  });

  it.each(monitoringDefaults.services)(
    '%s: selected by the release label, scraped on its container port, labelled app and part_of',
    (svc) => {
      const monitor = of('ServiceMonitor').find(
        (m) => m.metadata.labels?.['app.kubernetes.io/name'] === svc,
      ) as K8sObject;
      expect(monitor.metadata.labels).toMatchObject(selectorLabels);
      const spec = monitor.spec as unknown as ServiceMonitorSpec;
      expect(spec.namespaceSelector.matchNames).toEqual(['shop']);

      const services = of('Service').filter((s) => matches(spec.selector.matchLabels, s.metadata.labels));
      expect(services.map((s) => s.metadata.name)).toHaveLength(1);
      const service = services[0]!.spec as unknown as ServiceSpec;
      const deployment = of('Deployment').find((d) =>
        matches(service.selector, (d.spec as unknown as PodTemplate).template.metadata.labels),
      );
      const pod = (deployment!.spec as unknown as PodTemplate).template;

      for (const endpoint of spec.endpoints) {
        expect(endpoint.path).toBe('/metrics');
        const port = service.ports.find((p) => p.name === endpoint.port);
        const container = pod.spec.containers.find((c) => c.ports?.some((p) => p.name === port?.targetPort));
        expect(container?.name).toBe(svc);

        const added = Object.fromEntries(
          endpoint.relabelings.map((r) => {
            const source = Object.keys(pod.metadata.labels).find(
              (k) => r.sourceLabels.length === 1 && podLabel(k) === r.sourceLabels[0],
            );
            return [r.targetLabel, source ? pod.metadata.labels[source] : undefined];
          }),
        );
        expect(added).toEqual({ app: svc, part_of: 'techcommerce' });
      }
    },
  );

  it('labels the PrometheusRules for the same Prometheus and the dashboards for the sidecar', () => {
    expect(of('PrometheusRule')).toHaveLength(3);
    for (const r of of('PrometheusRule')) expect(r.metadata.labels).toMatchObject(selectorLabels);
    const dashboards = of('ConfigMap').filter((c) => c.metadata.name.includes('-dashboard-'));
    expect(dashboards).toHaveLength(monitoringDefaults.services.length + 2);
    for (const d of dashboards)
      expect(d.metadata.labels?.[monitoringDefaults.dashboards.label]).toBe(
        monitoringDefaults.dashboards.labelValue,
      );
  });
});
