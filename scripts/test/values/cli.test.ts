// `npm run values` as a process: exit codes (0 valid, 1 invalid, 2 usage or unreadable input),
// the three output formats, colour only where asked for, and never a stack trace.
import path from 'node:path';
import { cli, fixtures, repoRoot, scratchDir } from './helpers';

const scratch = scratchDir('values-cli');
afterAll(() => scratch.remove());

const invalid = (name: string) => path.relative(repoRoot, path.join(fixtures, 'invalid', name));
const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);

describe('the environment files', () => {
  test.each(['values/staging.yaml', 'values/production.yaml'])('%s is valid (exit 0)', (file) => {
    const r = cli(['validate', file]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^✔ valid/m);
    expect(r.status).toBe(0);
  });
});

describe('an invalid file (exit 1)', () => {
  test('human output: grouped by file, one line per finding, no colour when piped', () => {
    const r = cli(['validate', invalid('hpa-min-over-max.yaml'), '-f', invalid('wrong-type.yaml')]);
    expect(r.status).toBe(1);
    expect(r.stdout).not.toContain('\u001b[');
    expect(r.stdout.split('\n')).toEqual([
      invalid('hpa-min-over-max.yaml'),
      `  ${invalid('hpa-min-over-max.yaml')}:4:18 product-api.autoscaling.minReplicas: must be ≤ maxReplicas (4)`,
      '',
      invalid('wrong-type.yaml'),
      `  ${invalid('wrong-type.yaml')}:2:17 order-api.replicaCount: must be a whole number (got "3")`,
      '',
      '✖ invalid: 2 errors, 0 warnings',
      '',
    ]);
  });

  test('colour when FORCE_COLOR asks for it, none with NO_COLOR', () => {
    const forced = cli(['validate', invalid('wrong-type.yaml')], { env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain('\u001b[1morder-api.replicaCount\u001b[22m');
    const off = cli(['validate', invalid('wrong-type.yaml')], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(off.stdout).not.toContain('\u001b[');
  });

  test('--format json', () => {
    const r = cli(['validate', invalid('bad-enum.yaml'), '--format', 'json']);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      valid: false,
      errors: 1,
      warnings: 0,
      findings: [
        {
          severity: 'error',
          rule: 'schema',
          path: 'global.environment',
          message:
            'must be one of "development", "ci", "staging", "production" (got "prodution"); did you mean "production"?',
          file: invalid('bad-enum.yaml'),
          line: 2,
          column: 16,
        },
      ],
    });
  });

  test('--format github: workflow annotations, --set findings titled with the argument', () => {
    const r = cli([
      'validate',
      invalid('out-of-range.yaml'),
      '--set',
      'order-api.replicaCount=x%y',
      '--format=github',
    ]);
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n')).toEqual([
      `::error file=${invalid('out-of-range.yaml')},line=4,col=13::product-api.config.server.port: must be between 1 and 65535 (got 70000)`,
      '::error title=--set order-api.replicaCount=x%25y::order-api.replicaCount: must be a whole number (got "x%25y")',
      'invalid: 2 errors, 0 warnings',
      '',
    ]);
  });

  test('a warning alone keeps exit 0', () => {
    const r = cli(['validate', invalid('replicas-with-hpa.yaml')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      ' warning product-api.replicaCount: is ignored while autoscaling.enabled is true',
    );
    expect(r.stdout).toMatch(/✔ valid \(1 warning\)/);
  });
});

describe('unusable input (exit 2, one clear line, no stack trace)', () => {
  test.each([
    ['a missing file', ['validate', 'values/nope.yaml'], 'values/nope.yaml: no such file'],
    ['a directory', ['validate', 'values'], 'values: is a directory, not a file'],
    [
      'a YAML syntax error',
      ['validate', scratch.write('syntax.yaml', 'a:\n  b: [1, 2\nc: 3\n')],
      /syntax\.yaml:3:1: YAML syntax error: /,
    ],
    [
      'a duplicate key',
      ['validate', scratch.write('dup.yaml', 'frontend:\n  replicaCount: 1\n  replicaCount: 2\n')],
      /dup\.yaml:3:3: duplicate key "replicaCount" \(first set on line 2\)/,
    ],
    [
      'a file that is not a mapping',
      ['validate', scratch.write('list.yaml', '- frontend\n')],
      /list\.yaml:1:1: not a mapping/,
    ],
    [
      'bad --set syntax',
      ['validate', 'values/staging.yaml', '--set', 'frontend.replicaCount'],
      'values: --set frontend.replicaCount: key "replicaCount" has no value',
    ],
    ['an unknown option', ['validate', 'values/staging.yaml', '--strict'], 'values: unknown option --strict'],
    ['an unknown command', ['check', 'values/staging.yaml'], 'values: unknown command check'],
    ['no file', ['validate'], 'values: validate needs a values file'],
    [
      'a bad --format',
      ['validate', 'values/staging.yaml', '--format', 'xml'],
      '--format must be one of human, json, github',
    ],
    [
      'a missing chart',
      ['validate', 'values/staging.yaml', '--chart', 'charts/nope'],
      'charts/nope: no such chart directory',
    ],
  ])('%s', (_what, args, message) => {
    const r = cli(args as string[]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    if (typeof message === 'string') expect(r.stderr).toContain(message);
    else expect(r.stderr).toMatch(message);
    noStack(r.stderr);
  });
});

describe('paths', () => {
  test('relative paths start where npm was run (INIT_CWD) and are shown that way', () => {
    const r = cli(
      [
        'validate',
        'production.yaml',
        '-f',
        path.relative(
          path.join(repoRoot, 'values'),
          path.join(fixtures, 'invalid', 'production-latest.yaml'),
        ),
      ],
      {
        cwd: scratch.dir,
        env: { INIT_CWD: path.join(repoRoot, 'values') },
      },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(
      '../scripts/test/values/fixtures/invalid/production-latest.yaml:7:10 product-api.image.tag: must not be latest',
    );
    expect(r.status).toBe(1);
  });
});

describe('diff', () => {
  test('staging → production: merged values that differ, with both values', () => {
    const r = cli(['diff', 'staging', 'production']);
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^values\/staging\.yaml → values\/production\.yaml: \d+ values differ$/);
    expect(lines).toContainEqual(expect.stringMatching(/^global\.environment +"staging" → "production"$/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^product-api\.config\.database\.sslMode +"require" → "verify-full"$/),
    );
    // Keys with dots are escaped as --set expects; a key only one side has shows (unset).
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^ingress\.annotations\.nginx\\\.ingress\\\.kubernetes\\\.io\/force-ssl-redirect +\(unset\) → "true"$/,
      ),
    );
    // Values that are the same on both sides are not listed.
    expect(r.stdout).not.toMatch(/^product-api\.config\.server\.port /m);
  });

  test('--format json', () => {
    const r = cli(['diff', 'values/staging.yaml', 'values/production.yaml', '--format', 'json']);
    const diffs = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(diffs).toContainEqual({
      path: 'global.environment',
      'values/staging.yaml': 'staging',
      'values/production.yaml': 'production',
    });
  });

  test('an unknown environment is exit 2 naming the known ones', () => {
    const r = cli(['diff', 'staging', 'prod']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/prod: no such file, and no environment of that name \(known: .*production.*\)/);
  });
});

test('--help lists the commands and the rules, exit 0', () => {
  const r = cli(['--help']);
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('npm run values -- validate <values.yaml>');
  for (const id of ['resources', 'autoscaling', 'pdb', 'images', 'secrets', 'ports', 'hosts', 'faults']) {
    expect(r.stdout).toMatch(new RegExp(`^  ${id} `, 'm'));
  }
});
