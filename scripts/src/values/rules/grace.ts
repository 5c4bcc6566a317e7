// Graceful shutdown must fit the pod's grace period: on SIGTERM a service keeps serving for up to
// config.server.shutdownTimeoutSeconds, and Kubernetes kills the pod after
// terminationGracePeriodSeconds. The same check as tc.validate in charts/common; a JSON Schema
// cannot compare two values, so it is a rule. The timeout's default is read from the chart's
// schema (the service's config schema, embedded there), not restated here.
import { isTable } from '../model';
import type { Problem } from '../problems';
import { error, type Rule } from './context';

type Schema = Record<string, unknown>;

export const graceRule: Rule = {
  id: 'grace',
  summary:
    'terminationGracePeriodSeconds is greater than config.server.shutdownTimeoutSeconds (in-flight requests finish)',
  check(ctx) {
    const problems: Problem[] = [];
    for (const scope of ctx.scopes) {
      const grace = scope.values.terminationGracePeriodSeconds;
      if (typeof grace !== 'number') continue;
      const at = [...scope.path, 'terminationGracePeriodSeconds'];
      if (ctx.hasSchemaError(at)) continue;
      const config = isTable(scope.values.config) ? scope.values.config : undefined;
      const server = config && isTable(config.server) ? config.server : undefined;
      const set = server?.shutdownTimeoutSeconds;
      const shutdown =
        typeof set === 'number'
          ? set
          : schemaDefault(scope.chart.schema, ['config', 'server', 'shutdownTimeoutSeconds']);
      // A chart without the runtime's server block (postgresql) bounds the value in its schema.
      if (typeof shutdown !== 'number' || grace > shutdown) continue;
      problems.push(
        error(
          'grace',
          at,
          `must be greater than config.server.shutdownTimeoutSeconds (${shutdown}), or Kubernetes kills the pod before in-flight requests finish`,
        ),
      );
    }
    return problems;
  },
};

/** The `default` a schema gives the property at `path` (through allOf/anyOf/oneOf), if any. */
export function schemaDefault(schema: Schema | undefined, path: readonly string[]): unknown {
  if (!schema) return undefined;
  const [head, ...rest] = path;
  if (head === undefined) {
    if ('default' in schema) return schema.default;
  } else {
    const props = schema.properties;
    const sub = isSchema(props) ? props[head] : undefined;
    if (isSchema(sub)) {
      const found = schemaDefault(sub, rest);
      if (found !== undefined) return found;
    }
  }
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    const list = schema[key];
    if (!Array.isArray(list)) continue;
    for (const s of list) {
      const found = isSchema(s) ? schemaDefault(s, path) : undefined;
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function isSchema(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
