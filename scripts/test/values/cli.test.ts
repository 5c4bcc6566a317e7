// The `techcommerce-values` bin as a process: exit codes (0 valid, 1 invalid, 2 usage or an
// unusable path), the three output formats, colour only where asked for, never a stack trace.
import fs from 'node:fs';
import path from 'node:path';
import { cli, fixtures, repoRoot, scratchDir, valuesBin } from './helpers';

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

describe('a file that cannot be parsed is invalid (exit 1), every fault at its start', () => {
  const quote = () => scratch.write('quote.yaml', 'a: 1\nb: "open\nc: 3\n');
  const flow = () => scratch.write('flow.yaml', 'x: 1\ny: {a: 1\n');
  const dup = () => scratch.write('dup.yaml', 'frontend:\n  replicaCount: 1\n  replicaCount: 2\n');

  test('human: each fault with its line, column and a two-line code frame, every file', () => {
    // Run from the scratch folder, so every file is shown by its short relative name wherever the
    // checkout is (from elsewhere the CLI shows the shorter of the relative and absolute path).
    const r = cli(['validate', quote(), '-f', flow(), '-f', dup()], { cwd: scratch.dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    const out = r.stdout.split('\n');
    expect(out).toEqual([
      'quote.yaml',
      '  quote.yaml:2:4 unterminated string: the " opened here is never closed',
      '    2 | b: "open',
      '      |    ^',
      '',
      'flow.yaml',
      '  flow.yaml:2:4 unclosed flow mapping: the { here has no matching }',
      '    2 | y: {a: 1',
      '      |    ^',
      '',
      'dup.yaml',
      '  dup.yaml:3:3 duplicate key "replicaCount" (first set on line 2); Helm would silently keep the last',
      '    3 |   replicaCount: 2',
      '      |   ^',
      '',
      '✖ invalid: 3 errors, 0 warnings',
      '',
    ]);
  });

  test('--format json: structured findings (rule syntax, line, column, frame)', () => {
    const r = cli(['validate', scratch.write('tab.yaml', 'a:\n\tb: 1\n'), '--format', 'json'], {
      cwd: scratch.dir,
    });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      valid: false,
      errors: 1,
      warnings: 0,
      findings: [
        {
          severity: 'error',
          rule: 'syntax',
          message: 'YAML syntax error: Tabs are not allowed as indentation',
          file: 'tab.yaml',
          line: 2,
          column: 1,
          frame: ['2 | \tb: 1', '  | ^'],
        },
      ],
    });
  });

  test('--format github: one annotation per fault at its line and column', () => {
    const r = cli(
      ['validate', scratch.write('indent.yaml', 'a:\n  b: 1\n   c: 2\nd: {x: 1\n'), '--format=github'],
      { cwd: scratch.dir },
    );
    expect(r.status).toBe(1);
    const file = 'indent.yaml';
    expect(r.stdout.split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^::error file=${file},line=3,col=4::mis-indented key`)),
      `::error file=${file},line=4,col=4::unclosed flow mapping: the { here has no matching }`,
      'invalid: 2 errors, 0 warnings',
      '',
    ]);
  });

  test('a file that is not a mapping', () => {
    const r = cli(['validate', scratch.write('list.yaml', '- frontend\n')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/list\.yaml:1:1 not a mapping/);
  });
});

test('the umbrella global is open to keys of a parent chart: an unknown one warns (exit 0)', () => {
  const file = scratch.write(
    'globals.yaml',
    'global:\n  imageRegistry: registry.example\n  imageRegistri: x\n  company: acme\n',
  );
  const r = cli(['validate', 'values/staging.yaml', '-f', file]);
  expect(r.status).toBe(0);
  expect(r.stdout).toContain(
    ':3:3 warning global.imageRegistri: is not a global of this chart; did you mean "imageRegistry"?',
  );
  expect(r.stdout).toContain(':4:3 warning global.company: is not a global of this chart');
  expect(r.stdout).not.toContain('global.imageRegistry:');
  expect(r.stdout).toMatch(/✔ valid \(2 warnings\)/);
});

describe('unusable input (exit 2, one clear line, no stack trace)', () => {
  test.each([
    ['a missing file', ['validate', 'values/nope.yaml'], 'values/nope.yaml: no such file'],
    ['a directory', ['validate', 'values'], 'values: is a directory, not a file'],
    [
      'bad --set syntax',
      ['validate', 'values/staging.yaml', '--set', 'frontend.replicaCount'],
      'values: --set frontend.replicaCount: key "replicaCount" has no value',
    ],
    ['an unknown option', ['validate', 'values/staging.yaml', '--strict'], 'values: unknown option --strict'],
    ['an unknown command', ['check', 'values/staging.yaml'], 'values: unknown command check\n'],
    [
      'a mistyped command: did you mean',
      ['valdiate', 'values/staging.yaml'],
      'values: unknown command valdiate; did you mean validate?',
    ],
    ['a mistyped diff', ['dif', 'staging', 'production'], 'unknown command dif; did you mean diff?'],
    ['no file', ['validate'], 'values: validate needs a values file'],
    [
      'several positional files: refused, pointing at -f',
      ['validate', 'values/staging.yaml', 'values/production.yaml'],
      'values: validate takes one values file; give the others with -f, as helm does: validate values/staging.yaml -f values/production.yaml',
    ],
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
    expect(r.stderr).toContain(message);
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
      '../scripts/test/values/fixtures/invalid/production-latest.yaml:8:10 product-api.image.tag: must not be latest',
    );
    expect(r.status).toBe(1);
  });
});

describe('diff', () => {
  test('staging → production: one row per key, both values, exit 1 because they differ', () => {
    const r = cli(['diff', 'staging', 'production']);
    expect(r.status).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^values\/staging\.yaml → values\/production\.yaml: \d+ values differ$/);
    expect(lines).toContainEqual(expect.stringMatching(/^global\.environment +"staging" → "production"$/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^product-api\.database\.external\.sslMode +"require" → "verify-full"$/),
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

  test('global is shown once, not once per subchart that receives a copy', () => {
    const r = cli(['diff', 'staging', 'production']);
    expect(r.stdout.match(/global\.environment/g)).toHaveLength(1);
  });

  test('a mapping one side leaves empty and the other fills is not called unset', () => {
    const r = cli(['diff', 'staging', 'production']);
    expect(r.stdout).not.toMatch(/^ingress\.annotations +/m);
    expect(r.stdout).not.toMatch(/→ \(unset\)$/m);
  });

  test('a list is one value (Helm replaces lists whole)', () => {
    const r = cli(['diff', 'staging', 'production']);
    expect(r.stdout).toMatch(
      /^ingress\.hosts +\["staging\.shop\.techcommerce\.example"\] → \["shop\.techcommerce\.example"\]$/m,
    );
  });

  test('the same file twice: no differences, exit 0', () => {
    const r = cli(['diff', 'staging', 'values/staging.yaml']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('no differences between values/staging.yaml and values/staging.yaml\n');
  });

  test('--format json: keyed by the key path; an unset side is left out', () => {
    const r = cli(['diff', 'values/staging.yaml', 'values/production.yaml', '--format', 'json']);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as {
      left: string;
      right: string;
      same: boolean;
      differences: Record<string, { left?: unknown; right?: unknown }>;
    };
    expect(out.left).toBe('values/staging.yaml');
    expect(out.right).toBe('values/production.yaml');
    expect(out.same).toBe(false);
    expect(out.differences['global.environment']).toEqual({ left: 'staging', right: 'production' });
    expect(
      out.differences['ingress.annotations.nginx\\.ingress\\.kubernetes\\.io/force-ssl-redirect'],
    ).toEqual({
      right: 'true',
    });
    expect(Object.keys(out.differences).filter((k) => k.endsWith('global.environment'))).toEqual([
      'global.environment',
    ]);
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
  expect(r.stdout).toContain('techcommerce-values validate <values.yaml>');
  for (const id of ['resources', 'autoscaling', 'pdb', 'images', 'secrets', 'ports', 'hosts', 'faults']) {
    expect(r.stdout).toMatch(new RegExp(`^  ${id} `, 'm'));
  }
});

describe('the bin', () => {
  test('npm ci links techcommerce-values to the compiled JavaScript (no TypeScript loader)', () => {
    // CI runs this after `npm ci` on a fresh clone, where dist/ exists only because the scripts
    // workspace's `prepare` built it before npm linked the bins.
    expect(fs.lstatSync(valuesBin).isSymbolicLink()).toBe(true);
    const target = fs.realpathSync(valuesBin);
    expect(path.relative(repoRoot, target)).toBe(path.join('scripts', 'dist', 'values', 'main.js'));
    expect(fs.readFileSync(target, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(fs.statSync(target).mode & 0o111).not.toBe(0);
  });

  test('`npm run values` calls the bin', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.values).toBe('techcommerce-values');
  });
});
