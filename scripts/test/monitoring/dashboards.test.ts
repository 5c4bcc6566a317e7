// The dashboards as Grafana's sidecar gets them (the rendered ConfigMaps): valid JSON with a
// schemaVersion, unique uids and panel ids, panels that do not overlap, every panel and query on
// the ${datasource} variable, every variable a query uses defined, and every query valid PromQL.
import { allPanels, renderChart, renderedDashboards, type GrafanaPanel } from '../../src/monitoring/chart';
import { fromGrafana, metricNames } from '../../src/monitoring/promql';

const dashboards = renderedDashboards(renderChart());
const files = dashboards.map((d) => d.file);
const byFile = (file: string) => dashboards.find((d) => d.file === file)!.json;
const GRAFANA_VARIABLES = new Set(['__rate_interval', '__interval', '__range']);

describe('monitoring dashboards (rendered ConfigMaps)', () => {
  it('ships a RED dashboard per service, a business and a release dashboard', () => {
    expect(files.sort()).toEqual([
      'business.json',
      'red-frontend.json',
      'red-order-api.json',
      'red-product-api.json',
      'release.json',
    ]);
  });

  it('gives each dashboard its own uid and title', () => {
    const uids = dashboards.map((d) => d.json.uid);
    const titles = dashboards.map((d) => d.json.title);
    expect(new Set(uids).size).toBe(uids.length);
    expect(new Set(titles).size).toBe(titles.length);
    for (const u of uids) expect(u).toMatch(/^[a-z0-9-]{1,40}$/);
  });

  describe.each(files)('%s', (file) => {
    const d = byFile(file);
    const panels = allPanels(d);
    const queryPanels = panels.filter((p) => p.type !== 'row');
    const variables = new Set((d.templating?.list ?? []).map((v) => v.name));

    it('has a schemaVersion Grafana migrates from (36 or later) and panels', () => {
      expect(d.schemaVersion).toBeGreaterThanOrEqual(36);
      expect(queryPanels.length).toBeGreaterThan(0);
    });

    it('numbers its panels uniquely', () => {
      const ids = panels.map((p) => p.id);
      expect(ids.every((id) => Number.isInteger(id))).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('lays its panels out without overlap inside the 24-column grid', () => {
      const boxes = panels.map((p) => ({
        title: p.title,
        ...(p as GrafanaPanel & { gridPos: Box }).gridPos,
      }));
      for (const b of boxes) expect(b.x + b.w).toBeLessThanOrEqual(24);
      const overlaps = boxes.flatMap((a, i) =>
        boxes
          .slice(i + 1)
          .filter((b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h)
          .map((b) => `${a.title} / ${b.title}`),
      );
      expect(overlaps).toEqual([]);
    });

    it('has a Prometheus datasource variable that every panel and query uses', () => {
      const ds = (d.templating?.list ?? []).find((v) => v.name === 'datasource');
      expect(ds).toMatchObject({ type: 'datasource', query: 'prometheus' });
      for (const p of queryPanels) {
        expect(`${p.title}: ${p.datasource?.uid}`).toBe(`${p.title}: \${datasource}`);
        expect(p.targets?.length).toBeGreaterThan(0);
        for (const t of p.targets ?? [])
          expect(`${p.title}: ${t.datasource?.uid}`).toBe(`${p.title}: \${datasource}`);
      }
    });

    it('defines every variable its queries use', () => {
      const exprs = queryPanels.flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? ''));
      const used = new Set(
        exprs.flatMap((e) => [...e.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] ?? '')),
      );
      expect([...used].filter((v) => !variables.has(v) && !GRAFANA_VARIABLES.has(v))).toEqual([]);
    });

    it('queries in valid PromQL, each scoped to the namespace variable', () => {
      for (const p of queryPanels) {
        for (const t of p.targets ?? []) {
          expect(() => metricNames(fromGrafana(t.expr ?? ''))).not.toThrow();
          expect(`${p.title}: ${t.expr}`).toMatch(/namespace="\$namespace"/);
        }
      }
    });
  });
});

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}
