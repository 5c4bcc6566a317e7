// A throwaway chart (and, optionally, a helm-unittest suite) for the toolchain smoke tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ScratchChart {
  root: string;
  chart: string;
}

export function scratchChart(opts: { chartYamlExtra?: string; unittestValue?: string } = {}): ScratchChart {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-chart-'));
  const chart = path.join(root, 'charts', 'scratch');
  fs.mkdirSync(path.join(chart, 'templates'), { recursive: true });
  fs.writeFileSync(
    path.join(chart, 'Chart.yaml'),
    `apiVersion: v2\nname: scratch\ndescription: A scratch chart\nversion: 0.1.0\nmaintainers:\n  - name: TechCommerce\n${opts.chartYamlExtra ?? ''}`,
  );
  fs.writeFileSync(path.join(chart, 'values.yaml'), 'greeting: hello\n');
  fs.writeFileSync(
    path.join(chart, 'templates', 'configmap.yaml'),
    [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: {{ .Release.Name }}-scratch',
      'data:',
      '  greeting: {{ .Values.greeting | quote }}',
      '  kubeVersion: {{ .Capabilities.KubeVersion.Version | quote }}',
      '',
    ].join('\n'),
  );
  if (opts.unittestValue !== undefined) {
    fs.mkdirSync(path.join(chart, 'tests'));
    fs.writeFileSync(
      path.join(chart, 'tests', 'configmap_test.yaml'),
      [
        'suite: configmap',
        'templates: [templates/configmap.yaml]',
        'tests:',
        '  - it: renders the greeting from values',
        '    asserts:',
        '      - equal: {path: data.greeting, value: ' + JSON.stringify(opts.unittestValue) + '}',
        '',
      ].join('\n'),
    );
  }
  return { root, chart };
}

/** The kubeVersion the chart's ConfigMap shows in `helm template` output. */
export function renderedKubeVersion(output: string): string | undefined {
  return /kubeVersion: "([^"]+)"/.exec(output)?.[1];
}
