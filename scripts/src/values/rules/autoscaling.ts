// HorizontalPodAutoscaler bounds, and a fixed replica count that the HPA would silently override.
import { isTable, type Table } from '../model';
import type { Problem } from '../problems';
import { error, type Rule, warning } from './context';

export const autoscalingRule: Rule = {
  id: 'autoscaling',
  summary: 'HPA minReplicas ≤ maxReplicas; a replicaCount set while the HPA is on is reported as ignored',
  check(ctx) {
    const problems: Problem[] = [];
    for (const scope of ctx.scopes) {
      for (const { table, path } of ctx.tables(scope)) {
        const hpa = table.autoscaling;
        if (!isTable(hpa)) continue;
        const { minReplicas: min, maxReplicas: max } = hpa;
        const hpaPath = [...path, 'autoscaling'];
        const on = hpa.enabled === true;
        if (typeof min === 'number' && typeof max === 'number' && min > max) {
          if (!ctx.hasSchemaError([...hpaPath, 'minReplicas'])) {
            const msg = `must be ≤ maxReplicas (${max})`;
            problems.push(
              on
                ? error('autoscaling', [...hpaPath, 'minReplicas'], msg)
                : warning(
                    'autoscaling',
                    [...hpaPath, 'minReplicas'],
                    `${msg}; harmless while autoscaling is off`,
                  ),
            );
          }
        }
        if (on) problems.push(...fixedReplicas(table, path, min, max, (t, k) => ctx.setByUser(t, k)));
      }
    }
    return problems;
  },
};

function fixedReplicas(
  table: Table,
  path: (string | number)[],
  min: unknown,
  max: unknown,
  setByUser: (t: Table, k: string) => boolean,
): Problem[] {
  const count = table.replicaCount;
  if (typeof count !== 'number' || !setByUser(table, 'replicaCount')) return [];
  const bounds =
    typeof min === 'number' && typeof max === 'number' ? ` (it keeps ${min} to ${max} replicas)` : '';
  return [
    warning(
      'autoscaling',
      [...path, 'replicaCount'],
      `is ignored while autoscaling.enabled is true: the HPA owns the replica count${bounds}`,
    ),
  ];
}
