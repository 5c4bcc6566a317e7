// database.mode owns the connection keys of config.database and the password's source; an API on
// the bundled PostgreSQL needs it on, creating that API's database and user. The same verdicts as
// the charts' templates (tc.validate.database, techcommerce.validate.databases); the embedded
// driver's limits are in the values schema, so both get them from there.
import { isTable } from '../model';
import type { Problem } from '../problems';
import { error, type Rule } from './context';
import { apiDatabases, passwordElsewhere, table } from './database-apis';

// tc.database.ownedKeys
export const OWNED_KEYS = ['driver', 'host', 'port', 'name', 'user', 'sslMode', 'migrateOnStart'];

export const databaseRule: Rule = {
  id: 'database',
  summary:
    'database.mode sets config.database’s connection keys and the password; a bundled API needs the bundled PostgreSQL with its database and user',
  check(ctx) {
    const problems: Problem[] = [];
    const apis = apiDatabases(ctx);
    for (const api of apis) {
      const cfg = table(table(api.scope.values.config).database);
      for (const key of OWNED_KEYS) {
        if (key in cfg && !ctx.hasSchemaError(api.at('config', 'database', key)))
          problems.push(
            error(
              'database',
              api.at('config', 'database', key),
              `remove it; database.mode (${api.mode}) sets it`,
            ),
          );
      }
      const elsewhere = passwordElsewhere(api);
      const secrets = table(api.scope.values.secrets);
      if (elsewhere && typeof secrets.databasePassword === 'string' && secrets.databasePassword !== '')
        problems.push(
          error(
            'database',
            api.at('secrets', 'databasePassword'),
            `remove it; with database.mode ${api.mode} the password comes from ${elsewhere}`,
          ),
        );
    }
    const bundled = apis.filter((a) => a.mode === 'bundled');
    if (bundled.length === 0) return problems;
    const pgScope = ctx.scopes.find((s) => s.chart.name === 'postgresql');
    if (!pgScope) {
      problems.push(
        error(
          'database',
          ['postgresql', 'enabled'],
          `${bundled.map((a) => a.name).join(' and ')} use database.mode bundled, so the bundled PostgreSQL must be on (or give them database.mode external or cloudnative-pg)`,
        ),
      );
      return problems;
    }
    const databases = table(pgScope.values.databases);
    for (const api of bundled) {
      const want = { name: api.database.name, user: api.database.user };
      const has = isTable(databases[api.name]) ? table(databases[api.name]) : {};
      if (has.name !== want.name || has.user !== want.user)
        problems.push(
          error(
            'database',
            [...pgScope.path, 'databases', api.name],
            `must be {name: ${String(want.name)}, user: ${String(want.user)}}, the database and user ${api.name}.database names (it is ${JSON.stringify(has)})`,
          ),
        );
    }
    return problems;
  },
};
