// PodDisruptionBudgets that can be met: one that never allows an eviction makes every node drain
// hang. The service charts create the PDB only when more than one replica runs (replicaCount, or
// autoscaling.minReplicas with the HPA on), and default maxUnavailable to 1.
import { isTable, type Table, type Value } from '../model';
import type { Problem, Segment } from '../problems';
import { error, type Rule } from './context';

export const pdbRule: Rule = {
  id: 'pdb',
  summary: 'a PodDisruptionBudget allows at least one eviction at the lowest replica count',
  check(ctx) {
    const problems: Problem[] = [];
    for (const scope of ctx.scopes) {
      for (const { table, path } of ctx.tables(scope)) {
        const pdb = table.pdb;
        if (!isTable(pdb) || pdb.enabled !== true) continue;
        const replicas = lowestReplicas(table);
        if (replicas === undefined || replicas <= 1) continue;
        const at = (k: string): Segment[] => [...path, 'pdb', k];
        const { minAvailable, maxUnavailable } = pdb;
        const hasMin = minAvailable !== null && minAvailable !== undefined;
        const hasMax = maxUnavailable !== null && maxUnavailable !== undefined;
        if (hasMin && hasMax) {
          problems.push(
            error(
              'pdb',
              at('minAvailable'),
              `set minAvailable or maxUnavailable, not both: maxUnavailable is ${String(maxUnavailable)} (set it to null)`,
            ),
          );
          continue;
        }
        if (hasMin && !ctx.hasSchemaError(at('minAvailable'))) {
          const pods = podsOf(minAvailable, replicas);
          if (pods !== undefined && pods >= replicas) {
            problems.push(
              error(
                'pdb',
                at('minAvailable'),
                `must leave room for an eviction: ${describe(minAvailable, replicas)} of ${replicas} replicas must stay up, so a node drain can never evict one (use fewer than ${replicas}, or maxUnavailable)`,
              ),
            );
          }
        }
        if (hasMax && !ctx.hasSchemaError(at('maxUnavailable'))) {
          const pods = podsOf(maxUnavailable, replicas);
          if (pods !== undefined && pods < 1) {
            problems.push(
              error(
                'pdb',
                at('maxUnavailable'),
                'must allow at least one pod: with 0 no node drain can evict one',
              ),
            );
          }
        }
      }
    }
    return problems;
  },
};

/** The fewest replicas the workload runs: the HPA floor when it is on, else replicaCount. */
function lowestReplicas(table: Table): number | undefined {
  const hpa = table.autoscaling;
  if (isTable(hpa) && hpa.enabled === true)
    return typeof hpa.minReplicas === 'number' ? hpa.minReplicas : undefined;
  return typeof table.replicaCount === 'number' ? table.replicaCount : undefined;
}

/** A count, or a percentage rounded up as the disruption controller does. */
function podsOf(v: Value | undefined, replicas: number): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const m = /^([0-9]+)%$/.exec(v);
    if (m) return Math.ceil((Number(m[1]) * replicas) / 100);
    if (/^[0-9]+$/.test(v)) return Number(v);
  }
  return undefined;
}

function describe(v: Value | undefined, replicas: number): string {
  return typeof v === 'string' && v.endsWith('%') ? `${v} (${podsOf(v, replicas)})` : String(v);
}
