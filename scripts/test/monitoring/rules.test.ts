// The chart's rules as Prometheus gets them: rendered by `helm template`, checked by promtool,
// unit-tested by promtool against series shaped like our services' (charts/monitoring/tests/promtool),
// each alert complete (severity tier, summary, description, a runbook that exists) and covered by
// tests in which it fires and tests in which it stays quiet.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { chartDir, renderChart, repoRoot, ruleGroups, type Rule } from '../../src/monitoring/chart';
import {
  checkRules,
  promtoolTestDir,
  promtoolTestFiles,
  renderRulesDir,
  testRules,
} from '../../src/monitoring/promtool';

const SEVERITIES = ['critical', 'high', 'medium', 'warning'];
const RUNBOOKS = path.join(repoRoot, 'docs', 'runbooks');
const values = parse(fs.readFileSync(path.join(chartDir, 'values.yaml'), 'utf8')) as {
  runbooks: { baseUrl: string };
};

const alerts: Rule[] = ruleGroups(renderChart()).flatMap((g) => g.rules.filter((r) => r.alert));
const alertNames = [...new Set(alerts.map((a) => a.alert!))].sort();
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function rendered(opts: Parameters<typeof renderRulesDir>[0] = {}): string {
  const d = renderRulesDir(opts);
  dirs.push(d);
  return d;
}

describe('monitoring rules rendered by helm template', () => {
  it.each([
    ['the chart defaults', []],
    ['ci/default-values.yaml', ['charts/monitoring/ci/default-values.yaml']],
    ['the live test clocks', ['scripts/test/monitoring/fixtures/live-values.yaml']],
  ])('pass promtool check rules with %s', (_label, files) => {
    const r = checkRules(rendered({ values: files as string[] }));
    expect(r.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(r.ok).toBe(true);
  });

  it('has the alerts issue 8 asks for, each rendered from values', () => {
    expect(alertNames).toEqual([
      'TechCommerceHPAMaxedOut',
      'TechCommerceHighErrorRate',
      'TechCommerceHighLatency',
      'TechCommerceMetricsAbsent',
      'TechCommercePodRestartLoop',
      'TechCommerceSLOAvailabilityBurn',
      'TechCommerceSLOLatencyBurn',
      'TechCommerceTargetDown',
      'TechCommerceVolumeUsageHigh',
    ]);
  });

  it.each(alertNames)('%s has a severity tier, a summary, a description and its runbook', (name) => {
    for (const a of alerts.filter((x) => x.alert === name)) {
      expect(SEVERITIES).toContain(a.labels?.severity);
      expect(a.annotations?.summary).toMatch(/\S/);
      expect(a.annotations?.description).toMatch(/\S/);
      expect(a.annotations?.runbook_url).toBe(`${values.runbooks.baseUrl}/${name}.md`);
    }
    expect(fs.existsSync(path.join(RUNBOOKS, `${name}.md`))).toBe(true);
  });

  it('keeps no runbook for an alert that no longer exists', () => {
    const runbooks = fs
      .readdirSync(RUNBOOKS)
      .filter((f) => f.startsWith('TechCommerce') && f.endsWith('.md'))
      .map((f) => f.replace(/\.md$/, ''))
      .sort();
    expect(runbooks).toEqual(alertNames);
  });
});

describe('promtool unit tests (charts/monitoring/tests/promtool)', () => {
  let defaults: string;
  beforeAll(() => (defaults = rendered()));

  it.each(promtoolTestFiles())('promtool test rules %s', (file) => {
    const r = testRules(defaults, file);
    if (!r.ok) throw new Error(`promtool test rules ${file}:\n${r.output}`);
    expect(r.output).toContain('SUCCESS');
  });

  it('has for every alert a case where it fires and a case where it stays quiet', () => {
    const fires = new Set<string>();
    const quiet = new Set<string>();
    for (const file of promtoolTestFiles()) {
      const suite = parse(fs.readFileSync(path.join(promtoolTestDir, file), 'utf8')) as {
        tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
      };
      for (const t of suite.tests.flatMap((x) => x.alert_rule_test ?? [])) {
        (t.exp_alerts.length > 0 ? fires : quiet).add(t.alertname);
      }
    }
    expect(alertNames.filter((a) => !fires.has(a))).toEqual([]);
    expect(alertNames.filter((a) => !quiet.has(a))).toEqual([]);
  });

  // The tests pin the rules' behaviour: rules rendered with other thresholds must fail them.
  it.each([
    ['http.yaml', 'TechCommerceHighErrorRate', { alerts: { errorRate: { threshold: 0.2 } } }],
    ['http.yaml', 'TechCommerceHighLatency', { alerts: { highLatency: { quantile: 0.5 } } }],
    ['kubernetes.yaml', 'TechCommercePodRestartLoop', { alerts: { podRestartLoop: { restarts: 10 } } }],
    [
      'slo.yaml',
      'TechCommerceSLOAvailabilityBurn',
      { slo: { page: { windows: [{ long: '1h', short: '30m', burnRate: 14.4 }] } } },
    ],
  ])('%s fails against rules whose %s differs', (file, alert, overrides) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-mutant-'));
    dirs.push(dir);
    const valuesFile = path.join(dir, 'values.yaml');
    fs.writeFileSync(valuesFile, stringify(overrides));
    const r = testRules(rendered({ values: [valuesFile] }), file);
    expect(r.ok).toBe(false);
    expect(r.output).toContain(`alertname: ${alert}`);
  });
});
