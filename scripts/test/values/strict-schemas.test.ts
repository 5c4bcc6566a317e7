// The values toolkit compiles schemas in ajv's full strict mode (strictTypes included): every
// generated chart schema compiles, and a keyword without its type is refused with the file named,
// instead of being checked loosely.
import fs from 'node:fs';
import path from 'node:path';
import { compileSchema } from '../../src/values/schema';
import { repoRoot } from './helpers';

const charts = fs
  .readdirSync(path.join(repoRoot, 'charts'))
  .filter((c) => fs.existsSync(path.join(repoRoot, 'charts', c, 'values.schema.json')))
  .sort();

test.each(charts)('charts/%s/values.schema.json compiles in full strict mode', (chart) => {
  const file = path.join(repoRoot, 'charts', chart, 'values.schema.json');
  const text = fs.readFileSync(file, 'utf8');
  expect(() => compileSchema(text, JSON.parse(text) as Record<string, unknown>, file)).not.toThrow();
});

test('a required whose object type only an allOf branch declares is refused', () => {
  const schema = {
    type: 'object',
    properties: { requests: { allOf: [{ type: 'object' }], required: ['cpu'] } },
  };
  expect(() => compileSchema(JSON.stringify(schema), schema, 'demo.schema.json')).toThrow(
    /^demo\.schema\.json: the schema does not compile in ajv strict mode: .*missing type "object" for keyword "required"/,
  );
});
