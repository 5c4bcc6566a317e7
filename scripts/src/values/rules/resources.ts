// Requests above limits: the API server rejects such a pod, long after the values were merged.
import { isTable } from '../model';
import { compareQuantities, parseQuantity } from '../quantity';
import { error, type Rule } from './context';

export const resourcesRule: Rule = {
  id: 'resources',
  summary: 'each resource request is at most its limit (Kubernetes quantities: 500m, 1, 256Mi, 1Gi, 1e3)',
  check(ctx) {
    const problems = [];
    for (const scope of ctx.scopes) {
      for (const { table, path } of ctx.tables(scope)) {
        const { requests, limits } = table;
        if (!isTable(requests) || !isTable(limits)) continue;
        for (const name of Object.keys(requests)) {
          const reqPath = [...path, 'requests', name];
          const limPath = [...path, 'limits', name];
          if (ctx.hasSchemaError(reqPath) || ctx.hasSchemaError(limPath)) continue;
          const req = parseQuantity(requests[name]);
          const lim = parseQuantity(limits[name]);
          if (!req || !lim || compareQuantities(req, lim) <= 0) continue;
          problems.push(
            error(
              'resources',
              reqPath,
              `must be ≤ limits.${name} (${String(limits[name])}): Kubernetes rejects a request above its limit`,
            ),
          );
        }
      }
    }
    return problems;
  },
};
