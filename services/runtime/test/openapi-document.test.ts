// The runtime writes what its pipeline answers into every service's OpenAPI document, so a
// service cannot forget a 400, 401, 413 or 415, and the one Problem schema is the runtime's.
import Ajv2020 from 'ajv/dist/2020';
import request from 'supertest';
import {
  completeOpenApi,
  createService,
  PROBLEM_SCHEMA,
  TEXT_PATTERN,
  type OpenApiDocument,
} from '@techcommerce/runtime';
import { bearerGuard } from '../src/http/bearer';
import { LogSink, testSchema } from './helpers';

const doc: OpenApiDocument = {
  openapi: '3.1.0',
  info: { title: 'test', version: '1' },
  components: {
    schemas: {
      Note: {
        type: 'object',
        additionalProperties: false,
        required: ['text'],
        properties: {
          text: { type: 'string', maxLength: 50 },
          id: { type: 'string', format: 'uuid' },
          code: { type: 'string', pattern: '^[A-Z]{3}$' },
          kind: { enum: ['a', 'b'] },
          tags: { type: 'array', items: { type: ['string', 'null'] } },
        },
      },
    },
  },
  paths: {
    '/notes': {
      get: {
        parameters: [{ name: 'q', in: 'query', schema: { type: 'string' } }],
        responses: { '200': { description: 'ok' } },
      },
      post: {
        security: [{ token: [] }],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Note' } } },
        },
        responses: {
          '201': { description: 'made' },
          '400': { description: 'The service says why', content: {} },
        },
      },
    },
  },
};

type Responses = Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
const responsesOf = (d: OpenApiDocument, path: string, method: string) =>
  (d.paths[path]![method] as { responses: Responses }).responses;

describe('completeOpenApi', () => {
  const done = completeOpenApi(doc);

  test('every operation gets 400 and 503; secured ones 401; ones with a body 413 and 415', () => {
    expect(Object.keys(responsesOf(done, '/notes', 'get')).sort()).toEqual(['200', '400', '503']);
    expect(Object.keys(responsesOf(done, '/notes', 'post')).sort()).toEqual([
      '201',
      '400',
      '401',
      '413',
      '415',
      '503',
    ]);
    expect(responsesOf(done, '/notes', 'get')['400']!.content).toEqual({
      'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
    });
  });

  test("a status the service documents keeps the service's description", () => {
    expect(responsesOf(done, '/notes', 'post')['400']!.description).toBe('The service says why');
  });

  test('Problem is the one from schemas/api/problem.schema.json, without $id or x- keys', () => {
    expect(done.components!.schemas!.Problem).toEqual(PROBLEM_SCHEMA);
    expect(PROBLEM_SCHEMA).toMatchObject({ required: ['type', 'title', 'status'] });
    expect(Object.keys(PROBLEM_SCHEMA).filter((k) => k.startsWith('$') || k.startsWith('x-'))).toEqual([]);
    expect(() =>
      completeOpenApi({ ...doc, components: { schemas: { Problem: { type: 'object' } } } }),
    ).toThrow(/Problem is the runtime's/);
  });

  test('free-text strings carry the control-character pattern; constrained ones are left alone', () => {
    const note = done.components!.schemas!.Note as { properties: Record<string, Record<string, unknown>> };
    expect(note.properties.text!.pattern).toBe(TEXT_PATTERN);
    expect((note.properties.tags!.items as Record<string, unknown>).pattern).toBe(TEXT_PATTERN);
    expect(note.properties.id!.pattern).toBeUndefined();
    expect(note.properties.code!.pattern).toBe('^[A-Z]{3}$');
    expect(note.properties.kind!.pattern).toBeUndefined();
    const q = (done.paths['/notes']!.get as { parameters: { schema: Record<string, unknown> }[] })
      .parameters[0]!;
    expect(q.schema.pattern).toBe(TEXT_PATTERN);
  });

  test('the pattern refuses what the runtime refuses: C0 but tab, CR, LF; DEL; C1', () => {
    const check = new Ajv2020().compile({ type: 'string', pattern: TEXT_PATTERN });
    for (const ok of ['', 'plain', 'tab\there', 'lines\r\n', 'é ü 日本 😀', '\u00a0'])
      expect([ok, check(ok)]).toEqual([ok, true]);
    for (const bad of ['\u0000', 'a\u0001b', '\u000b', '\u001f', '\u007f', '\u0085', '\u009f'])
      expect([bad, check(bad)]).toEqual([bad, false]);
  });

  test('the document it was given is not changed', () => {
    expect(JSON.stringify(doc)).not.toContain('Problem');
  });
});

describe('a service serves the completed document and answers what it says', () => {
  const TOKEN = 'openapi-document-test-token';
  let svc: Awaited<ReturnType<typeof start>>;
  const start = () =>
    createService(
      {
        name: 'test-svc',
        configSchema: testSchema,
        setup: () => ({
          openapi: doc,
          routes: [
            { method: 'GET', path: '/notes', handler: () => ({ body: [] }) },
            {
              method: 'POST',
              path: '/notes',
              guard: bearerGuard({
                token: TOKEN,
                secret: 'T',
                realm: 'r',
                what: 'notes',
                whenUnset: 'refuse',
              }),
              handler: (ctx) => ({ status: 201, body: ctx.body }),
            },
          ],
        }),
      },
      { config: { server: { port: 1, bodyLimit: '1kb' } }, env: {}, logDestination: new LogSink() },
    );
  beforeAll(async () => {
    svc = await start();
  });
  afterAll(() => svc.shutdown());

  test('/openapi.json is the completed document', async () => {
    const res = await request(svc.app.server).get('/openapi.json').expect(200);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(completeOpenApi(doc))));
  });

  test.each([
    ['400', (r: request.Test) => r.set('authorization', `Bearer ${TOKEN}`).send({ text: 1 })],
    ['401', (r: request.Test) => r.send({ text: 'x' })],
    ['413', (r: request.Test) => r.set('authorization', `Bearer ${TOKEN}`).send({ text: 'x'.repeat(2000) })],
    [
      '415',
      (r: request.Test) =>
        r.set('authorization', `Bearer ${TOKEN}`).set('content-type', 'text/plain').send('text'),
    ],
  ])('POST /notes can answer %s, as documented, with a problem', async (status, send) => {
    const res = await send(request(svc.app.server).post('/notes'));
    expect(String(res.status)).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(responsesOf(completeOpenApi(doc), '/notes', 'post')[status]).toBeDefined();
    const problem = new Ajv2020({ strict: false }).compile(PROBLEM_SCHEMA);
    expect(problem(res.body)).toBe(true);
  });
});
