import Ajv from 'ajv';
import { crdSchemas } from '../../src/tools/schemas/crd';

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'monitors.example.com' },
  spec: {
    group: 'example.com',
    names: { kind: 'Monitor', plural: 'monitors' },
    versions: [
      {
        name: 'v1',
        served: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            required: ['spec'],
            properties: {
              apiVersion: { type: 'string' },
              kind: { type: 'string' },
              metadata: { type: 'object' },
              spec: {
                type: 'object',
                properties: {
                  port: { 'x-kubernetes-int-or-string': true },
                  interval: { type: 'string', pattern: '^[0-9]+s$' },
                  comment: { type: 'string', nullable: true },
                  extra: {
                    type: 'object',
                    'x-kubernetes-preserve-unknown-fields': true,
                    properties: { known: { type: 'string' } },
                  },
                },
              },
            },
          },
        },
      },
      { name: 'v1beta1', served: false, schema: { openAPIV3Schema: { type: 'object' } } },
    ],
  },
};

const monitor = {
  apiVersion: 'example.com/v1',
  kind: 'Monitor',
  metadata: { name: 'm' },
  spec: { port: 'http', interval: '30s' },
};

function validator(strict: boolean) {
  const [file] = crdSchemas(crd, strict);
  const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(
    file?.schema ?? {},
  );
  return (doc: unknown) =>
    validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('CRD → kubeconform schemas', () => {
  it("writes one file per served version, named like kubeconform's CRD template", () => {
    expect(crdSchemas(crd, true).map((f) => f.file)).toEqual(['example.com/monitor_v1.json']);
  });

  it('accepts valid resources: int-or-string either way, nullable fields, open objects', () => {
    const validate = validator(true);
    expect(validate(monitor)).toEqual([]);
    expect(validate({ ...monitor, spec: { port: 9090, comment: null, extra: { anything: 1 } } })).toEqual([]);
  });

  it('rejects bad values, and unknown fields in strict mode only', () => {
    expect(validator(false)({ ...monitor, spec: { interval: '30 seconds' } }).join()).toContain(
      '/spec/interval',
    );
    expect(validator(false)({ ...monitor, spec: { port: false } }).join()).toContain('/spec/port');
    const typo = { ...monitor, spec: { ...monitor.spec, intervall: '30s' } };
    expect(validator(true)(typo).join()).toContain('must NOT have additional properties');
    expect(validator(false)(typo)).toEqual([]);
  });

  it('refuses documents that are not CRDs', () => {
    expect(() => crdSchemas({ kind: 'ConfigMap' }, true)).toThrow(/not a CustomResourceDefinition/);
  });
});
