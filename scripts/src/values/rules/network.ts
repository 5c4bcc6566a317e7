// With the umbrella's NetworkPolicies on, an API on an external PostgreSQL needs to be told where
// that server is (networkPolicy.postgresql: cidrs, namespaceSelector or podSelector), or its
// egress policy blocks the connection. The same check as the umbrella's networkpolicies.yaml.
import { isTable } from '../model';
import type { Problem } from '../problems';
import { error, type Rule } from './context';
import { apiDatabases } from './database-apis';

export const networkRule: Rule = {
  id: 'network',
  summary: 'with NetworkPolicies on, networkPolicy.postgresql says where an external PostgreSQL is',
  check(ctx) {
    const np = ctx.root.networkPolicy;
    if (!isTable(np) || np.enabled !== true) return [];
    const external = apiDatabases(ctx).filter((a) => a.mode === 'external');
    if (external.length === 0) return [];
    const pg = isTable(np.postgresql) ? np.postgresql : {};
    // Go templates treat an empty list or mapping as unset, as they are here.
    const given = (v: unknown) =>
      Array.isArray(v) ? v.length > 0 : isTable(v) ? Object.keys(v).length > 0 : Boolean(v);
    if (given(pg.cidrs) || given(pg.namespaceSelector) || given(pg.podSelector)) return [];
    const at = ['networkPolicy', 'postgresql'];
    if (ctx.hasSchemaError(at)) return [];
    const problem: Problem = error(
      'network',
      at,
      `${external.map((a) => a.name).join(' and ')} use${external.length > 1 ? '' : 's'} database.mode external, but no cidrs, namespaceSelector or podSelector says where PostgreSQL is, so the NetworkPolicy would block it`,
      'key',
    );
    return [problem];
  },
};
