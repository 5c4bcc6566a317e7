// Turns ajv's errors into "where: what" pairs a person can act on, shared by config validation
// (start-up messages) and request validation (400 problems).
import type { ErrorObject } from 'ajv';

export interface FieldProblem {
  field: string;
  message: string;
}

export function describeAjvErrors(errors: ErrorObject[], prefix = ''): FieldProblem[] {
  const seen = new Set<string>();
  const out: FieldProblem[] = [];
  const add = (field: string, message: string) => {
    const key = `${field}\0${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ field: field || '(root)', message });
  };
  for (const e of errors) {
    // if/then and oneOf wrappers only repeat what their inner errors already say.
    if (e.keyword === 'if' || e.keyword === 'then' || e.keyword === 'oneOf' || e.keyword === 'anyOf')
      continue;
    const at = join(prefix, jsonPointerToPath(e.instancePath));
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'required':
        add(join(at, String(p.missingProperty)), 'is required');
        break;
      case 'additionalProperties':
        add(join(at, String(p.additionalProperty)), 'is not an allowed key');
        break;
      case 'enum':
        add(at, `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`);
        break;
      case 'const':
        add(at, `must be ${JSON.stringify(p.allowedValue)}`);
        break;
      case 'false schema': {
        // dependentSchemas: { a: { properties: { b: false } } } is "b cannot be sent with a".
        const m = /\/dependentSchemas\/([^/]+)\/properties\//.exec(e.schemaPath);
        add(at, m ? `cannot be sent together with ${m[1]}` : 'is not allowed');
        break;
      }
      default:
        add(at, e.message ?? `fails ${e.keyword}`);
    }
  }
  return out;
}

/** "/items/0/quantity" -> "items[0].quantity" */
export function jsonPointerToPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^[0-9]+$/.test(part) ? `[${part}]` : out ? `.${part}` : part;
  }
  return out;
}

function join(a: string, b: string): string {
  if (!a) return b;
  if (!b) return a;
  return b.startsWith('[') ? `${a}${b}` : `${a}.${b}`;
}
