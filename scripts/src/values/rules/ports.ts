// Ports a pod listens on must differ. A service chart's pod listens on config.server.port (the
// container port, by contract) and on any other `port` under config that is a listener: a `port`
// beside a `host` or `url` is where the service connects to, not where it listens. Extra
// containers (`extraContainers[*].ports[*].containerPort`, `sidecars[…]`) count too.
import { isTable, type Table, type Value } from '../model';
import { formatPath, type Problem, type Segment } from '../problems';
import { error, type Rule } from './context';

export const portsRule: Rule = {
  id: 'ports',
  summary: 'the ports one pod listens on are unique (config.server.port and every other listener)',
  check(ctx) {
    const problems: Problem[] = [];
    for (const scope of ctx.scopes) {
      const seen = new Map<number, Segment[]>();
      for (const { port, path } of podPorts(scope.values, scope.path)) {
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

export function podPorts(values: Table, prefix: Segment[]): { port: number; path: Segment[] }[] {
  const out: { port: number; path: Segment[] }[] = [];
  const config = values.config;
  if (isTable(config)) listeners(config, [...prefix, 'config'], out);
  for (const key of ['extraContainers', 'sidecars']) {
    const list = values[key];
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      if (!isTable(c) || !Array.isArray(c.ports)) return;
      c.ports.forEach((p, j) => {
        if (isTable(p) && typeof p.containerPort === 'number') {
          out.push({ port: p.containerPort, path: [...prefix, key, i, 'ports', j, 'containerPort'] });
        }
      });
    });
  }
  return out;
}

function listeners(t: Table, path: Segment[], out: { port: number; path: Segment[] }[]): void {
  const client = Object.keys(t).some((k) => /^(host|hosts|url|.*Url|.*URL|endpoint)$/.test(k));
  for (const [k, v] of Object.entries(t) as [string, Value][]) {
    if (k === 'port' && typeof v === 'number' && !client) out.push({ port: v, path: [...path, k] });
    else if (isTable(v)) listeners(v, [...path, k], out);
  }
}
