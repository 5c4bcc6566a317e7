// The monitoring chart as Prometheus sees it: `helm template` of charts/monitoring, its
// PrometheusRules merged into one rule file (the format promtool and a bare Prometheus read), and
// its dashboard ConfigMaps parsed back into Grafana dashboards.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { ensureChartDependencies } from '../charts/dependencies';
import { requireTool, toolEnv } from '../tools/paths';

export const repoRoot = path.resolve(__dirname, '../../..');
export const chartDir = path.join(repoRoot, 'charts', 'monitoring');

export interface RenderOptions {
  /** Chart folder; the monitoring chart by default. */
  chart?: string;
  release?: string;
  namespace?: string;
  /** Values files, relative to the repository root or absolute. */
  values?: string[];
  /** `--set` expressions. */
  set?: string[];
}

export interface K8sObject {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: { groups?: RuleGroup[] } & Record<string, unknown>;
  data?: Record<string, string>;
}

export interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  rules: Rule[];
}

/** `helm template` of a chart (the monitoring chart by default), parsed; throws with helm's message. */
export function renderChart(opts: RenderOptions = {}): K8sObject[] {
  const chart = opts.chart ? path.resolve(repoRoot, opts.chart) : chartDir;
  ensureChartDependencies(chart);
  const args = ['template', opts.release ?? 'shop', chart, '--namespace', opts.namespace ?? 'shop'];
  for (const f of opts.values ?? []) args.push('-f', path.resolve(repoRoot, f));
  for (const s of opts.set ?? []) args.push('--set', s);
  const r = spawnSync(requireTool('helm'), args, { cwd: repoRoot, env: toolEnv(), encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`helm ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return parseAllDocuments(r.stdout)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

/** Every group of every rendered PrometheusRule, in one Prometheus rule file. */
export function ruleGroups(objects: K8sObject[]): RuleGroup[] {
  return objects.filter((o) => o.kind === 'PrometheusRule').flatMap((o) => o.spec?.groups ?? []);
}

/** Renders the chart and writes its rules as one rule file; returns the groups. */
export function writeRuleFile(file: string, opts: RenderOptions = {}): RuleGroup[] {
  const groups = ruleGroups(renderChart(opts));
  if (groups.length === 0) throw new Error('the monitoring chart rendered no PrometheusRule groups');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, stringify({ groups }, { lineWidth: 0 }));
  return groups;
}

export interface Dashboard {
  /** The ConfigMap key: the dashboard's file name. */
  file: string;
  json: GrafanaDashboard;
}

export interface GrafanaTarget {
  expr?: string;
  refId?: string;
  datasource?: { type?: string; uid?: string };
  legendFormat?: string;
}

export interface GrafanaPanel {
  id?: number;
  type?: string;
  title?: string;
  datasource?: { type?: string; uid?: string };
  targets?: GrafanaTarget[];
  panels?: GrafanaPanel[];
}

export interface GrafanaDashboard {
  uid?: string;
  title?: string;
  schemaVersion?: number;
  panels?: GrafanaPanel[];
  templating?: { list?: { name: string; type: string; query?: unknown; datasource?: unknown }[] };
}

/** The dashboards the chart ships, parsed from its ConfigMaps (one JSON document each). */
export function renderedDashboards(objects: K8sObject[]): Dashboard[] {
  return objects
    .filter((o) => o.kind === 'ConfigMap')
    .flatMap((o) =>
      Object.entries(o.data ?? {}).map(([file, text]) => {
        try {
          return { file, json: JSON.parse(text) as GrafanaDashboard };
        } catch (e) {
          throw new Error(`ConfigMap ${o.metadata.name} key ${file} is not JSON: ${(e as Error).message}`);
        }
      }),
    );
}

/** Every panel, rows' nested panels included. */
export function allPanels(d: GrafanaDashboard): GrafanaPanel[] {
  return (d.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
}
