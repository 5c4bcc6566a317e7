// Plaintext secrets: schema properties marked `writeOnly: true` hold secrets (the schemas say so,
// rather than guessing from key names). Production takes them only through existingSecret; in
// other environments a secret written into a values file is worth a warning (it ends up in git).
import { isTable, originOf, type Table, type Value } from '../model';
import type { Problem, Segment } from '../problems';
import { error, type Rule, warning } from './context';

type Schema = Record<string, unknown>;
type Pattern = (string | typeof ANY)[];
const ANY = Symbol('any');

export const secretsRule: Rule = {
  id: 'secrets',
  summary: 'no plaintext secret (a writeOnly schema property) in production; only existingSecret references',
  check(ctx) {
    const problems: Problem[] = [];
    for (const scope of ctx.scopes) {
      if (!scope.chart.schema) continue;
      const production = ctx.isProduction(scope);
      // A parent schema that embeds a subchart's schema lists its secrets too: the subchart's
      // own scope reports them.
      const subcharts = new Set(scope.chart.subcharts.map((s) => s.name));
      const own = secretPaths(scope.chart.schema).filter((p) => !subcharts.has(p[0] as string));
      for (const pattern of own) {
        for (const { parent, key, path } of matches(scope.values, pattern, scope.path)) {
          const v = parent[key];
          if (typeof v !== 'string' || v === '') continue;
          if (production) {
            const ref = 'existingSecret' in parent ? 'existingSecret' : 'an existingSecret';
            problems.push(
              error(
                'secrets',
                path,
                `must not hold a plaintext secret in production: create the Secret outside Helm and name it in ${ref}`,
              ),
            );
          } else if (ctx.setByUser(parent, key) && !isFromSet(parent, key)) {
            problems.push(
              warning(
                'secrets',
                path,
                'is a plaintext secret in a values file: prefer existingSecret, or --set it from a secret store',
              ),
            );
          }
        }
      }
    }
    return problems;
  },
};

function isFromSet(table: Table, key: string): boolean {
  return originOf(table, key)?.argument !== undefined;
}

/** Paths (with wildcards) of every `writeOnly: true` property in a schema. */
export function secretPaths(root: Schema): Pattern[] {
  const out: Pattern[] = [];
  const visit = (s: unknown, path: Pattern, depth: number, refs: Set<string>) => {
    if (!s || typeof s !== 'object' || depth > 64) return;
    const schema = s as Schema;
    if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#/') && !refs.has(schema.$ref)) {
      visit(resolvePointer(root, schema.$ref), path, depth + 1, new Set([...refs, schema.$ref]));
    }
    if (schema.writeOnly === true) out.push(path);
    const props = schema.properties;
    if (props && typeof props === 'object') {
      for (const [k, sub] of Object.entries(props)) visit(sub, [...path, k], depth + 1, refs);
    }
    for (const key of ['allOf', 'anyOf', 'oneOf']) {
      const list = schema[key];
      if (Array.isArray(list)) for (const sub of list) visit(sub, path, depth + 1, refs);
    }
    for (const key of ['then', 'else']) visit(schema[key], path, depth + 1, refs);
    if (schema.items && !Array.isArray(schema.items)) visit(schema.items, [...path, ANY], depth + 1, refs);
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      visit(schema.additionalProperties, [...path, ANY], depth + 1, refs);
    }
    const pattern = schema.patternProperties;
    if (pattern && typeof pattern === 'object') {
      for (const sub of Object.values(pattern)) visit(sub, [...path, ANY], depth + 1, refs);
    }
  };
  visit(root, [], 0, new Set());
  const seen = new Set<string>();
  return out.filter((p) => {
    const k = p.map((s) => (s === ANY ? '*' : s)).join('\0');
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

function resolvePointer(root: Schema, ref: string): unknown {
  let cur: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Schema)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}

function* matches(
  values: Value,
  pattern: Pattern,
  prefix: Segment[],
): Generator<{ parent: Table; key: string; path: Segment[] }> {
  const [head, ...rest] = pattern;
  if (head === undefined) return;
  if (Array.isArray(values)) {
    if (head !== ANY) return;
    for (let i = 0; i < values.length; i++) yield* matches(values[i] as Value, rest, [...prefix, i]);
    return;
  }
  if (!isTable(values)) return;
  const keys = head === ANY ? Object.keys(values) : head in values ? [head] : [];
  for (const k of keys) {
    if (rest.length === 0) yield { parent: values, key: k, path: [...prefix, k] };
    else yield* matches(values[k] as Value, rest, [...prefix, k]);
  }
}
