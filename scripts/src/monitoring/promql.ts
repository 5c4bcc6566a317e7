// Metric names a PromQL expression reads, found with Prometheus's own PromQL grammar (the lezer
// parser its web UI uses), so names inside functions, aggregations and binary operations are all
// found and nothing in a label value or a comment is mistaken for one.
import type { LRParser } from '@lezer/lr';

// The package ships a CommonJS build, but declares its types ESM-only: require it, typed by hand.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require('@prometheus-io/lezer-promql') as { parser: LRParser };

/** Grafana's interval variables, which may stand where PromQL wants a duration. */
const GRAFANA_DURATIONS =
  /\$(__rate_interval|__interval|__range)\b|\$\{(__rate_interval|__interval|__range)\}/g;

/** Replaces Grafana's duration variables with a duration so the expression parses as PromQL. */
export function fromGrafana(expr: string): string {
  return expr.replace(GRAFANA_DURATIONS, '5m');
}

/** The metric names of every vector selector in the expression; throws on a syntax error. */
export function metricNames(expr: string): string[] {
  const tree = parser.parse(expr);
  const names = new Set<string>();
  const errors: number[] = [];
  tree.iterate({
    enter(node) {
      if (node.type.isError) errors.push(node.from);
      if (node.name === 'VectorSelector') {
        const id = node.node.getChild('Identifier');
        if (id) names.add(expr.slice(id.from, id.to));
      }
      // {__name__="x"} selects by name too.
      if (node.name === 'UnquotedLabelMatcher') {
        const text = expr.slice(node.from, node.to);
        const m = /^__name__\s*=\s*"([^"]+)"$/.exec(text);
        if (m?.[1]) names.add(m[1]);
      }
    },
  });
  const at = errors[0];
  if (at !== undefined) {
    throw new Error(
      `PromQL syntax error at ${at}: ${expr.slice(Math.max(0, at - 20), at)}⟨here⟩${expr.slice(at, at + 20)}`,
    );
  }
  return [...names].sort();
}
