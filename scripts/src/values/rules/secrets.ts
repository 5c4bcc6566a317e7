// Plaintext secrets: schema properties marked `writeOnly: true` hold secrets (the schemas say so,
// rather than guessing from key names). Production takes them only through existingSecret; next
// to an existingSecret a value would be ignored; in other environments a secret written into a
// values file is worth a warning (it ends up in git). And the secrets a chart cannot start
// without (its required-secrets annotation) must reach the pod outside development.
import { isTable, originOf, type Table, type Value } from '../model';
import type { Problem, Segment } from '../problems';
import { error, type Rule, type RuleContext, type Scope, warning } from './context';

type Schema = Record<string, unknown>;
type Pattern = (string | typeof ANY)[];
const ANY = Symbol('any');

export const secretsRule: Rule = {
  id: 'secrets',
  summary:
    'no plaintext secret (a writeOnly schema property) in production or next to existingSecret; the secrets a chart requires are there outside development',
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
          } else if (parent === scope.values.secrets && isSet(parent.existingSecret)) {
            problems.push(
              error(
                'secrets',
                path,
                'remove it; secrets.existingSecret is set, so the chart creates no Secret and would ignore this value',
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
      problems.push(...missingRequired(ctx, scope));
    }
    return problems;
  },
};

const isSet = (v: unknown): boolean => typeof v === 'string' && v !== '';

/**
 * Secrets the service does not start without outside development: the keys the chart lists in
 * its annotation techcommerce.example/required-secrets (tc.secrets.require reads the same list).
 * A key reaches the pod from existingSecret unless it is set to null there, or from its value.
 */
function missingRequired(ctx: RuleContext, scope: Scope): Problem[] {
  const environment = ctx.environment(scope) ?? 'development';
  const listed = scope.chart.annotations['techcommerce.example/required-secrets'] ?? '';
  const keys = listed
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  // A misspelt environment is the schema's finding; the templates would not run.
  if (environment === 'development' || keys.length === 0 || ctx.hasSchemaError(['global', 'environment']))
    return [];
  const secrets = isTable(scope.values.secrets) ? scope.values.secrets : ({} as Table);
  const existing = isSet(secrets.existingSecret);
  const problems: Problem[] = [];
  for (const key of keys) {
    const v = secrets[key];
    const mounted = existing ? v !== undefined && v !== null : isSet(v);
    if (mounted) continue;
    const at = [...scope.path, 'secrets', key];
    if (ctx.hasSchemaError(at)) continue;
    problems.push(
      error(
        'secrets',
        at,
        `is needed when global.environment is ${environment} (the service does not start without it): set secrets.existingSecret to a Secret with key ${kebab(key)}, or outside production secrets.${key}`,
        'key',
      ),
    );
  }
  return problems;
}

const kebab = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

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
