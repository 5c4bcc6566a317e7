// The APIs' database settings, read from merged values the way the charts' templates read them
// (charts/common/templates/_database.tpl): database.mode, the pool, the maximum replica count.
// Shared by the database and connections rules.
import { isTable, type Table } from '../model';
import type { Segment } from '../problems';
import type { RuleContext, Scope } from './context';

export type DatabaseMode = 'embedded' | 'bundled' | 'external' | 'cloudnative-pg';

export interface ApiDatabase {
  scope: Scope;
  /** The API's chart name (product-api, order-api). */
  name: string;
  mode: DatabaseMode;
  database: Table;
  /** config.database.poolMax (the service's default 10). */
  pool: number;
  /** HPA maximum when the HPA is on, else replicaCount. */
  replicas: number;
  at(...keys: Segment[]): Segment[];
}

const MODES = new Set<string>(['embedded', 'bundled', 'external', 'cloudnative-pg']);

/** Every enabled chart scope with a database.mode (the two APIs in the umbrella). */
export function apiDatabases(ctx: RuleContext): ApiDatabase[] {
  const out: ApiDatabase[] = [];
  for (const scope of ctx.scopes) {
    const v = scope.values;
    const database = v.database;
    if (!isTable(database) || typeof database.mode !== 'string' || !MODES.has(database.mode)) continue;
    const config = isTable(v.config) ? v.config : undefined;
    const cfgDb = config && isTable(config.database) ? config.database : undefined;
    const pool = typeof cfgDb?.poolMax === 'number' ? cfgDb.poolMax : 10;
    const hpa = isTable(v.autoscaling) ? v.autoscaling : undefined;
    const replicas =
      hpa?.enabled === true && typeof hpa.maxReplicas === 'number'
        ? hpa.maxReplicas
        : typeof v.replicaCount === 'number'
          ? v.replicaCount
          : 1;
    out.push({
      scope,
      name: scope.chart.name,
      mode: database.mode as DatabaseMode,
      database,
      pool,
      replicas,
      at: (...keys) => [...scope.path, ...keys],
    });
  }
  return out;
}

export const table = (v: unknown): Table => (isTable(v) ? v : ({} as Table));
export const num = (v: unknown, fallback: number): number =>
  typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : fallback;

/**
 * Where the password comes from when not from the chart's own secrets (tc.database.passwordSource),
 * as words for a message, or undefined.
 */
export function passwordElsewhere(api: ApiDatabase): string | undefined {
  const { mode, database } = api;
  if (mode === 'bundled') return `the bundled PostgreSQL's Secret (key ${api.name}-password)`;
  if (mode === 'cloudnative-pg') return 'the CloudNativePG owner Secret (key password)';
  const external = table(database.external);
  if (mode === 'external' && typeof external.existingSecret === 'string' && external.existingSecret)
    return `Secret ${external.existingSecret} (key ${String(external.passwordKey)})`;
  return undefined;
}
