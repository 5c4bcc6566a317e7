// Every metric name the monitoring chart reads: in its rendered rules and in every query of its
// rendered dashboards. Names a rule records itself are reported apart, since they are ours.
import { allPanels, renderChart, renderedDashboards, ruleGroups } from '../../src/monitoring/chart';
import { fromGrafana, metricNames } from '../../src/monitoring/promql';

export interface Usage {
  /** metric name -> where it is used ("rule TechCommerceHighErrorRate", "dashboard x: panel"). */
  used: Map<string, string[]>;
  recorded: Set<string>;
}

export function usedMetrics(values: string[] = []): Usage {
  const objects = renderChart({ values });
  const used = new Map<string, string[]>();
  const add = (name: string, where: string) => used.set(name, [...(used.get(name) ?? []), where]);
  const recorded = new Set<string>();
  for (const g of ruleGroups(objects)) {
    for (const r of g.rules) {
      if (r.record) recorded.add(r.record);
      for (const n of metricNames(r.expr)) add(n, `rule ${r.alert ?? r.record}`);
    }
  }
  for (const d of renderedDashboards(objects)) {
    for (const p of allPanels(d.json)) {
      for (const t of p.targets ?? []) {
        if (t.expr)
          for (const n of metricNames(fromGrafana(t.expr))) add(n, `dashboard ${d.file}: ${p.title}`);
      }
    }
    for (const v of d.json.templating?.list ?? []) {
      const q =
        typeof v.query === 'object' && v.query !== null ? (v.query as { query?: string }).query : undefined;
      const m = q ? /^label_values\((.+),\s*[a-zA-Z_]+\)$/.exec(q) : null;
      if (m?.[1]) for (const n of metricNames(m[1])) add(n, `dashboard ${d.file}: variable ${v.name}`);
    }
  }
  return { used, recorded };
}
