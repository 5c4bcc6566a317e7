// Generated files cannot drift: `npm run generate -- --check` must find every output up to date
// (charts' values.schema.json, services' config types, charts' README values tables). While
// someone has uncommitted schema edits this fails naming the stale file; on a clean checkout it
// passes.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { BEGIN, END, valuesTable, withValuesTable } from '../../src/schemas/readme';
import { repoRoot } from './helpers';

test('npm run generate -- --check: every generated file is up to date', () => {
  const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
  const r = spawnSync(tsx, [path.join(repoRoot, 'scripts/src/schemas/generate.ts'), '--check'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/^generate --check: \d+ generated files are up to date/);
  expect(r.status).toBe(0);
});

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    global: {
      type: 'object',
      additionalProperties: false,
      properties: { environment: { type: 'string', enum: ['dev', 'prod'], description: 'Where.' } },
    },
    replicas: { type: 'integer', minimum: 1, maximum: 9, description: 'Pods | copies.' },
    image: {
      description: 'The image.',
      allOf: [
        {
          type: 'object',
          additionalProperties: false,
          properties: { tag: { anyOf: [{ type: 'string' }, { type: 'null' }] } },
        },
      ],
    },
    token: { type: ['string', 'null'], writeOnly: true, description: 'A <secret>.' },
    labels: { type: 'object', additionalProperties: { type: 'string' }, description: 'Labels.' },
    port: { type: 'integer', default: 80, description: 'Port.' },
  },
};
const values = 'image:\n  tag: ""\nreplicas: 2\nglobal:\n  environment: dev\nlabels: {}\ntoken: null\n';

test('the values table: values.yaml order, types, defaults, ranges, enums, secrets, escaping', () => {
  expect(valuesTable(schema, values, 'demo').split('\n')).toEqual([
    '| Key | Type | Default | Description |',
    '| --- | --- | --- | --- |',
    '| `image.tag` | string \\| null | `""` |  |',
    '| `replicas` | int | `2` | Pods \\| copies. Range: 1 to 9. |',
    '| `global.environment` | string | `"dev"` | Where. One of `"dev"`, `"prod"`. |',
    '| `labels` | object | `{}` | Labels. |',
    '| `token` | string \\| null | `null` | A &lt;secret&gt;. **Secret**: production takes it only through `existingSecret`. |',
    '| `port` | int | `80` (schema default) | Port. |',
    '',
  ]);
});

test('the table goes between markers; the hand-written text around it stays', () => {
  const readme = `# demo\n\nIntro.\n\n## Values\n\n${BEGIN}\nold table\n${END}\n\nMore text.\n`;
  const out = withValuesTable(readme, 'demo', schema, values);
  expect(out.startsWith('# demo\n\nIntro.\n\n## Values\n\n')).toBe(true);
  expect(out.endsWith(`${END}\n\nMore text.\n`)).toBe(true);
  expect(out).not.toContain('old table');
  expect(withValuesTable(out, 'demo', schema, values)).toBe(out);
});

test('a README without markers gets a Values section at the end; broken markers are an error', () => {
  const out = withValuesTable('# demo\n\nIntro.\n', 'demo', schema, values);
  expect(out).toMatch(
    new RegExp(`^# demo\\n\\nIntro\\.\\n\\n## Values\\n\\n${BEGIN.replace(/[()`]/g, '\\$&')}\\n\\n\\| Key`),
  );
  expect(() => withValuesTable(`# demo\n${BEGIN}\n`, 'demo', schema, values)).toThrow(
    'markers are incomplete',
  );
});
