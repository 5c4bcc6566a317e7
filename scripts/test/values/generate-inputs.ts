// Random values files and --set arguments for the merge property tests: keys drawn from the
// conformance chart's own keys (so they collide with defaults, subcharts and globals), YAML 1.1
// scalars written as plain text (so the scalar rules are exercised too), nulls everywhere.

/** mulberry32: a small seeded generator, so a failing case can be replayed from its seed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOP_KEYS = [
  'global',
  'keep',
  'gone',
  'table',
  'list',
  'sub-a',
  'first',
  'second',
  'sub-c',
  'lib',
  'tags',
  'extra',
];
const TABLE_KEYS = ['global', 'sub-a', 'first', 'second', 'sub-c', 'lib', 'tags'];
const INNER_KEYS = [
  'a',
  'b',
  'c',
  'd',
  'x',
  'nested',
  'table',
  'enabled',
  'fromParent',
  'dropMe',
  'nullDefault',
  'list',
  'level',
  'two',
  'deep',
  'three',
  'env',
  'opts',
  'port',
  'name',
  'fromNested',
  'local',
  'inner',
  'v',
  'subC',
  'global',
];
/** Plain scalars whose meaning differs between YAML 1.1 (go-yaml v2) and 1.2, plus ordinary ones. */
const SCALARS = [
  'null',
  '~',
  'true',
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  'True',
  '0',
  '7',
  '-3',
  '+12',
  '0777',
  '0o17',
  '0x1F',
  '1_000',
  '1e3',
  '.5',
  '1.5',
  '089',
  'abc',
  'latest',
  '"quoted yes"',
  "'0777'",
  '2001-12-14',
  '1:30',
  '""',
];
const SET_VALUES = [
  'true',
  'FALSE',
  'null',
  '0',
  '007',
  '42',
  '-1',
  '1.5',
  'abc',
  '{a,b}',
  '{1,true,null}',
  '',
];

export interface GeneratedCase {
  seed: number;
  files: string[];
  sets: string[];
}

export function generateCase(seed: number): GeneratedCase {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const files: string[] = [];
  const nFiles = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < nFiles; i++) files.push(mapping(0, TOP_KEYS));
  const sets: string[] = [];
  const nSets = Math.floor(rnd() * 3);
  for (let i = 0; i < nSets; i++) sets.push(setArgument());
  return { seed, files, sets };

  function mapping(depth: number, keys: readonly string[]): string {
    const n = 1 + Math.floor(rnd() * (depth === 0 ? 5 : 3));
    const used = new Set<string>();
    const lines: string[] = [];
    for (let i = 0; i < n; i++) {
      const k = pick(keys);
      if (used.has(k)) continue;
      used.add(k);
      lines.push(...entry(k, depth));
    }
    return `${lines.join('\n')}\n`;
  }

  function entry(key: string, depth: number): string[] {
    const pad = '  '.repeat(depth);
    // Subchart keys and global are mappings in any values file that works: mostly keep them so.
    const r = depth === 0 && TABLE_KEYS.includes(key) ? 0.15 + rnd() * 0.4 : rnd();
    if (r < 0.2) return [`${pad}${key}: null`];
    if (r < 0.55 && depth < 3) {
      const inner = mapping(depth + 1, INNER_KEYS)
        .trimEnd()
        .split('\n');
      return [`${pad}${key}:`, ...inner];
    }
    if (r < 0.65) {
      const items = Array.from({ length: Math.floor(rnd() * 3) }, () => pick(SCALARS));
      return [`${pad}${key}: [${items.join(', ')}]`];
    }
    if (r < 0.7) return [`${pad}${key}: {}`];
    return [`${pad}${key}: ${pick(SCALARS)}`];
  }

  function setArgument(): string {
    const parts = 1 + Math.floor(rnd() * 2);
    const assignments: string[] = [];
    for (let i = 0; i < parts; i++) {
      const depth = 1 + Math.floor(rnd() * 3);
      const path = [pick(TOP_KEYS)];
      for (let d = 1; d < depth; d++) path.push(pick(INNER_KEYS));
      let key = path.join('.');
      if (rnd() < 0.15) key += `[${Math.floor(rnd() * 3)}]`;
      assignments.push(`${key}=${pick(SET_VALUES)}`);
    }
    return assignments.join(',');
  }
}
