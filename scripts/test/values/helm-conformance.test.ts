// The toolkit's merge must give exactly the .Values real helm renders: the same files and --set
// go to `helm template` of a fixture umbrella (whose template prints .Values as JSON) and to the
// toolkit. Hand-picked cases name the rules; generated cases (seeded) look for the ones nobody
// thought of. Both Helm 3 and Helm 4 are checked, each against its own rules.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { toolEnv } from '../../src/tools/env';
import type { HelmMajor } from '../../src/values/coalesce';
import { generateCase } from './generate-inputs';
import { fixtures, helmBinary, helmValues, type Merged, scratchDir, toolkitValues } from './helpers';

const chartDir = path.join(fixtures, 'conformance', 'umbrella');
const scratch = scratchDir('values-conformance');
afterAll(() => scratch.remove());

interface Case {
  name: string;
  files?: string[];
  sets?: string[];
}

const cases: Case[] = [
  { name: 'chart defaults only (subchart defaults, globals, import-values, aliases, tags off)' },
  { name: 'a null deletes a top-level default', files: ['keep: null\ngone: null\n'] },
  {
    name: 'nested nulls: over a default it deletes, elsewhere it stays',
    files: ['table:\n  a: null\n  fresh: null\n  nested:\n    x: null\n'],
  },
  {
    name: 'nulls for subchart keys delete the subchart defaults',
    files: [
      'sub-a:\n  fromParent: null\n  nullDefault: null\n  table:\n    a: null\n    b:\n      c: null\n      d: null\n',
    ],
  },
  {
    name: 'globals: the parent wins, nested global tables merge',
    files: [
      'global:\n  env: prod\n  level:\n    two:\n      deep: user\n    four: 4\nsub-a:\n  global:\n    level:\n      three: 30\n    subOnly: user\n',
    ],
  },
  { name: 'a null global is removed', files: ['global:\n  env: null\n  level: null\n'] },
  { name: 'condition false drops the subchart', files: ['sub-a:\n  enabled: false\n'] },
  {
    name: 'condition enables an aliased copy',
    files: ['second:\n  enabled: true\n  opts:\n    b: 2\nfirst:\n  port: 81\n'],
  },
  { name: 'a tag enables a subchart', files: ['tags:\n  extra: true\n'] },
  { name: 'the second condition path decides when the first is unset', files: ['global:\n  subC: true\n'] },
  { name: 'a non-boolean condition is ignored', files: ['sub-a:\n  enabled: "no"\n'] },
  {
    name: 'later files win and replace whole lists',
    files: ['list: [a, b]\ntable:\n  a: 1\n', 'list: [c]\ntable: null\n', 'table:\n  z: 1\n'],
  },
  {
    name: 'YAML 1.1 scalars as go-yaml v2 reads them',
    files: [
      'table:\n  a: on\n  b: off\n  c: 0777\n  d: 0o17\n  e: 0x1F\n  f: 1_000\n  g: 1e3\n  h: .5\n  i: 089\n  j: +12\n  k: ~\n  l: 2001-12-14\n  m: 1:30\n  o: !!str 12\n  p: "yes"\n  q: 0b101\n  r: -0x10\n  s: 1.\n  t: 99999999999999999999\n',
    ],
  },
  {
    name: 'YAML 1.1 keys become strings',
    files: [
      'table:\n  y: 1\n  1: 3\n  0x10: 4\n  1.5: 5\n  0.1: 7\n  1e6: 8\n  0.00001: 9\n  1234567.5: 10\n  no: 6\n',
    ],
  },
  {
    name: 'anchors, aliases and merge keys',
    files: [
      'base: &base\n  a: 1\n  b: 2\ntable:\n  <<: *base\n  b: 3\nmore:\n  a: 0\n  <<: [*base, {c: 9}]\nlist: &l [1, 2]\nsub-a:\n  list: *l\n',
    ],
  },
  {
    name: '--set types: ints without leading zero, floats stay strings, null, lists',
    sets: [
      'table.a=007,table.b=0,table.c=-5,table.d=1.5,table.e=NULL,table.f=True,table.g=9223372036854775808,table.h={x,2,null}',
    ],
  },
  {
    name: '--set indexes grow lists with nulls, and reach into list items',
    sets: ['list[3]=x', 'first.items[1].name=b'],
  },
  { name: '--set escaped dots and commas', sets: ['table.a\\.b=c', 'keep=a\\,b'] },
  { name: '--set null deletes after the files', files: ['table:\n  a: 5\n'], sets: ['table.a=null'] },
  {
    name: '--set over files, last one wins',
    files: ['keep: file\n'],
    sets: ['keep=one', 'keep=two,table.a=3'],
  },
  { name: '--set a global into a subchart', sets: ['sub-a.global.level.two.deep=set', 'global.env=set'] },
  { name: '--set with an empty value', sets: ['keep=', 'table.a='] },
  {
    name: 'a table over a scalar default and a scalar over a table default',
    files: ['keep:\n  a: 1\ntable:\n  nested: 5\n'],
  },
  {
    name: 'import-values defaults can be overridden',
    files: ['sub-a:\n  fromNested:\n    local: 2\n    value: 7\n  sharedKey: mine\n'],
  },
  { name: 'error: a subchart key that is not a mapping', files: ['sub-a: 5\n'] },
  { name: 'error: --set into a scalar', sets: ['keep.x=1'] },
  { name: 'error: --set key without value', sets: ['table.a'] },
];

const majors: HelmMajor[] = [3, 4];

function inputs(c: { files?: string[]; sets?: string[] }, id: string): { files: string[]; sets: string[] } {
  const files = (c.files ?? []).map((text, i) => scratch.write(`${id}/f${i}.yaml`, text));
  return { files, sets: c.sets ?? [] };
}

function expectSame(helm: Merged, toolkit: Merged, context: string): void {
  if (!helm.ok || !toolkit.ok) {
    // Both must refuse the input; the wording is each tool's own.
    expect({ context, helmRefused: !helm.ok, toolkitRefused: !toolkit.ok }).toEqual({
      context,
      helmRefused: true,
      toolkitRefused: true,
    });
    return;
  }
  expect(toolkit.values).toEqual(helm.values);
}

describe.each(majors)('merge matches helm v%s template', (major) => {
  test.each(cases.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
    const { files, sets } = inputs(c, `h${major}-${i}`);
    const helm = await helmValues(major, chartDir, files, sets);
    const toolkit = toolkitValues(major, chartDir, files, sets);
    expectSame(helm, toolkit, c.name);
  });
});

// Generated cases: CONFORMANCE_SEED and CONFORMANCE_CASES replay or widen the search.
const firstSeed = Number(process.env.CONFORMANCE_SEED ?? 20250601);
const count = Number(process.env.CONFORMANCE_CASES ?? 40);

describe.each(majors)('merge matches helm v%s on generated values files and --set', (major) => {
  test(`${count} generated cases from seed ${firstSeed}`, async () => {
    const mismatches: string[] = [];
    for (let k = 0; k < count; k++) {
      const seed = firstSeed + k;
      const g = generateCase(seed);
      const { files, sets } = inputs(g, `g${major}-${seed}`);
      const helm = await helmValues(major, chartDir, files, sets);
      const toolkit = toolkitValues(major, chartDir, files, sets);
      const same =
        helm.ok && toolkit.ok
          ? JSON.stringify(sortKeys(helm.values)) === JSON.stringify(sortKeys(toolkit.values))
          : helm.ok === toolkit.ok;
      if (!same) {
        mismatches.push(
          `seed ${seed}:\n${g.files.map((f, i) => `--- f${i}.yaml\n${f}`).join('')}--set ${JSON.stringify(g.sets)}\n` +
            `helm:    ${JSON.stringify(helm.ok ? sortKeys(helm.values) : helm.error)}\n` +
            `toolkit: ${JSON.stringify(toolkit.ok ? sortKeys(toolkit.values) : toolkit.error)}`,
        );
      }
    }
    expect(mismatches).toEqual([]);
  }, 240_000);
});

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

describe.each(majors)('packaged subcharts with helm v%s', (major) => {
  test('a subchart as a .tgz archive (helm package) merges as helm reads it', async () => {
    const copy = path.join(scratch.dir, `packaged-${major}`);
    fs.cpSync(chartDir, copy, { recursive: true });
    const r = spawnSync(
      helmBinary(3),
      ['package', path.join(copy, 'charts', 'sub-b'), '-d', path.join(copy, 'charts')],
      {
        env: toolEnv(),
        encoding: 'utf8',
      },
    );
    expect(r.stderr).toBe('');
    fs.rmSync(path.join(copy, 'charts', 'sub-b'), { recursive: true });
    expect(fs.readdirSync(path.join(copy, 'charts'))).toContain('sub-b-0.5.1.tgz');
    const files = [scratch.write(`packaged-${major}.yaml`, 'second:\n  enabled: true\n  opts:\n    b: 3\n')];
    const helm = await helmValues(major, copy, files, []);
    expectSame(helm, toolkitValues(major, copy, files, []), 'packaged');
    expect(helm.ok && (helm.values as Record<string, Record<string, unknown>>).second?.port).toBe(80);
  });
});
