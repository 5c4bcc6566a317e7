// product-api's fault-injection switch exists for alert tests; production must never expose it.
import { isTable } from '../model';
import type { Problem } from '../problems';
import { error, type Rule } from './context';

export const faultsRule: Rule = {
  id: 'faults',
  summary: 'the test-only fault switch (config.faults.enabled) is off in production',
  check(ctx) {
    const problems: Problem[] = [];
    for (const scope of ctx.scopes) {
      if (!ctx.isProduction(scope)) continue;
      const config = scope.values.config;
      const faults = isTable(config) ? config.faults : undefined;
      if (isTable(faults) && faults.enabled === true) {
        problems.push(
          error(
            'faults',
            [...scope.path, 'config', 'faults', 'enabled'],
            'must be false in production: the fault switch is for alert tests only',
          ),
        );
      }
    }
    return problems;
  },
};
