// The fault switch is for tests: production values must never turn it on.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const file = path.resolve(__dirname, '../../../values/production.yaml');

test('values/production.yaml does not enable product-api faults', () => {
  expect(fs.existsSync(file)).toBe(true);
  const values = parse(fs.readFileSync(file, 'utf8')) as {
    'product-api'?: { config?: { faults?: { enabled?: unknown } } };
  };
  expect(values['product-api']?.config?.faults?.enabled ?? false).toBe(false);
});
