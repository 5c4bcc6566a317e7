// Validates the merged values against each chart's values.schema.json as Helm does (the chart's
// own schema for its values, then every enabled subchart's schema for the values under its key),
// with ajv (allErrors, strict), each schema compiled once (schema-cache.ts).
import type { ErrorObject } from 'ajv';
import type { Chart } from './chart';
import { explain } from './messages';
import { isTable, type Table, toPlain } from './model';
import type { Problem, Segment } from './problems';
import { loadValidator, type Validator } from './schema-cache';

const compiled = new Map<string, Validator>();

/** The validator of one schema text, compiled once per process (and cached on disk). */
export function compileSchema(schemaText: string, schema: Record<string, unknown>, file: string): Validator {
  const key = `${file}\0${schemaText}`;
  const hit = compiled.get(key);
  if (hit) return hit;
  const v = loadValidator(schemaText, schema, file);
  compiled.set(key, v);
  return v;
}

/** Helm's ValidateAgainstSchema over the processed chart tree. */
export function validateTree(
  chart: Chart,
  values: Table,
  prefix: Segment[] = [],
  // Plain objects: ajv's deep-equal (const, enum, uniqueItems) needs Object.prototype. Made once
  // for the umbrella; each subchart validates its part of it.
  plain = toPlain(values) as Record<string, unknown>,
): Problem[] {
  const problems: Problem[] = [];
  if (chart.schema && chart.schemaText !== undefined && chart.schemaFile) {
    const errors = compileSchema(chart.schemaText, chart.schema, chart.schemaFile).errors(plain);
    if (errors) {
      const readme = `${chart.display}/README.md`;
      const own = explain(errors as ErrorObject[], chart.schema, prefix, plain, readme);
      const covered = checkedBySubchart(chart, values);
      // A parent schema may embed a subchart's schema (less its `required`): where that subchart
      // is enabled, its own schema below finds the same mistakes and names its own README.
      problems.push(...own.filter((p) => !covered.has(String(p.path[prefix.length]))));
    }
  }
  for (const sub of chart.subcharts) {
    if (!(sub.name in values) || values[sub.name] === null) continue;
    const raw = values[sub.name];
    if (!isTable(raw)) {
      problems.push({
        severity: 'error',
        rule: 'schema',
        path: [...prefix, sub.name],
        message: `must be a mapping: it holds the values of the ${sub.name} chart`,
        at: 'value',
      });
      continue;
    }
    problems.push(
      ...validateTree(sub, raw, [...prefix, sub.name], plain[sub.name] as Record<string, unknown>),
    );
  }
  return problems;
}

/** Keys of the enabled subcharts whose values their own schema checks (in validateTree). */
function checkedBySubchart(chart: Chart, values: Table): Set<string> {
  return new Set(
    chart.subcharts.filter((sub) => sub.schema && isTable(values[sub.name])).map((sub) => sub.name),
  );
}
