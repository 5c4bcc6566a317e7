// Validates the merged values against each chart's values.schema.json as Helm does (the chart's
// own schema for its values, then every enabled subchart's schema for the values under its key),
// with ajv (allErrors, strict), each schema compiled once per process.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Chart } from './chart';
import { explain } from './messages';
import { isTable, type Table, toPlain } from './model';
import type { Problem, Segment } from './problems';

export interface CompiledSchema {
  validate: ValidateFunction;
  /** strictTypes findings: the schema works, but a keyword sits without its `type`. */
  strictWarnings: string[];
}

const compiled = new Map<string, CompiledSchema>();

export function compileSchema(
  schemaText: string,
  schema: Record<string, unknown>,
  file: string,
): CompiledSchema {
  const key = `${file}\0${schemaText}`;
  const hit = compiled.get(key);
  if (hit) return hit;
  const strictWarnings: string[] = [];
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    // Reported, not fatal: a `required` whose `type` comes from an allOf branch is valid
    // draft-07 that strictTypes still flags.
    strictTypes: 'log',
    verbose: true,
    logger: {
      log: () => undefined,
      warn: (m: unknown) => strictWarnings.push(String(m)),
      error: () => undefined,
    },
  });
  addFormats(ajv);
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(schema);
  } catch (err) {
    throw new Error(`${file}: the schema does not compile in ajv strict mode: ${(err as Error).message}`);
  }
  const c = { validate, strictWarnings };
  compiled.set(key, c);
  return c;
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
    const { validate } = compileSchema(chart.schemaText, chart.schema, chart.schemaFile);
    if (!validate(plain)) {
      const readme = `${chart.display}/README.md`;
      problems.push(...explain(validate.errors as ErrorObject[], chart.schema, prefix, plain, readme));
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
