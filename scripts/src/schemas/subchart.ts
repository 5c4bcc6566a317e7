// Subchart schemas embedded in a parent chart's schema. A source schema says
//   "product-api": { "x-subchart": "product-api", "description": "…" }
// and the generator puts the subchart's own (self-contained) schema there, relaxed so that it
// accepts any part of a valid subchart values tree: `helm lint` checks the parent's values file
// before the subchart's defaults are merged in, so a `required` from the subchart would reject
// every file that sets only a few keys. Everything else (types, bounds, enums, additionalProperties
// false) stays, so a typo deep under a subchart's key fails the parent's own schema too; Helm
// still checks the merged values against the subchart's full schema at install.
type Schema = Record<string, unknown>;

export const SUBCHART_KEYWORD = 'x-subchart';

/** Loads the self-contained values schema of a chart by name (schemas/values/<name>.schema.json). */
export type SchemaLoader = (chart: string) => Promise<Schema>;

/** Where each embedded subchart sits: its name and the path of its key in the parent. */
export interface Embedded {
  chart: string;
  path: string[];
}

/** The parent schema with every x-subchart node replaced by the relaxed subchart schema. */
export async function embedSubcharts(schema: Schema, load: SchemaLoader): Promise<Schema> {
  return replaceSubcharts(schema, async (node, chart) => ({
    ...relaxed(withoutIdentity(await load(chart))),
    ...siblings(node),
  }));
}

/**
 * The parent schema with each x-subchart node reduced to a summary (its own keywords and the
 * subchart's `enabled`): what the parent's README lists, pointing at the subchart's README for
 * the rest instead of repeating every subchart key.
 */
export async function summarizeSubcharts(schema: Schema, load: SchemaLoader): Promise<Schema> {
  return replaceSubcharts(schema, async (node, chart) => {
    const sub = await load(chart);
    const enabled = (sub.properties as Schema | undefined)?.enabled;
    return { type: 'object', ...(enabled ? { properties: { enabled } } : {}), ...siblings(node) };
  });
}

/** Every x-subchart node of a source schema, by the property path it sits at. */
export function subchartsOf(schema: Schema): Embedded[] {
  const out: Embedded[] = [];
  walk(schema, [], (node, path) => {
    if (SUBCHART_KEYWORD in node) out.push({ chart: subchartName(node, path), path });
  });
  return out;
}

async function replaceSubcharts(
  schema: Schema,
  replace: (node: Schema, chart: string) => Promise<Schema>,
): Promise<Schema> {
  const found = subchartsOf(schema);
  let out = schema;
  for (const { chart, path } of found) {
    const node = at(out, path);
    out = withPropertyAt(out, path, await replace(node, chart));
  }
  return out;
}

function subchartName(node: Schema, path: string[]): string {
  const name = node[SUBCHART_KEYWORD];
  const where = path.length ? `properties.${path.join('.properties.')}` : 'the root';
  if (typeof name !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name))
    throw new Error(`${SUBCHART_KEYWORD} at ${where} must name a chart (got ${JSON.stringify(name)})`);
  if (path.length === 0) throw new Error(`${SUBCHART_KEYWORD} cannot be the whole schema (at the root)`);
  return name;
}

/** The node's own keywords (description, title…) override the subchart schema's. */
function siblings(node: Schema): Schema {
  const { [SUBCHART_KEYWORD]: _name, ...rest } = node;
  return rest;
}

// --- the walk over schema positions ------------------------------------------------------------

// Keywords whose value is a map of name -> schema, one schema, or a list of schemas (draft-07).
const SCHEMA_MAPS = ['properties', 'patternProperties', 'definitions'];
const SCHEMA_ONE = ['additionalProperties', 'additionalItems', 'contains', 'propertyNames', 'not'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'];
const CONDITION = ['if', 'then', 'else'];

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Visits each schema reachable through `properties` (the positions a values key can have). */
function walk(schema: Schema, path: string[], visit: (node: Schema, path: string[]) => void): void {
  visit(schema, path);
  const props = schema.properties;
  if (isSchema(props))
    for (const [k, sub] of Object.entries(props)) if (isSchema(sub)) walk(sub, [...path, k], visit);
}

function at(schema: Schema, path: string[]): Schema {
  let cur = schema;
  for (const k of path) cur = (cur.properties as Schema)[k] as Schema;
  return cur;
}

function withPropertyAt(schema: Schema, path: string[], value: Schema): Schema {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  const props = schema.properties as Schema;
  return {
    ...schema,
    properties: { ...props, [head]: withPropertyAt(props[head] as Schema, rest, value) },
  };
}

/** Applies `f` to every direct subschema of a schema (data keywords like enum or default untouched). */
function mapSubschemas(schema: Schema, f: (sub: Schema, keyword: string) => Schema): Schema {
  const out: Schema = { ...schema };
  for (const k of SCHEMA_MAPS) {
    const m = schema[k];
    if (isSchema(m))
      out[k] = Object.fromEntries(Object.entries(m).map(([n, s]) => [n, isSchema(s) ? f(s, k) : s]));
  }
  for (const k of [...SCHEMA_ONE, ...CONDITION]) {
    const s = schema[k];
    if (isSchema(s)) out[k] = f(s, k);
  }
  for (const k of SCHEMA_LISTS) {
    const l = schema[k];
    if (Array.isArray(l)) out[k] = l.map((s) => (isSchema(s) ? f(s, k) : s));
  }
  const items = schema.items;
  if (Array.isArray(items)) out.items = items.map((s) => (isSchema(s) ? f(s, 'items') : s));
  else if (isSchema(items)) out.items = f(items, 'items');
  const deps = schema.dependencies;
  if (isSchema(deps))
    out.dependencies = Object.fromEntries(
      Object.entries(deps).map(([n, d]) => [n, isSchema(d) ? f(d, 'dependencies') : d]),
    );
  return out;
}

/**
 * Without nested `$schema`/`$id`: an embedded copy must not change the parent's base URI. A
 * subschema shared by several places (one inlined $ref) stays one object, so type generation
 * still sees one type.
 */
export function withoutIdentity(schema: Schema, done = new WeakMap<Schema, Schema>()): Schema {
  const hit = done.get(schema);
  if (hit) return hit;
  const { $schema: _s, $id: _i, ...rest } = schema;
  const out = mapSubschemas(rest, (sub) => withoutIdentity(sub, done));
  done.set(schema, out);
  return out;
}

function mentionsRequired(schema: Schema): boolean {
  if ('required' in schema) return true;
  if (isSchema(schema.dependencies) && Object.values(schema.dependencies).some(Array.isArray)) return true;
  let found = false;
  mapSubschemas(schema, (sub) => {
    found ||= mentionsRequired(sub);
    return sub;
  });
  return found;
}

/**
 * The schema without presence requirements, so that every value it accepted is still accepted,
 * and so is any part of it: `required` and property dependencies go. Only where that is a pure
 * loosening: an `if` stays as written (it is a condition: loosened, it would apply its `then` to
 * more values), a `not` stays as written (loosening inside it would tighten it), and a `oneOf`
 * whose branches lose a `required` becomes an `anyOf` (loosened branches may overlap).
 */
export function relaxed(schema: Schema): Schema {
  const { required: _required, ...rest } = schema;
  if (isSchema(rest.dependencies)) {
    rest.dependencies = Object.fromEntries(
      Object.entries(rest.dependencies).filter(([, d]) => !Array.isArray(d)),
    );
    if (Object.keys(rest.dependencies as Schema).length === 0) delete rest.dependencies;
  }
  if (Array.isArray(rest.oneOf) && rest.oneOf.some((b) => isSchema(b) && mentionsRequired(b))) {
    if (rest.anyOf !== undefined)
      throw new Error('a schema with both oneOf and anyOf cannot be relaxed for embedding');
    rest.anyOf = rest.oneOf;
    delete rest.oneOf;
  }
  return mapSubschemas(rest, (sub, keyword) => (keyword === 'if' || keyword === 'not' ? sub : relaxed(sub)));
}
