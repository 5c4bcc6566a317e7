// Request validation from the service's OpenAPI 3.1 document: the document served at
// /openapi.json is the one that checks path parameters, query and body, so they cannot drift.
// Query and path values are coerced to the declared types and defaults are filled in.
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describeAjvErrors, type FieldProblem } from '../validation';
import { validationError } from './problem';
import type { RequestContext } from './types';

type JsonSchema = Record<string, unknown>;

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
}

export interface OpenApiOperation {
  operationId?: string;
  parameters?: (OpenApiParameter | { $ref: string })[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: JsonSchema }> };
  [key: string]: unknown;
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; [key: string]: unknown };
  paths: Record<string, Record<string, unknown>>;
  components?: {
    schemas?: Record<string, JsonSchema>;
    parameters?: Record<string, OpenApiParameter>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export type RequestValidator = (ctx: RequestContext) => void;

const DOC_ID = 'urn:techcommerce:openapi';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** /products/:id -> /products/{id} */
export const toOpenApiPath = (template: string) => template.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function newAjv(coerce: boolean) {
  const ajv = new Ajv2020({
    allErrors: true,
    useDefaults: true,
    coerceTypes: coerce ? 'array' : false,
    strict: true,
    allowUnionTypes: true,
  });
  addFormats(ajv);
  ajv.addKeyword('example');
  return ajv;
}

/**
 * A validator for one self-contained JSON Schema (2020-12), with the same ajv settings that check
 * requests: a caller can check what it is about to send (a form) against the API's own schema.
 * Returns the problems, each field prefixed with `prefix`; none when the value is valid.
 */
export function compileSchema(schema: JsonSchema): (value: unknown, prefix?: string) => FieldProblem[] {
  const check = newAjv(false).compile(schema);
  return (value, prefix = '') => (check(value) ? [] : describeAjvErrors(check.errors ?? [], prefix));
}

// Component refs point into the document; inside ajv they point into one registered schema.
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')
          ? `${DOC_ID}#/$defs/${v.slice('#/components/schemas/'.length)}`
          : rewriteRefs(v);
    }
    return out;
  }
  return value;
}

export class OpenApiValidators {
  private readonly coercing = newAjv(true);
  private readonly strictAjv = newAjv(false);

  constructor(private readonly doc: OpenApiDocument) {
    const defs = rewriteRefs(doc.components?.schemas ?? {});
    for (const ajv of [this.coercing, this.strictAjv]) ajv.addSchema({ $id: DOC_ID, $defs: defs });
  }

  /** The operation for a route, or an error naming the route the document lacks. */
  operation(method: string, template: string): OpenApiOperation {
    const item = this.doc.paths[toOpenApiPath(template)];
    const op = item?.[method.toLowerCase()] as OpenApiOperation | undefined;
    if (!op) throw new Error(`route ${method} ${template} has no operation in the OpenAPI document`);
    return op;
  }

  /** Every operation the document declares, to check that each has a route. */
  operations(): { method: string; path: string }[] {
    const out: { method: string; path: string }[] = [];
    for (const [path, item] of Object.entries(this.doc.paths)) {
      for (const m of HTTP_METHODS) if (item[m]) out.push({ method: m.toUpperCase(), path });
    }
    return out;
  }

  compile(method: string, template: string): RequestValidator {
    const op = this.operation(method, template);
    const item = this.doc.paths[toOpenApiPath(template)]!;
    const params = [
      ...((item.parameters as OpenApiOperation['parameters']) ?? []),
      ...(op.parameters ?? []),
    ].map((p) => this.resolveParameter(p));
    const pathCheck = this.objectValidator(params.filter((p) => p.in === 'path'));
    const queryCheck = this.objectValidator(params.filter((p) => p.in === 'query'));
    const body = op.requestBody;
    const bodySchema = body?.content['application/json']?.schema;
    const bodyCheck = bodySchema ? this.strictAjv.compile(rewriteRefs(bodySchema) as JsonSchema) : undefined;
    const bodyRequired = body?.required === true;

    return (ctx) => {
      const problems: FieldProblem[] = [];
      if (pathCheck && !pathCheck(ctx.params))
        problems.push(...describeAjvErrors(pathCheck.errors ?? [], 'path'));
      if (queryCheck && !queryCheck(ctx.query))
        problems.push(...describeAjvErrors(queryCheck.errors ?? [], 'query'));
      if (ctx.body === undefined) {
        if (bodyRequired) problems.push({ field: 'body', message: 'is required (a JSON document)' });
      } else if (!bodyCheck) {
        problems.push({ field: 'body', message: 'this operation takes no request body' });
      } else if (!bodyCheck(ctx.body)) {
        problems.push(...describeAjvErrors(bodyCheck.errors ?? [], 'body'));
      }
      if (problems.length) throw validationError(problems);
    };
  }

  private resolveParameter(p: OpenApiParameter | { $ref: string }): OpenApiParameter {
    if (!('$ref' in p)) return p;
    const name = p.$ref.replace('#/components/parameters/', '');
    const found = this.doc.components?.parameters?.[name];
    if (!found) throw new Error(`OpenAPI document: unresolved parameter ${p.$ref}`);
    return found;
  }

  private objectValidator(params: OpenApiParameter[]): ValidateFunction | undefined {
    const properties: Record<string, unknown> = {};
    const required: string[] = [];
    for (const p of params) {
      properties[p.name] = rewriteRefs(p.schema ?? {});
      if (p.required || p.in === 'path') required.push(p.name);
    }
    // Unknown query parameters are refused: a typo (?categroy=) should not silently list everything.
    return this.coercing.compile({ type: 'object', properties, required, additionalProperties: false });
  }
}
