// Subchart schemas embedded in the umbrella's (x-subchart in schemas/values): the relaxation keeps
// every check but presence, only where dropping `required` loosens; and the generated umbrella
// schema accepts any part of a valid subchart values tree while still rejecting a deep typo.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  embedSubcharts,
  relaxed,
  subchartsOf,
  SUBCHART_KEYWORD,
  withoutIdentity,
} from '../../src/schemas/subchart';
import { repoRoot } from './helpers';

type Schema = Record<string, unknown>;

describe('relaxed()', () => {
  it('drops required at every depth and keeps types, bounds and additionalProperties', () => {
    const schema = {
      type: 'object',
      additionalProperties: false,
      required: ['a'],
      properties: {
        a: { type: 'integer', minimum: 1, maximum: 9 },
        b: {
          type: 'object',
          additionalProperties: false,
          required: ['c'],
          properties: { c: { type: 'array', items: { type: 'object', required: ['d'] } } },
        },
      },
    };
    expect(relaxed(schema)).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: {
        a: { type: 'integer', minimum: 1, maximum: 9 },
        b: {
          type: 'object',
          additionalProperties: false,
          properties: { c: { type: 'array', items: { type: 'object' } } },
        },
      },
    });
  });

  it('keeps an if as written (a condition) and relaxes its then and else', () => {
    const cond = { properties: { driver: { const: 'postgres' } }, required: ['driver'] };
    const out = relaxed({
      type: 'object',
      if: cond,
      then: { required: ['host'] },
      else: { required: ['dir'] },
    });
    expect(out).toEqual({ type: 'object', if: cond, then: {}, else: {} });
  });

  it('keeps a not as written (loosening inside it would tighten it)', () => {
    const not = { required: ['legacy'] };
    expect(relaxed({ type: 'object', not })).toEqual({ type: 'object', not });
  });

  it('turns a oneOf whose branches lose a required into an anyOf, and leaves other oneOfs', () => {
    const byKey = { type: 'object', oneOf: [{ required: ['a'] }, { required: ['b'] }] };
    expect(relaxed(byKey)).toEqual({ type: 'object', anyOf: [{}, {}] });
    const byType = { oneOf: [{ type: 'string' }, { type: 'integer' }] };
    expect(relaxed(byType)).toEqual(byType);
  });

  it('drops property dependencies and relaxes schema dependencies', () => {
    const out = relaxed({
      type: 'object',
      dependencies: {
        a: ['b'],
        c: { type: 'object', required: ['d'], properties: { d: { type: 'string' } } },
      },
    });
    expect(out).toEqual({
      type: 'object',
      dependencies: { c: { type: 'object', properties: { d: { type: 'string' } } } },
    });
  });

  it('leaves data alone: enum, const and default values that mention required', () => {
    const schema = {
      type: 'object',
      default: { required: ['x'] },
      properties: { k: { const: { required: 1 } } },
    };
    expect(relaxed(schema)).toEqual(schema);
  });
});

describe('withoutIdentity()', () => {
  it('strips nested $schema and $id but not a property named $id', () => {
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: 'values/x.schema.json',
      properties: {
        config: {
          $schema: 'http://json-schema.org/draft-07/schema#',
          $id: 'config/x.schema.json',
          type: 'object',
        },
        $id: { type: 'string' },
      },
    };
    expect(withoutIdentity(schema)).toEqual({
      properties: { config: { type: 'object' }, $id: { type: 'string' } },
    });
  });

  it('keeps one object for a subschema shared by several places (one type for the type generator)', () => {
    const shared = { type: 'string', $id: 'x' };
    const out = withoutIdentity({ properties: { a: shared, b: shared } });
    const props = out.properties as Record<string, unknown>;
    expect(props.a).toBe(props.b);
  });
});

describe('embedSubcharts()', () => {
  const sub: Schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'api chart values',
    description: 'The api chart.',
    type: 'object',
    additionalProperties: false,
    properties: { enabled: { type: 'boolean' }, port: { type: 'integer' } },
    required: ['port'],
  };
  const load = async (chart: string) => {
    if (chart !== 'api') throw new Error(`no ${chart}`);
    return sub;
  };

  it('puts the relaxed subchart schema at the key, its own keywords winning', async () => {
    const parent = {
      type: 'object',
      properties: { api: { [SUBCHART_KEYWORD]: 'api', description: 'Values of api.' } },
    };
    expect(subchartsOf(parent)).toEqual([{ chart: 'api', path: ['api'] }]);
    const out = await embedSubcharts(parent, load);
    expect((out.properties as Record<string, unknown>).api).toEqual({
      title: 'api chart values',
      description: 'Values of api.',
      type: 'object',
      additionalProperties: false,
      properties: { enabled: { type: 'boolean' }, port: { type: 'integer' } },
    });
  });

  it('embeds at any property depth', async () => {
    const parent = { properties: { group: { properties: { api: { [SUBCHART_KEYWORD]: 'api' } } } } };
    const out = await embedSubcharts(parent, load);
    expect(JSON.stringify(out)).not.toContain(SUBCHART_KEYWORD);
    expect(out).toMatchObject({
      properties: { group: { properties: { api: { title: 'api chart values' } } } },
    });
  });

  it('refuses a value that is not a chart name, and the root', async () => {
    await expect(
      embedSubcharts({ properties: { x: { [SUBCHART_KEYWORD]: 'Not A Chart' } } }, load),
    ).rejects.toThrow('x-subchart at properties.x must name a chart (got "Not A Chart")');
    await expect(embedSubcharts({ [SUBCHART_KEYWORD]: 'api' }, load)).rejects.toThrow(
      'cannot be the whole schema',
    );
  });
});

describe('the generated umbrella schema', () => {
  const read = (chart: string) =>
    JSON.parse(fs.readFileSync(path.join(repoRoot, 'charts', chart, 'values.schema.json'), 'utf8')) as Schema;
  const umbrella = read('techcommerce');
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  const check = ajv.compile(umbrella);
  const subcharts = ['frontend', 'product-api', 'order-api', 'postgresql', 'monitoring'];

  it.each(subcharts)('embeds charts/%s/values.schema.json less its required lists', (chart) => {
    const embedded = (umbrella.properties as Record<string, Schema>)[chart] as Schema;
    const { description: _d, ...expected } = relaxed(withoutIdentity(read(chart)));
    const { description: _e, ...actual } = embedded;
    expect(actual).toEqual(expected);
  });

  const valuesOf = (chart: string) =>
    parse(fs.readFileSync(path.join(repoRoot, 'charts', chart, 'values.yaml'), 'utf8')) as Schema;

  it.each(subcharts)("accepts %s's whole values.yaml, any one of its keys alone, and nothing", (chart) => {
    const values = valuesOf(chart);
    const documents = [values, {}, ...Object.entries(values).map(([k, v]) => ({ [k]: v }))];
    for (const doc of documents) {
      // In the umbrella's own values.yaml, in place of what it sets for the subchart.
      const ok = check({ ...valuesOf('techcommerce'), [chart]: doc });
      expect({ doc, errors: ok ? null : check.errors }).toEqual({ doc, errors: null });
    }
  });

  it('rejects a typo deep under a subchart key', () => {
    expect(check({ 'product-api': { config: { database: { sslmode: 'require' } } } })).toBe(false);
    expect(check.errors).toContainEqual(
      expect.objectContaining({
        instancePath: '/product-api/config/database',
        keyword: 'additionalProperties',
        params: { additionalProperty: 'sslmode' },
      }),
    );
  });
});
