// Ports a pod listens on must differ. A service chart's pod listens on config.server.port (the
// container port, by contract) and on any other `port` under config that is a listener: a `port`
// beside a `host` or `url` is where the service connects to, not where it listens. Extra
// containers (`extraContainers[*].ports[*].containerPort`, `sidecars[…]`) count too.
import { isTable, originOf, type Table, type Value } from '../model';
import { formatPath, type Problem, type Segment } from '../problems';
import { error, type Rule } from './context';

export const portsRule: Rule = {
  id: 'ports',
  summary: 'the ports one pod listens on are unique (config.server.port and every other listener)',
  check(ctx) {
    const problems: Problem[] = [];
    for (const scope of ctx.scopes) {
      const seen = new Map<number, Segment[]>();
      // The container port first, then chart defaults, so the clash is reported where a user
      // wrote the second listener.
      const ports = podPorts(scope.values, scope.path).sort(
        (a, b) => rank(a, scope.path.length) - rank(b, scope.path.length),
      );
      for (const { port, path } of ports) {
        if (ctx.hasSchemaError(path)) continue;
        const first = seen.get(port);
        if (first) {
          const where = formatPath(first.slice(scope.path.length));
          problems.push(
            error(
              'ports',
              path,
              `must differ from ${where} (${port}): one pod cannot listen twice on a port`,
            ),
          );
        } else seen.set(port, path);
      }
    }
    return problems;
  },
};

interface PodPort {
  port: number;
  path: Segment[];
  table: Table;
  key: string;
}

function rank(p: PodPort, depth: number): number {
  if (formatPath(p.path.slice(depth)) === 'config.server.port') return 0;
  return originOf(p.table, p.key)?.kind === 'user' ? 2 : 1;
}

export function podPorts(values: Table, prefix: Segment[]): PodPort[] {
  const out: PodPort[] = [];
  const config = values.config;
  if (isTable(config)) listeners(config, [...prefix, 'config'], out);
  for (const key of ['extraContainers', 'sidecars']) {
    const list = values[key];
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      if (!isTable(c) || !Array.isArray(c.ports)) return;
      c.ports.forEach((p, j) => {
        if (isTable(p) && typeof p.containerPort === 'number') {
          const path = [...prefix, key, i, 'ports', j, 'containerPort'];
          out.push({ port: p.containerPort, path, table: p, key: 'containerPort' });
        }
      });
    });
  }
  return out;
}

function listeners(t: Table, path: Segment[], out: PodPort[]): void {
  const client = Object.keys(t).some((k) => /^(host|hosts|url|.*Url|.*URL|endpoint)$/.test(k));
  for (const [k, v] of Object.entries(t) as [string, Value][]) {
    if (k === 'port' && typeof v === 'number' && !client)
      out.push({ port: v, path: [...path, k], table: t, key: k });
    else if (isTable(v)) listeners(v, [...path, k], out);
  }
}
