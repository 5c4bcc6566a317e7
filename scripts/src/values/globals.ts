// `global` is open to keys of a parent chart (an umbrella that includes this one sets its own
// globals, and Helm passes them all down), while the keys this chart reads stay typed by the
// schema. A key the schema does not know is then accepted by Helm, but it is as likely a typo of
// one of ours as a parent's key: a warning, with "did you mean" when it is close to a known one.
// When the schema keeps `global` closed, the schema error says it already and nothing is added.
import type { Chart } from './chart';
import { isTable, originOf, type Table } from './model';
import type { Problem } from './problems';
import { closeSpelling } from './spelling';

export function unknownGlobals(chart: Chart, values: Table): Problem[] {
  const schema = chart.schema?.properties;
  const global = isTable(schema) ? (schema as Record<string, unknown>).global : undefined;
  if (!global || typeof global !== 'object') return [];
  const g = global as { properties?: Record<string, unknown>; additionalProperties?: unknown };
  if (g.additionalProperties === false) return [];
  const known = Object.keys(g.properties ?? {});
  const set = values.global;
  if (!isTable(set)) return [];
  return Object.keys(set)
    .filter((k) => !known.includes(k) && originOf(set, k)?.kind === 'user')
    .map((k) => {
      const guess = closeSpelling(k, known);
      return {
        severity: 'warning' as const,
        rule: 'global',
        path: ['global', k],
        message: guess
          ? `is not a global of this chart; did you mean "${guess}"? (kept: a parent chart may read it)`
          : `is not a global of this chart (known: ${known.join(', ')}); kept for a parent chart that reads it`,
        at: 'key' as const,
      };
    });
}
