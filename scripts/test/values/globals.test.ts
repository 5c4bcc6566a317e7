// `global` open to a parent chart's keys: a key the schema does not know is a warning (with "did
// you mean" when it is close to a known one), not an error; known keys stay typed; a chart that
// keeps `global` closed reports the schema error alone.
import { loadChart } from '../../src/values/chart';
import { validate } from '../../src/values/validate';
import { scratchDir } from './helpers';

const scratch = scratchDir('values-globals');
afterAll(() => scratch.remove());

function chartWithGlobal(name: string, open: boolean): string {
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    additionalProperties: false,
    properties: {
      global: {
        type: 'object',
        additionalProperties: open,
        properties: {
          environment: { type: 'string', enum: ['staging', 'production'] },
          imageRegistry: { type: 'string' },
        },
      },
    },
  };
  scratch.write(`${name}/Chart.yaml`, `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`);
  scratch.write(`${name}/values.yaml`, 'global:\n  environment: staging\n');
  scratch.write(`${name}/values.schema.json`, JSON.stringify(schema));
  return `${scratch.dir}/${name}`;
}

function check(chartDir: string, text: string) {
  const file = scratch.write('values.yaml', text);
  return validate({ chart: loadChart(chartDir, 'chart'), files: [{ path: file, display: 'values.yaml' }] });
}

test('an unknown global key is a warning placed at the key; a close one gets "did you mean"', () => {
  const r = check(
    chartWithGlobal('open', true),
    'global:\n  environment: production\n  imageRegistri: r.example\n  company: acme\n',
  );
  expect(r.errors).toBe(0);
  expect(
    r.findings.map((f) => [f.severity, f.rule, f.path.join('.'), f.location.line, f.location.col]),
  ).toEqual([
    ['warning', 'global', 'global.imageRegistri', 3, 3],
    ['warning', 'global', 'global.company', 4, 3],
  ]);
  expect(r.findings[0]?.message).toContain('did you mean "imageRegistry"?');
  expect(r.findings[1]?.message).toContain('kept for a parent chart that reads it');
});

test('known global keys stay typed', () => {
  const r = check(chartWithGlobal('typed', true), 'global:\n  environment: prod\n');
  expect(r.errors).toBe(1);
  expect(r.findings[0]?.path).toEqual(['global', 'environment']);
});

test('a closed global: the schema error alone, no second warning', () => {
  const r = check(chartWithGlobal('closed', false), 'global:\n  company: acme\n');
  expect(r.errors).toBe(1);
  expect(r.warnings).toBe(0);
  expect(r.findings[0]?.rule).toBe('schema');
});
