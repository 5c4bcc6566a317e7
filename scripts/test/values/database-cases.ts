// Values files for the database rules, shared by database.test.ts (the values CLI's findings)
// and database-verdicts.test.ts (the same inputs through `helm template`, same verdicts).
export interface DatabaseCase {
  name: string;
  /** Which check refuses it (schema: the values schema; else a rule id), or null: valid. */
  refusedBy: 'schema' | 'database' | 'connections' | null;
  yaml: string;
}

const external = (api: string, rest = '') =>
  `${api}:\n  database:\n    mode: external\n    external:\n      host: db.example.internal\n${rest}`;

export const databaseCases: DatabaseCase[] = [
  { name: 'the chart defaults (both APIs on the bundled PostgreSQL)', refusedBy: null, yaml: '{}\n' },
  {
    name: 'embedded with two replicas',
    refusedBy: 'schema',
    yaml: 'order-api:\n  database: {mode: embedded}\n  replicaCount: 2\n',
  },
  {
    name: 'embedded with an HPA',
    refusedBy: 'schema',
    yaml: 'product-api:\n  database: {mode: embedded}\n',
  },
  {
    name: 'embedded outside development',
    refusedBy: 'schema',
    yaml: 'global: {environment: staging}\nfrontend: {secrets: {cookieSecret: staging-placeholder-cookie-secret-0123456789}}\norder-api:\n  database: {mode: embedded}\n',
  },
  {
    name: 'embedded with one replica in development',
    refusedBy: null,
    yaml: 'order-api:\n  database: {mode: embedded}\n',
  },
  {
    name: 'a connection key under config.database',
    refusedBy: 'database',
    yaml: 'order-api:\n  config:\n    database:\n      host: db.example.internal\n',
  },
  {
    name: 'a chart-made database password in bundled mode',
    refusedBy: 'database',
    yaml: 'order-api:\n  secrets:\n    databasePassword: hunter2\n',
  },
  {
    name: 'bundled without the bundled PostgreSQL',
    refusedBy: 'database',
    yaml: `postgresql: {enabled: false}\nnetworkPolicy: {postgresql: {cidrs: [10.0.0.0/8]}}\n${external('order-api')}`,
  },
  {
    name: 'a bundled server without the API’s database',
    refusedBy: 'database',
    yaml: 'order-api:\n  database: {name: shop_orders}\n',
  },
  {
    name: 'pools over the bundled server’s limit (110 of 90)',
    refusedBy: 'connections',
    yaml: 'postgresql: {maxConnections: 100}\n',
  },
  {
    name: 'pools exactly at the bundled server’s limit (140 of 140)',
    refusedBy: null,
    yaml: 'product-api:\n  config: {database: {poolMax: 13}}\n',
  },
  {
    name: 'production’s values',
    refusedBy: null,
    yaml: '',
  },
  {
    name: 'production’s old pools (320 of 90 on one external server)',
    refusedBy: 'connections',
    yaml: `product-api:\n  config: {database: {poolMax: 20}}\n  database: {external: {maxConnections: 100}}\norder-api:\n  config: {database: {poolMax: 20}}\n  database: {external: {maxConnections: 100}}\n`,
  },
  {
    name: 'two APIs that fit one external server alone but not together',
    refusedBy: 'connections',
    yaml: 'product-api:\n  database: {external: {maxConnections: 150}}\norder-api:\n  database: {external: {maxConnections: 150}}\n',
  },
  {
    name: 'a CloudNativePG Cluster with room for its API',
    refusedBy: null,
    yaml: 'order-api:\n  database: {mode: cloudnative-pg}\n',
  },
  {
    name: 'a CloudNativePG Cluster without room (50 of 40)',
    refusedBy: 'connections',
    yaml: 'order-api:\n  replicaCount: 5\n  database:\n    mode: cloudnative-pg\n    cloudnativePg: {parameters: {max_connections: "50"}}\n',
  },
  {
    name: 'a Pooler whose server pools exceed the Cluster (100 of 90)',
    refusedBy: 'connections',
    yaml: 'order-api:\n  database:\n    mode: cloudnative-pg\n    cloudnativePg: {pooler: {enabled: true, defaultPoolSize: 50}}\n',
  },
];

/** The production case files are merged over values/production.yaml. */
export const overProduction = new Set([
  'production’s values',
  'production’s old pools (320 of 90 on one external server)',
  'two APIs that fit one external server alone but not together',
]);
