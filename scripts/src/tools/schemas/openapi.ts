// Kubernetes' swagger (OpenAPI v2) → one JSON Schema per kind, in the file layout kubeconform's
// -schema-location template expects ({kind}-{group}-{version}.json). Each file is standalone:
// the root schema plus, under "definitions", only the definitions it reaches (kept as local
// $refs because some, like JSONSchemaProps, are recursive and cannot be inlined).

export type Schema = { [key: string]: unknown };

export interface Swagger {
  definitions: Record<string, Schema>;
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface Options {
  /** additionalProperties: false on every object with declared properties (kubeconform -strict). */
  strict: boolean;
}

const REF_PREFIX = '#/definitions/';
// Kubernetes serialises quantities as strings, but YAML authors write `cpu: 1`.
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

/** kubeconform's file name for a kind: "deployment-apps-v1.json", "pod-v1.json", "ingress-networking-v1.json". */
export function schemaFileName(gvk: GroupVersionKind): string {
  const group = gvk.group ? `-${gvk.group.split('.')[0]?.toLowerCase()}` : '';
  return `${gvk.kind.toLowerCase()}${group}-${gvk.version.toLowerCase()}.json`;
}

export function apiVersionOf(gvk: GroupVersionKind): string {
  return gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
}

function refName(ref: unknown): string | undefined {
  return typeof ref === 'string' && ref.startsWith(REF_PREFIX) ? ref.slice(REF_PREFIX.length) : undefined;
}

/** Names of all definitions reachable from `root` through $refs (root included). */
export function reachable(definitions: Record<string, Schema>, root: string): string[] {
  const seen = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const name = refName((node as Schema).$ref);
    if (name && !seen.has(name)) {
      if (!definitions[name]) throw new Error(`$ref to unknown definition ${name}`);
      seen.add(name);
      visit(definitions[name]);
    }
    Object.values(node).forEach(visit);
  };
  seen.add(root);
  visit(definitions[root]);
  return [...seen].sort();
}

/** A JSON-Schema node rewritten for validation: types that YAML writes differently, nulls, strictness. */
function convert(node: unknown, opts: Options, nullable: boolean): unknown {
  if (Array.isArray(node)) return node.map((n) => convert(n, opts, nullable));
  if (!node || typeof node !== 'object') return node;
  const src = node as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(src)) {
    if (key.startsWith('x-kubernetes-')) continue;
    if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(
        Object.entries(value as Schema).map(([p, s]) => [p, convert(s, opts, true)]),
      );
    } else if (key === 'items' || key === 'additionalProperties') {
      out[key] = typeof value === 'object' ? convert(value, opts, true) : value;
    } else {
      out[key] = value;
    }
  }
  if (src.format === 'int-or-string') {
    delete out.type;
    delete out.format;
    out.oneOf = [{ type: 'string' }, { type: 'integer' }];
  }
  // Kubernetes treats an explicit null like an absent field (helm renders `key:` as null).
  if (nullable && typeof out.type === 'string') out.type = [out.type, 'null'];
  if (nullable && Array.isArray(out.oneOf)) out.oneOf = [...(out.oneOf as Schema[]), { type: 'null' }];
  if (opts.strict && out.properties && out.additionalProperties === undefined)
    out.additionalProperties = false;
  return out;
}

function convertDefinition(name: string, schema: Schema, opts: Options, nullable: boolean): unknown {
  if (name === QUANTITY) {
    const { type: _type, ...rest } = schema;
    const types: Schema[] = [{ type: 'string' }, { type: 'number' }];
    if (nullable) types.push({ type: 'null' });
    return { ...(convert(rest, opts, false) as Schema), oneOf: types };
  }
  return convert(schema, opts, nullable);
}

/** The standalone schema kubeconform loads for one kind. */
export function standaloneSchema(
  swagger: Swagger,
  definition: string,
  gvk: GroupVersionKind,
  opts: Options,
): Schema {
  const root = swagger.definitions[definition];
  if (!root) throw new Error(`unknown definition ${definition}`);
  const out = convertDefinition(definition, root, opts, false) as Schema;
  const props = { ...((out.properties as Schema | undefined) ?? {}) };
  // A file per kind: pin apiVersion and kind so a document cannot borrow another kind's schema.
  if (props.apiVersion) props.apiVersion = { ...(props.apiVersion as Schema), enum: [apiVersionOf(gvk)] };
  if (props.kind) props.kind = { ...(props.kind as Schema), enum: [gvk.kind] };
  out.properties = props;
  const deps = reachable(swagger.definitions, definition).filter((d) => d !== definition);
  const usesSelf = JSON.stringify(root).includes(`"${REF_PREFIX}${definition}"`);
  const defs: Schema = {};
  for (const d of usesSelf ? [...deps, definition] : deps) {
    defs[d] = convertDefinition(d, swagger.definitions[d] as Schema, opts, true);
  }
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...out, definitions: defs };
}

export interface SchemaFile {
  file: string;
  schema: Schema;
}

/** Every kind in the swagger (definitions carrying x-kubernetes-group-version-kind). */
export function kubernetesSchemas(swagger: Swagger, opts: Options): SchemaFile[] {
  const files: SchemaFile[] = [];
  for (const [name, def] of Object.entries(swagger.definitions)) {
    const gvks = def['x-kubernetes-group-version-kind'] as GroupVersionKind[] | undefined;
    for (const gvk of gvks ?? []) {
      files.push({ file: schemaFileName(gvk), schema: standaloneSchema(swagger, name, gvk, opts) });
    }
  }
  return files;
}
