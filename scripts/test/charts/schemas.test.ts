// Properties of the values schemas that Helm cannot check by itself: every property is described,
// plaintext secrets are marked writeOnly (and only they are), chart roots are strict yet accept
// what Helm passes them (global, enabled, the library's key), and a scalar schema default never
// contradicts the chart's values.yaml. Reads the generated values.schema.json ($refs inlined).
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CHARTS, chartsDir, UMBRELLA } from './helpers';

type Schema = {
  description?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  if?: Schema;
  then?: Schema;
  else?: Schema;
  default?: unknown;
  writeOnly?: boolean;
};

const charts = CHARTS.filter((c) => c !== 'common');
const schemaOf = (chart: string) =>
  JSON.parse(fs.readFileSync(path.join(chartsDir, chart, 'values.schema.json'), 'utf8')) as Schema;
const valuesOf = (chart: string) =>
  parse(fs.readFileSync(path.join(chartsDir, chart, 'values.yaml'), 'utf8')) as unknown;

/**
 * Every property schema with its dotted path, through allOf/anyOf/oneOf/items. if/then/else only
 * refine properties declared elsewhere ("then host is required"), so they are not walked.
 */
function* properties(schema: Schema, at: string): Generator<{ path: string; schema: Schema }> {
  for (const sub of [...(schema.allOf ?? []), ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])])
    yield* properties(sub, at);
  if (schema.items) yield* properties(schema.items, at);
  if (typeof schema.additionalProperties === 'object')
    yield* properties(schema.additionalProperties, `${at}.*`);
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    const p = at ? `${at}.${key}` : key;
    yield { path: p, schema: sub };
    yield* properties(sub, p);
  }
}

const described = (s: Schema): boolean => Boolean(s.description) || (s.allOf ?? []).some(described);
const defaultOf = (s: Schema): unknown =>
  s.default !== undefined ? s.default : (s.allOf ?? []).map(defaultOf).find((d) => d !== undefined);

function valueAt(values: unknown, dotted: string): unknown {
  let v: unknown = values;
  for (const key of dotted.split('.')) {
    if (v === null || typeof v !== 'object' || !(key in v)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

describe.each(charts)('values schema of charts/%s', (chart) => {
  const schema = schemaOf(chart);
  const all = [...properties(schema, '')];

  it('describes every property', () => {
    const bare = all.filter((p) => !described(p.schema) && !p.path.endsWith('.*')).map((p) => p.path);
    expect(bare).toEqual([]);
  });

  it('marks exactly the plaintext secret values writeOnly', () => {
    const writeOnly = [...new Set(all.filter((p) => p.schema.writeOnly).map((p) => p.path))];
    const secretValues = [
      ...new Set(
        all.filter((p) => /(^|\.)secrets\.(?!existingSecret$)[^.]+$/.test(p.path)).map((p) => p.path),
      ),
    ];
    expect(writeOnly.sort()).toEqual(secretValues.sort());
  });

  it('is strict at the root and declares what Helm passes in (global, enabled, common)', () => {
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties ?? {})).toEqual(expect.arrayContaining(['global', 'common']));
    if (chart !== UMBRELLA) expect(Object.keys(schema.properties ?? {})).toContain('enabled');
  });

  // A parent chart that depends on this one passes its own globals down: global is open, but
  // the keys this project defines stay typed (the values CLI warns about the others).
  it("keeps global open to a parent chart's keys and its own keys typed", () => {
    const global = schema.properties?.global;
    expect(global?.additionalProperties).toBe(true);
    expect(Object.keys(global?.properties ?? {}).sort()).toEqual(
      ['environment', 'imagePullSecrets', 'imageRegistry', 'monitoring'].sort(),
    );
    expect(global?.properties?.monitoring?.additionalProperties).toBe(false);
  });

  // A mapping default is what a service uses when the whole block is absent (a laptop run, e.g.
  // apis.productApi -> localhost); a chart may fill the block in for a cluster. A scalar or list
  // default is one value, shown in the README: values.yaml must agree with it.
  it('has no scalar or list schema default that contradicts values.yaml', () => {
    const values = valuesOf(chart);
    const isMapping = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
    const clashes = all
      .map((p) => ({ path: p.path, schemaDefault: defaultOf(p.schema), value: valueAt(values, p.path) }))
      .filter(
        (p) =>
          p.schemaDefault !== undefined &&
          !isMapping(p.schemaDefault) &&
          p.value !== undefined &&
          JSON.stringify(p.schemaDefault) !== JSON.stringify(p.value),
      );
    expect(clashes).toEqual([]);
  });
});

describe('umbrella values.yaml', () => {
  it('lists every subchart under its own key, enabled or not', () => {
    const values = valuesOf(UMBRELLA) as Record<string, { enabled?: boolean }>;
    for (const sub of ['frontend', 'product-api', 'order-api', 'postgresql', 'monitoring']) {
      expect(`${sub}.enabled: ${typeof values[sub]?.enabled}`).toBe(`${sub}.enabled: boolean`);
    }
  });
});
