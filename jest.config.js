// One jest run for the whole repository: each project is a folder of tests.
// A project whose folder does not exist yet is left out, so areas can land one at a time.
const fs = require('node:fs');
const path = require('node:path');

const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

// PGlite's CommonJS build loads Node built-ins with import(), which jest's module sandbox cannot
// run without --experimental-vm-modules; compiled by swc, those calls become require().
const swcPglite = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];

// Tests import workspace packages from source, so no build is needed before `npm test`.
const moduleNameMapper = {
  '^@techcommerce/runtime$': '<rootDir>/services/runtime/src/index.ts',
  '^@techcommerce/runtime/(.*)$': '<rootDir>/services/runtime/src/$1',
};

function project(displayName, dir, extra = {}) {
  return {
    displayName,
    rootDir: __dirname,
    roots: [`<rootDir>/${dir}`],
    testMatch: ['**/*.test.ts'],
    testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    transform: { '^.+\\.tsx?$': swc, '/node_modules/@electric-sql/pglite/.+\\.cjs$': swcPglite },
    transformIgnorePatterns: ['/node_modules/(?!@electric-sql/pglite/)'],
    moduleNameMapper,
    testEnvironment: 'node',
    ...extra,
  };
}

const projects = [
  project('runtime', 'services/runtime/test'),
  project('product-api', 'services/product-api/test'),
  project('order-api', 'services/order-api/test'),
  project('frontend', 'services/frontend/test'),
  project('scripts', 'scripts/test/unit'),
  project('values', 'scripts/test/values'),
  project('toolchain', 'scripts/test/toolchain'),
  // Both hand chart folders to helm: the charts' file:// dependencies are built first.
  project('charts', 'scripts/test/charts', { globalSetup: '<rootDir>/scripts/src/testing/chart-setup.ts' }),
  project('monitoring', 'scripts/test/monitoring', {
    globalSetup: '<rootDir>/scripts/src/testing/chart-setup.ts',
  }),
  project('workflows', 'scripts/test/workflows'),
  project('images', 'scripts/test/images'),
  // One kwok cluster for every release suite: up before the first, deleted after the last.
  project('release', 'scripts/test/release', {
    globalSetup: '<rootDir>/scripts/test/release/setup/global-setup.ts',
    globalTeardown: '<rootDir>/scripts/test/release/setup/global-teardown.ts',
  }),
  project('browser', 'scripts/test/browser'),
].filter((p) => fs.existsSync(path.join(__dirname, p.roots[0].replace('<rootDir>/', ''))));

module.exports = {
  projects,
  globalSetup: '<rootDir>/scripts/src/testing/global-setup.ts',
  globalTeardown: '<rootDir>/scripts/src/testing/global-teardown.ts',
  // Tests that start processes (PostgreSQL, services, a control plane) need room on 2 cores.
  maxWorkers: 2,
  testTimeout: 30000,
};
