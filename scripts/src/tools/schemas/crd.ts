// CustomResourceDefinitions → kubeconform schemas, one per served version, in the layout of
// kubeconform's CRD template: {group}/{kind}_{version}.json (kind lower-cased).
import type { Schema, SchemaFile } from './openapi';

interface CrdVersion {
  name: string;
  served?: boolean;
  schema?: { openAPIV3Schema?: Schema };
}

interface Crd {
  kind?: string;
  spec?: { group?: string; names?: { kind?: string }; versions?: CrdVersion[] };
}

/** Structural-schema extensions become plain JSON Schema; strict mode closes every typed object. */
function convert(node: unknown, strict: boolean): unknown {
  if (Array.isArray(node)) return node.map((n) => convert(n, strict));
  if (!node || typeof node !== 'object') return node;
  const src = node as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(src)) {
    if (key.startsWith('x-kubernetes-') || key === 'nullable') continue;
    out[key] = key === 'properties' ? mapValues(value as Schema, strict) : convert(value, strict);
  }
  if (src['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (src.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  const open = src['x-kubernetes-preserve-unknown-fields'] === true;
  if (strict && !open && out.properties && out.additionalProperties === undefined)
    out.additionalProperties = false;
  return out;
}

function mapValues(props: Schema, strict: boolean): Schema {
  return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, convert(v, strict)]));
}

/** The schema files for one CRD document; anything that is not a CRD with schemas is an error. */
export function crdSchemas(doc: unknown, strict: boolean): SchemaFile[] {
  const crd = doc as Crd;
  const group = crd?.spec?.group;
  const kind = crd?.spec?.names?.kind;
  if (crd?.kind !== 'CustomResourceDefinition' || !group || !kind) {
    throw new Error('not a CustomResourceDefinition with spec.group and spec.names.kind');
  }
  const files: SchemaFile[] = [];
  for (const v of crd.spec?.versions ?? []) {
    const root = v.schema?.openAPIV3Schema;
    if (!root || v.served === false) continue;
    const schema = convert(root, strict) as Schema;
    files.push({
      file: `${group}/${kind.toLowerCase()}_${v.name}.json`,
      schema: { $schema: 'http://json-schema.org/draft-07/schema#', ...schema },
    });
  }
  if (files.length === 0) throw new Error(`CRD ${kind}.${group} has no served version with a schema`);
  return files;
}
