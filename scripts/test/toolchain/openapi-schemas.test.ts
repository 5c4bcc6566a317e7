// The swagger → kubeconform converter on a small swagger of the same shape as Kubernetes' own,
// checked by validating documents against the output with a real JSON Schema validator.
import Ajv from 'ajv';
import {
  kubernetesSchemas,
  reachable,
  schemaFileName,
  standaloneSchema,
  type Swagger,
} from '../../src/tools/schemas/openapi';

const ref = (name: string) => ({ $ref: `#/definitions/${name}` });

const swagger: Swagger = {
  definitions: {
    'io.k8s.api.apps.v1.Widget': {
      type: 'object',
      required: ['spec'],
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        spec: ref('io.k8s.api.apps.v1.WidgetSpec'),
      },
      'x-kubernetes-group-version-kind': [{ group: 'apps', version: 'v1', kind: 'Widget' }],
    },
    'io.k8s.api.apps.v1.WidgetSpec': {
      type: 'object',
      properties: {
        replicas: { type: 'integer', format: 'int32' },
        port: ref('io.k8s.apimachinery.pkg.util.intstr.IntOrString'),
        memory: ref('io.k8s.apimachinery.pkg.api.resource.Quantity'),
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        tree: ref('io.k8s.api.apps.v1.Tree'),
      },
    },
    'io.k8s.api.apps.v1.Tree': {
      type: 'object',
      properties: {
        name: { type: 'string' },
        children: { type: 'array', items: ref('io.k8s.api.apps.v1.Tree') },
      },
    },
    'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { type: 'string', format: 'int-or-string' },
    'io.k8s.apimachinery.pkg.api.resource.Quantity': { type: 'string' },
    'io.k8s.api.core.v1.Unrelated': { type: 'object', properties: { x: { type: 'string' } } },
    'io.k8s.api.core.v1.Thing': {
      type: 'object',
      properties: { apiVersion: { type: 'string' }, kind: { type: 'string' } },
      'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Thing' }],
    },
  },
};

const widget = {
  apiVersion: 'apps/v1',
  kind: 'Widget',
  spec: {
    replicas: 2,
    port: 'http',
    memory: '128Mi',
    labels: { a: 'b' },
    tree: { name: 'root', children: [{ name: 'leaf', children: [] }] },
  },
};

function validator(strict: boolean) {
  const schema = standaloneSchema(
    swagger,
    'io.k8s.api.apps.v1.Widget',
    { group: 'apps', version: 'v1', kind: 'Widget' },
    { strict },
  );
  const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
  return (doc: unknown) =>
    validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('swagger → kubeconform schemas', () => {
  it("names files the way kubeconform's template looks them up", () => {
    expect(schemaFileName({ group: 'apps', version: 'v1', kind: 'Deployment' })).toBe(
      'deployment-apps-v1.json',
    );
    expect(schemaFileName({ group: '', version: 'v1', kind: 'Pod' })).toBe('pod-v1.json');
    expect(schemaFileName({ group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy' })).toBe(
      'networkpolicy-networking-v1.json',
    );
    expect(
      kubernetesSchemas(swagger, { strict: true })
        .map((f) => f.file)
        .sort(),
    ).toEqual(['thing-v1.json', 'widget-apps-v1.json']);
  });

  it('keeps only reachable definitions, and a recursive one as a local $ref', () => {
    expect(reachable(swagger.definitions, 'io.k8s.api.apps.v1.Widget')).not.toContain(
      'io.k8s.api.core.v1.Unrelated',
    );
    const schema = standaloneSchema(
      swagger,
      'io.k8s.api.apps.v1.Widget',
      { group: 'apps', version: 'v1', kind: 'Widget' },
      { strict: true },
    );
    expect(Object.keys(schema.definitions as object).sort()).toEqual([
      'io.k8s.api.apps.v1.Tree',
      'io.k8s.api.apps.v1.WidgetSpec',
      'io.k8s.apimachinery.pkg.api.resource.Quantity',
      'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
    ]);
    expect(JSON.stringify(schema)).not.toContain('x-kubernetes-');
  });

  it('accepts a valid document, including ints for int-or-string, numbers for quantities and nulls', () => {
    const validate = validator(true);
    expect(validate(widget)).toEqual([]);
    expect(validate({ ...widget, spec: { ...widget.spec, port: 8080, memory: 1, replicas: null } })).toEqual(
      [],
    );
  });

  it('rejects wrong types, a missing required field and another kind borrowing the schema', () => {
    const validate = validator(false);
    expect(validate({ ...widget, spec: { ...widget.spec, replicas: 'two' } }).join()).toContain(
      '/spec/replicas',
    );
    expect(validate({ ...widget, spec: { ...widget.spec, port: true } }).join()).toContain('/spec/port');
    expect(validate({ apiVersion: 'apps/v1', kind: 'Widget' }).join()).toContain(
      "must have required property 'spec'",
    );
    expect(validate({ ...widget, kind: 'Gadget' }).join()).toContain('/kind');
    expect(validate({ ...widget, apiVersion: 'apps/v2' }).join()).toContain('/apiVersion');
  });

  it('rejects unknown fields only in the strict variant, at every depth, but not in maps', () => {
    const typo = { ...widget, spec: { ...widget.spec, tree: { name: 'r', children: [{ nme: 'x' }] } } };
    expect(validator(true)(typo).join()).toContain('must NOT have additional properties');
    expect(validator(false)(typo)).toEqual([]);
    expect(validator(true)({ ...widget, spec: { ...widget.spec, labels: { any: 'key' } } })).toEqual([]);
  });
});
