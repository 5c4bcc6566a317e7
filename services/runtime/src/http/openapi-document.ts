// What the runtime's pipeline answers, written into every service's OpenAPI document: a service
// describes its operations and business errors; the runtime adds the statuses its own steps can
// produce for each operation, the one Problem schema, and its text rule. So the document served
// at /openapi.json says what the API really answers, and no service repeats any of it.
//
//   400  every operation: path or query not valid, an unknown query parameter, a control
//        character, bad percent-encoding, a PostgreSQL data exception; with a body: malformed
//        JSON or a body not valid, or a body on an operation that takes none
//   401  operations with `security`: the bearer guard
//   413  POST, PUT, PATCH: the body is read (and limited) for every one of them
//   415  POST, PUT, PATCH: a body that is neither JSON nor a form
//   503  every operation: the database is unreachable or too slow (every API here has one)
import problemSchema from '../generated/problem.schema.json';
import { CONTROL_CHARACTERS } from './input';
import type { OpenApiDocument } from './openapi';

type Json = Record<string, unknown>;

const PROBLEM_REF = '#/components/schemas/Problem';
const BODY_METHODS = new Set(['post', 'put', 'patch']);
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** The pattern every free-text string carries: no control characters but tab, CR and LF. */
export const TEXT_PATTERN = `^[^${CONTROL_CHARACTERS}]*$`;

/** The Problem schema (schemas/api/problem.schema.json) as a component: no $id, $schema or x-keys. */
export const PROBLEM_SCHEMA: Json = Object.fromEntries(
  Object.entries(problemSchema).filter(([k]) => !k.startsWith('$') && !k.startsWith('x-')),
);

/** A response that is a problem document; `schema` may extend the Problem (allOf). */
export function problemResponse(description: string, schema: Json = { $ref: PROBLEM_REF }): Json {
  return { description, content: { 'application/problem+json': { schema } } };
}

/** A schema for problems with extension members a service adds (documented, not enforced). */
export function problemWith(properties: Record<string, Json>, description?: string): Json {
  return {
    allOf: [{ $ref: PROBLEM_REF }],
    ...(description ? { description } : {}),
    properties,
  };
}

const RUNTIME_RESPONSES: Record<string, string> = {
  '400':
    'The request does not fit this document: a path or query value (or an unknown query parameter), a header, or the body; a control character in any text; malformed JSON. `errors` names each field.',
  '401': 'Missing or wrong bearer token (WWW-Authenticate names the realm).',
  '413': 'The body is larger than the server.bodyLimit of the service.',
  '415': 'The body is neither application/json nor a form.',
  '503': 'The database is unreachable or too slow (statement timeout): retry after Retry-After seconds.',
};

/**
 * The document a service serves and validates with: `doc` (not changed) plus Problem, the text
 * pattern on every free-text string schema, and the runtime's responses on every operation. A
 * status the service documents itself keeps the service's description.
 */
export function completeOpenApi(doc: OpenApiDocument): OpenApiDocument {
  const out = structuredClone(doc);
  const schemas = (out.components ??= {}).schemas ?? {};
  if (schemas.Problem) throw new Error("OpenAPI document: Problem is the runtime's; do not declare it");
  for (const s of Object.values(schemas)) withTextPattern(s);
  out.components.schemas = { ...schemas, Problem: structuredClone(PROBLEM_SCHEMA) };
  for (const p of Object.values(out.components.parameters ?? {})) withTextPattern(p.schema);

  for (const item of Object.values(out.paths)) {
    for (const p of (item.parameters as Json[] | undefined) ?? []) withTextPattern(p.schema);
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      for (const p of (op.parameters as Json[] | undefined) ?? []) withTextPattern(p.schema);
      const body = op.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined;
      for (const media of Object.values(body?.content ?? {})) withTextPattern(media.schema);
      const responses = (op.responses ??= {}) as Json;
      const add = (status: string) => {
        responses[status] ??= problemResponse(RUNTIME_RESPONSES[status]!);
      };
      add('400');
      if (Array.isArray(op.security) && op.security.length > 0) add('401');
      if (BODY_METHODS.has(method)) {
        add('413');
        add('415');
      }
      add('503');
    }
  }
  return out;
}

// A string schema that leaves its text open (no pattern, format, enum or const) gets TEXT_PATTERN;
// the others already admit no control character. Walks subschemas, leaves $refs to their targets.
function withTextPattern(schema: unknown): void {
  if (Array.isArray(schema)) {
    for (const s of schema) withTextPattern(s);
    return;
  }
  if (!schema || typeof schema !== 'object') return;
  const s = schema as Json;
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (
    types.includes('string') &&
    s.pattern === undefined &&
    s.format === undefined &&
    s.enum === undefined &&
    s.const === undefined
  )
    s.pattern = TEXT_PATTERN;
  for (const key of ['properties', '$defs', 'patternProperties', 'dependentSchemas']) {
    const map = s[key];
    if (map && typeof map === 'object') for (const v of Object.values(map)) withTextPattern(v);
  }
  for (const key of ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains']) {
    withTextPattern(s[key]);
  }
  for (const key of ['allOf', 'anyOf', 'oneOf', 'prefixItems']) withTextPattern(s[key]);
}
