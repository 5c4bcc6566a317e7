// The values CLI's database rules on the real umbrella chart: one describe block per rule, each
// case a values file and the findings (or verdict) it must produce.
import path from 'node:path';
import { loadChart } from '../../src/values/chart';
import { formatPath } from '../../src/values/problems';
import { validate } from '../../src/values/validate';
import { databaseCases, overProduction } from './database-cases';
import { repoRoot, scratchDir } from './helpers';

const rel = (abs: string) => path.relative(repoRoot, abs).split(path.sep).join('/');
const chart = loadChart(path.join(repoRoot, 'charts', 'techcommerce'), 'charts/techcommerce', rel);
const scratch = scratchDir('values-database');
afterAll(() => scratch.remove());
const productionFile = path.join(repoRoot, 'values', 'production.yaml');

let n = 0;
function run(yaml: string, base: string[] = []) {
  const file = scratch.write(`case-${n++}.yaml`, yaml);
  return validate({
    chart,
    files: [...base.map((p) => ({ path: p, display: rel(p) })), { path: file, display: 'case.yaml' }],
  });
}
const errors = (yaml: string, rule: string, base: string[] = []) =>
  run(yaml, base)
    .findings.filter((f) => f.severity === 'error' && f.rule === rule)
    .map((f) => `${formatPath(f.path)}: ${f.message}`);

describe('schema: the embedded driver (one replica, no HPA, development only)', () => {
  test('a second replica is refused at replicaCount', () => {
    expect(errors('order-api:\n  database: {mode: embedded}\n  replicaCount: 2\n', 'schema')).toEqual([
      'order-api.replicaCount: must be 1 (got 2)',
    ]);
  });
  test('the HPA is refused at autoscaling.enabled', () => {
    expect(errors('product-api:\n  database: {mode: embedded}\n', 'schema')).toEqual([
      'product-api.autoscaling.enabled: must be false (got true)',
    ]);
  });
  test('staging is refused at global.environment', () => {
    const found = errors(
      'global: {environment: staging}\nfrontend: {secrets: {cookieSecret: staging-placeholder-cookie-secret-0123456789}}\norder-api:\n  database: {mode: embedded}\n',
      'schema',
    );
    expect(found).toContain('order-api.global.environment: must be "development" (got "staging")');
  });
});

describe('database: database.mode owns the connection keys and the password', () => {
  test('a connection key under config.database is refused, naming the mode', () => {
    expect(
      errors('order-api:\n  config:\n    database:\n      host: db.example.internal\n', 'database'),
    ).toEqual(['order-api.config.database.host: remove it; database.mode (bundled) sets it']);
  });
  test('a chart-made database password is refused when the mode brings its own', () => {
    expect(errors('order-api:\n  secrets:\n    databasePassword: hunter2\n', 'database')).toEqual([
      "order-api.secrets.databasePassword: remove it; with database.mode bundled the password comes from the bundled PostgreSQL's Secret (key order-api-password)",
    ]);
  });
  test('an API on the bundled PostgreSQL needs it on', () => {
    const yaml =
      'postgresql: {enabled: false}\nnetworkPolicy: {postgresql: {cidrs: [10.0.0.0/8]}}\norder-api:\n  database: {mode: external, external: {host: db.example.internal}}\n';
    expect(errors(yaml, 'database')).toEqual([
      'postgresql.enabled: product-api use database.mode bundled, so the bundled PostgreSQL must be on (or give them database.mode external or cloudnative-pg)',
    ]);
  });
  test('the bundled server must create the database and user the API names', () => {
    expect(errors('order-api:\n  database: {name: shop_orders}\n', 'database')).toEqual([
      'postgresql.databases.order-api: must be {name: shop_orders, user: order_api}, the database and user order-api.database names (it is {"name":"orders","user":"order_api"})',
    ]);
  });
});

describe('connections: pool size × maximum replicas fits the server', () => {
  test('the bundled server: both APIs summed, the numbers named', () => {
    expect(errors('postgresql: {maxConnections: 100}\n', 'connections')).toEqual([
      'postgresql.maxConnections: product-api 100 (config.database.poolMax 10 × 10 replicas) + order-api 10 (config.database.poolMax 10 × 1 replicas) can open 110 connections to the bundled PostgreSQL, which takes 90 (postgresql.maxConnections 100 - 10 reserved): lower config.database.poolMax or the maximum replicas, or raise postgresql.maxConnections',
    ]);
  });
  test('production’s old numbers (320 of 90) are refused, production’s values pass', () => {
    const old =
      'product-api:\n  config: {database: {poolMax: 20}}\n  database: {external: {maxConnections: 100}}\norder-api:\n  config: {database: {poolMax: 20}}\n  database: {external: {maxConnections: 100}}\n';
    expect(errors(old, 'connections', [productionFile])).toEqual([
      'product-api.database.external.maxConnections: product-api 200 (config.database.poolMax 20 × 10 replicas) + order-api 120 (config.database.poolMax 20 × 6 replicas) can open 320 connections to the external server postgres.prod.techcommerce.internal:5432, which takes 90 (product-api.database.external.maxConnections 100 - 10 reserved): lower config.database.poolMax or the maximum replicas, or raise product-api.database.external.maxConnections',
      // order-api alone does not fit its own limit either (its chart checks that, as helm does).
      'order-api.database.external.maxConnections: order-api 120 (config.database.poolMax 20 × 6 replicas) can open 120 connections to the external server postgres.prod.techcommerce.internal:5432, which takes 90 (order-api.database.external.maxConnections 100 - 10 reserved): lower config.database.poolMax or the maximum replicas, or raise order-api.database.external.maxConnections',
    ]);
    expect(run('', [productionFile]).errors).toBe(0);
  });
  test('a CloudNativePG Cluster takes its limit from parameters.max_connections', () => {
    const yaml =
      'order-api:\n  replicaCount: 5\n  database:\n    mode: cloudnative-pg\n    cloudnativePg: {parameters: {max_connections: "50"}}\n';
    expect(errors(yaml, 'connections')).toEqual([
      'order-api.database.cloudnativePg.parameters.max_connections: order-api 50 (config.database.poolMax 10 × 5 replicas) can open 50 connections to the CloudNativePG Cluster of order-api, which takes 40 (order-api.database.cloudnativePg.parameters.max_connections 50 - 10 reserved): lower config.database.poolMax or the maximum replicas, or raise order-api.database.cloudnativePg.parameters.max_connections',
    ]);
  });
  test('a Pooler’s server pools must fit the Cluster', () => {
    const yaml =
      'order-api:\n  database:\n    mode: cloudnative-pg\n    cloudnativePg: {pooler: {enabled: true, defaultPoolSize: 50}}\n';
    expect(errors(yaml, 'connections')).toEqual([
      'order-api.database.cloudnativePg.pooler.defaultPoolSize: the Pooler opens 100 server connections (pooler.defaultPoolSize 50 × 2 instances) to the CloudNativePG Cluster of order-api, which takes 90 (order-api.database.cloudnativePg.parameters.max_connections 100 - 10 reserved): lower pooler.defaultPoolSize or pooler.instances, or raise max_connections',
    ]);
  });
});

describe('every shared case gets the verdict it names', () => {
  test.each(databaseCases)('$name', ({ name, refusedBy, yaml }) => {
    const result = run(yaml, overProduction.has(name) ? [productionFile] : []);
    const rules = [...new Set(result.findings.filter((f) => f.severity === 'error').map((f) => f.rule))];
    expect(rules).toEqual(refusedBy ? [refusedBy] : []);
  });
});
