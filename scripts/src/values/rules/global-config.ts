// Config keys a chart writes from global values (the keys its Chart.yaml annotation
// techcommerce.example/config-from-global lists; tc.config.json and tc.validate read the same
// list): a different value under config would be silently replaced, so it is refused.
import { isTable } from '../model';
import type { Problem } from '../problems';
import { error, type Rule } from './context';

export const globalConfigRule: Rule = {
  id: 'global-config',
  summary: 'a config key the chart sets from global (e.g. config.environment) is not set to another value',
  check(ctx) {
    const problems: Problem[] = [];
    for (const scope of ctx.scopes) {
      const listed = scope.chart.annotations['techcommerce.example/config-from-global'] ?? '';
      const config = scope.values.config;
      if (!isTable(config)) continue;
      const global = isTable(scope.values.global) ? scope.values.global : {};
      for (const key of listed
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean)) {
        if (!(key in config)) continue;
        const at = [...scope.path, 'config', key];
        if (ctx.hasSchemaError(at) || text(config[key]) === text(global[key])) continue;
        problems.push(
          error(
            'global-config',
            at,
            `is ${text(config[key])}, which differs from global.${key} (${text(global[key])}): remove it; the chart sets it from global.${key}`,
          ),
        );
      }
    }
    return problems;
  },
};

/** A value as Helm's toString prints it (a missing value is empty). */
function text(v: unknown): string {
  return v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
}
