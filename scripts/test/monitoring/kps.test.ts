// kube-prometheus-stack cannot be installed here (its chart repository is not reachable), so this
// checks what can be checked offline: the values we install it with select exactly the labels our
// charts put on ServiceMonitors, PrometheusRules and dashboard ConfigMaps, and the release lives
// where the umbrella's NetworkPolicy lets Prometheus in.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../../src/monitoring/chart';
import {
  KPS_CHART_VERSION,
  KPS_NAMESPACE,
  KPS_RELEASE,
  KPS_VALUES_FILE,
  kpsInstallCommands,
} from '../../src/monitoring/kps';

type Labels = Record<string, string>;
interface KpsValues {
  prometheus: {
    prometheusSpec: {
      serviceMonitorSelector: { matchLabels: Labels };
      ruleSelector: { matchLabels: Labels };
      serviceMonitorSelectorNilUsesHelmValues: boolean;
      ruleSelectorNilUsesHelmValues: boolean;
      serviceMonitorNamespaceSelector: object;
      ruleNamespaceSelector: object;
      retention: string;
    };
  };
  grafana: { sidecar: { dashboards: Record<string, unknown> } };
}
interface ChartValues {
  global: { monitoring: { selectorLabels: Labels } };
  dashboards: { label: string; labelValue: string };
  networkPolicy: { prometheus: { namespaceSelector: { matchLabels: Labels } } };
}

const read = <T>(file: string) => parse(fs.readFileSync(file, 'utf8')) as T;
const kps = read<KpsValues>(KPS_VALUES_FILE);
const monitoring = read<ChartValues>(path.join(repoRoot, 'charts/monitoring/values.yaml'));
const umbrella = read<ChartValues>(path.join(repoRoot, 'charts/techcommerce/values.yaml'));

describe('kube-prometheus-stack values (offline: the chart itself is not installed here)', () => {
  it('select ServiceMonitors and PrometheusRules by the release label our charts set, in every namespace', () => {
    const spec = kps.prometheus.prometheusSpec;
    for (const selectorLabels of [
      monitoring.global.monitoring.selectorLabels,
      umbrella.global.monitoring.selectorLabels,
    ]) {
      expect(spec.serviceMonitorSelector.matchLabels).toEqual(selectorLabels);
      expect(spec.ruleSelector.matchLabels).toEqual(selectorLabels);
    }
    expect(spec.serviceMonitorSelectorNilUsesHelmValues).toBe(false);
    expect(spec.ruleSelectorNilUsesHelmValues).toBe(false);
    expect(spec.serviceMonitorNamespaceSelector).toEqual({});
    expect(spec.ruleNamespaceSelector).toEqual({});
  });

  it('name the release after the selector label value', () => {
    expect(monitoring.global.monitoring.selectorLabels).toEqual({ release: KPS_RELEASE });
  });

  it("load our dashboard ConfigMaps with Grafana's sidecar from every namespace", () => {
    const sidecar = kps.grafana.sidecar.dashboards;
    expect(sidecar).toMatchObject({
      enabled: true,
      label: monitoring.dashboards.label,
      labelValue: monitoring.dashboards.labelValue,
      searchNamespace: 'ALL',
    });
  });

  it('keep the Prometheus data longer than the slowest SLO window (3d)', () => {
    expect(kps.prometheus.prometheusSpec.retention).toMatch(/^([4-9]|[1-9]\d+)d$/);
  });

  it("install into the namespace the umbrella's NetworkPolicy admits Prometheus from", () => {
    expect(
      umbrella.networkPolicy.prometheus.namespaceSelector.matchLabels['kubernetes.io/metadata.name'],
    ).toBe(KPS_NAMESPACE);
  });

  it('pin the chart version in the install command', () => {
    const install = kpsInstallCommands().find((c) => c.includes('upgrade'))!;
    expect(install).toEqual(
      expect.arrayContaining(['--version', KPS_CHART_VERSION, '--namespace', KPS_NAMESPACE]),
    );
    expect(KPS_CHART_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    expect(install[install.indexOf('--values') + 1]).toBe(KPS_VALUES_FILE);
  });
});
