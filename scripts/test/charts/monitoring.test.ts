// The monitoring chart's sources: its rule files pass promtool's checks and unit tests, the
// PrometheusRules deploy exactly those files, and each dashboard file is a Grafana dashboard the
// sidecar can load (valid JSON, unique uid, queries through the datasource variable).
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { chartsDir, mustRun, render, runTool } from './helpers';

const chart = path.join(chartsDir, 'monitoring');
const filesIn = (dir: string, ext: string) =>
  fs
    .readdirSync(path.join(chart, dir))
    .filter((f) => f.endsWith(ext))
    .sort();
const ruleFiles = filesIn('rules', '.yaml');
const ruleTests = filesIn('rules-tests', '.yaml');
const dashboards = filesIn('dashboards', '.json');

describe('monitoring rules', () => {
  it.each(ruleFiles)('promtool check rules rules/%s', (file) => {
    const out = mustRun('promtool', ['check', 'rules', path.join(chart, 'rules', file)]);
    expect(out).toMatch(/SUCCESS: \d+ rules found/);
  });

  it.each(ruleTests)('promtool test rules rules-tests/%s', (file) => {
    const r = runTool('promtool', ['test', 'rules', file], { cwd: path.join(chart, 'rules-tests') });
    if (r.status !== 0) throw new Error(`promtool test rules ${file}:\n${r.stdout}${r.stderr}`);
    expect(r.stdout).toContain('SUCCESS');
  });

  it('deploys each rule file unchanged as the spec of one PrometheusRule', () => {
    const rules = render('charts/monitoring', { release: 'shop' }).filter((o) => o.kind === 'PrometheusRule');
    expect(rules.map((r) => r.metadata.name).sort()).toEqual(
      ruleFiles.map((f) => `shop-monitoring-${f.replace(/\.yaml$/, '')}`),
    );
    for (const file of ruleFiles) {
      const source = parse(fs.readFileSync(path.join(chart, 'rules', file), 'utf8')) as unknown;
      const deployed = rules.find(
        (r) => r.metadata.name === `shop-monitoring-${file.replace(/\.yaml$/, '')}`,
      );
      expect(deployed?.spec).toEqual(source);
    }
  });
});

describe('monitoring dashboards', () => {
  const parsed = dashboards.map((file) => ({
    file,
    json: JSON.parse(fs.readFileSync(path.join(chart, 'dashboards', file), 'utf8')) as {
      uid?: string;
      title?: string;
      panels?: { targets?: { expr?: string; datasource?: { uid?: string } }[] }[];
    },
  }));

  it('has at least one dashboard, each with its own uid and a title', () => {
    expect(parsed.length).toBeGreaterThan(0);
    const uids = parsed.map((d) => d.json.uid);
    for (const d of parsed) expect(`${d.file}: ${d.json.uid} ${d.json.title}`).toMatch(/: [a-z0-9-]+ \S/);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it.each(dashboards)('%s queries Prometheus through the ${datasource} variable only', (file) => {
    const d = parsed.find((x) => x.file === file)?.json;
    const targets = (d?.panels ?? []).flatMap((p) => p.targets ?? []);
    expect(targets.length).toBeGreaterThan(0);
    for (const t of targets) {
      expect(t.datasource?.uid).toBe('${datasource}');
      expect(t.expr).toMatch(/part_of="techcommerce"/);
    }
  });

  it('ships each dashboard file byte for byte in its ConfigMap', () => {
    const maps = render('charts/monitoring', { release: 'shop' }).filter((o) => o.kind === 'ConfigMap');
    for (const file of dashboards) {
      const source = fs.readFileSync(path.join(chart, 'dashboards', file), 'utf8');
      const map = maps.find((m) => m.data?.[file] !== undefined);
      expect(map?.data?.[file]).toBe(source.replace(/\n$/, ''));
    }
  });
});
