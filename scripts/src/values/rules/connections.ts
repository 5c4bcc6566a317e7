// The connection budget: the APIs sharing one PostgreSQL server can open at most pool size ×
// maximum replicas each, and together that must fit the server's max_connections minus a reserve.
// Servers: the bundled one (postgresql.maxConnections), each external host:port (the smallest
// database.external.maxConnections of the APIs on it; and each API alone against its own), each API's CloudNativePG Cluster
// (parameters.max_connections), or its Pooler (client side: maxClientConnections × instances;
// server side: defaultPoolSize × instances). The same sums as tc.validate.connectionBudget.
import type { Problem, Segment } from '../problems';
import { error, type Rule } from './context';
import { type ApiDatabase, apiDatabases, num, table } from './database-apis';

interface Server {
  words: string;
  limit: number;
  reserve: number;
  /** The value that sets the limit (the finding is placed there). */
  limitAt: Segment[];
  limitKey: string;
  apis: ApiDatabase[];
}

export function budgetProblem(s: Server): Problem | undefined {
  const total = s.apis.reduce((n, a) => n + a.pool * a.replicas, 0);
  const budget = s.limit - s.reserve;
  if (total <= budget) return undefined;
  const parts = s.apis
    .map(
      (a) => `${a.name} ${a.pool * a.replicas} (config.database.poolMax ${a.pool} × ${a.replicas} replicas)`,
    )
    .join(' + ');
  return error(
    'connections',
    s.limitAt,
    `${parts} can open ${total} connections to ${s.words}, which takes ${budget} (${s.limitKey} ${s.limit} - ${s.reserve} reserved): lower config.database.poolMax or the maximum replicas, or raise ${s.limitKey}`,
  );
}

export const connectionsRule: Rule = {
  id: 'connections',
  summary:
    'the APIs on one PostgreSQL server fit its max_connections minus the reserve (pool size × maximum replicas, summed)',
  check(ctx) {
    const servers: Server[] = [];
    const apis = apiDatabases(ctx);
    const bundled = apis.filter((a) => a.mode === 'bundled');
    const pg = ctx.scopes.find((s) => s.chart.name === 'postgresql');
    if (bundled.length && pg)
      servers.push({
        words: 'the bundled PostgreSQL',
        limit: num(pg.values.maxConnections, 100),
        reserve: num(pg.values.reservedConnections, 0),
        limitAt: [...pg.path, 'maxConnections'],
        limitKey: 'postgresql.maxConnections',
        apis: bundled,
      });
    const external = new Map<string, ApiDatabase[]>();
    for (const a of apis.filter((x) => x.mode === 'external')) {
      const x = table(a.database.external);
      const key = `${String(x.host)}:${String(x.port)}`;
      external.set(key, [...(external.get(key) ?? []), a]);
    }
    for (const [server, onIt] of external) {
      let lowest: ApiDatabase | undefined;
      let reserve = 0;
      for (const a of onIt) {
        const x = table(a.database.external);
        if (!lowest || num(x.maxConnections, 100) < num(table(lowest.database.external).maxConnections, 100))
          lowest = a;
        reserve = Math.max(reserve, num(x.reservedConnections, 0));
      }
      if (!lowest) continue;
      servers.push({
        words: `the external server ${server}`,
        limit: num(table(lowest.database.external).maxConnections, 100),
        reserve,
        limitAt: lowest.at('database', 'external', 'maxConnections'),
        limitKey: `${lowest.name}.database.external.maxConnections`,
        apis: onIt,
      });
      // Each API's chart also checks its own pools against its own limit (tc.validate.database):
      // one that does not fit alone is named at its own maxConnections too.
      for (const a of onIt) {
        if (a === lowest) continue;
        const x = table(a.database.external);
        servers.push({
          words: `the external server ${server}`,
          limit: num(x.maxConnections, 100),
          reserve: num(x.reservedConnections, 0),
          limitAt: a.at('database', 'external', 'maxConnections'),
          limitKey: `${a.name}.database.external.maxConnections`,
          apis: [a],
        });
      }
    }
    const problems: Problem[] = [];
    for (const a of apis.filter((x) => x.mode === 'cloudnative-pg')) {
      const c = table(a.database.cloudnativePg);
      const limit = num(table(c.parameters).max_connections, 100);
      const reserve = num(c.reservedConnections, 0);
      const pooler = table(c.pooler);
      const maxConnectionsAt = a.at('database', 'cloudnativePg', 'parameters', 'max_connections');
      if (pooler.enabled === true) {
        const instances = num(pooler.instances, 1);
        servers.push({
          words: `the PgBouncer Pooler of ${a.name}`,
          limit: num(pooler.maxClientConnections, 100) * instances,
          reserve: 0,
          limitAt: a.at('database', 'cloudnativePg', 'pooler', 'maxClientConnections'),
          limitKey: `${a.name}.database.cloudnativePg.pooler.maxClientConnections (× ${instances} instances)`,
          apis: [a],
        });
        const size = num(pooler.defaultPoolSize, 20);
        if (size * instances > limit - reserve)
          problems.push(
            error(
              'connections',
              a.at('database', 'cloudnativePg', 'pooler', 'defaultPoolSize'),
              `the Pooler opens ${size * instances} server connections (pooler.defaultPoolSize ${size} × ${instances} instances) to the CloudNativePG Cluster of ${a.name}, which takes ${limit - reserve} (${a.name}.database.cloudnativePg.parameters.max_connections ${limit} - ${reserve} reserved): lower pooler.defaultPoolSize or pooler.instances, or raise max_connections`,
            ),
          );
      } else {
        servers.push({
          words: `the CloudNativePG Cluster of ${a.name}`,
          limit,
          reserve,
          limitAt: maxConnectionsAt,
          limitKey: `${a.name}.database.cloudnativePg.parameters.max_connections`,
          apis: [a],
        });
      }
    }
    for (const s of servers) {
      const p = budgetProblem(s);
      if (p && !ctx.hasSchemaError(p.path)) problems.push(p);
    }
    return problems;
  },
};
