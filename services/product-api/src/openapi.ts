// The product-api contract (OpenAPI 3.1, JSON Schema 2020-12). Served at /openapi.json and used by
// the runtime to validate every request, so the document and the behaviour cannot disagree. The
// runtime adds the Problem schema and the statuses its pipeline answers (400, 401, 413, 415, 503: see
// runtime/src/http/openapi-document.ts); this file names the business errors.
import { problemResponse as problem, problemWith, type OpenApiDocument } from '@techcommerce/runtime';
import { SORTS } from './domain/types';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (description: string, schema: object) => ({
  description,
  content: { 'application/json': { schema } },
});
const productId = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const reservationId = { name: 'id', in: 'path', required: true, schema: ref('ReservationId') };
const nullable = (schema: object) => ({ oneOf: [schema, { type: 'null' }] });
const admin = [{ adminToken: [] }];
const unauthorized = problem('Missing or wrong admin bearer token.');
const service = [{ serviceToken: [] }];
const noServiceToken = problem('Missing or wrong service token (RESERVATIONS_TOKEN).');

const productFields = {
  sku: { type: 'string', pattern: '^[A-Z0-9][A-Z0-9-]{2,39}$', description: 'Stock keeping unit, unique.' },
  name: { type: 'string', minLength: 1, maxLength: 200 },
  description: { type: 'string', maxLength: 5000 },
  category: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,39}$', description: 'Category slug.' },
  priceMinor: {
    type: 'integer',
    minimum: 0,
    maximum: 1_000_000_000,
    description: 'Price in the minor unit of the currency (cents).',
  },
  currency: { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217 code.' },
  stock: { type: 'integer', minimum: 0, maximum: 10_000_000 },
};

export function buildOpenApi(options: { faults: boolean }): OpenApiDocument {
  const doc: OpenApiDocument = {
    openapi: '3.1.0',
    info: {
      title: 'TechCommerce product-api',
      version: '1.0.0',
      description:
        'Catalog and stock reservations. Errors are RFC 9457 problem documents. Every response carries x-request-id.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        adminToken: { type: 'http', scheme: 'bearer', description: 'The ADMIN_TOKEN secret.' },
        serviceToken: {
          type: 'http',
          scheme: 'bearer',
          description: "The RESERVATIONS_TOKEN service token (order-api's; a per-release Secret).",
        },
      },
      schemas: {
        Product: {
          type: 'object',
          additionalProperties: false,
          required: [
            'id',
            'sku',
            'name',
            'description',
            'category',
            'priceMinor',
            'currency',
            'stock',
            'createdAt',
            'updatedAt',
          ],
          properties: {
            id: { type: 'string', format: 'uuid' },
            ...productFields,
            createdAt: { type: 'string', format: 'date-time' },
            updatedAt: { type: 'string', format: 'date-time' },
          },
        },
        ProductPage: {
          type: 'object',
          required: ['items', 'nextCursor'],
          properties: {
            items: { type: 'array', items: ref('Product') },
            nextCursor: { type: ['string', 'null'], description: 'Pass as ?cursor= for the next page.' },
          },
        },
        NewProduct: {
          type: 'object',
          additionalProperties: false,
          required: ['sku', 'name', 'category', 'priceMinor', 'currency', 'stock'],
          properties: productFields,
        },
        ProductPatch: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          description:
            'Setting `stock` needs If-Match with the ETag from GET /products/{id} (428 without, 412 when the product changed since). `stockDelta` adds to the stock (negative takes away) and needs none. Not both.',
          properties: {
            ...productFields,
            stockDelta: { type: 'integer', minimum: -10_000_000, maximum: 10_000_000 },
          },
          dependentSchemas: { stockDelta: { properties: { stock: false } } },
        },
        Categories: {
          type: 'object',
          required: ['items'],
          properties: {
            items: {
              type: 'array',
              items: {
                type: 'object',
                required: ['category', 'products'],
                properties: { category: { type: 'string' }, products: { type: 'integer' } },
              },
            },
          },
        },
        ReservationId: {
          type: 'string',
          pattern: '^[A-Za-z0-9._:-]{1,100}$',
          description: 'Chosen by the caller (e.g. the order id); makes the request idempotent.',
        },
        ReservationRequest: {
          type: 'object',
          additionalProperties: false,
          required: ['items'],
          properties: {
            commit: {
              type: 'boolean',
              default: false,
              description:
                'Commit at once (reserve and commit in one call). Repeated with the same items, it also commits a reservation an earlier request only reserved.',
            },
            items: {
              type: 'array',
              minItems: 1,
              maxItems: 50,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['productId', 'quantity'],
                properties: {
                  productId: { type: 'string', format: 'uuid' },
                  quantity: { type: 'integer', minimum: 1, maximum: 1000 },
                },
              },
            },
          },
        },
        Reservation: {
          type: 'object',
          required: ['id', 'status', 'items', 'createdAt', 'updatedAt', 'expiresAt'],
          properties: {
            id: ref('ReservationId'),
            status: {
              enum: ['reserved', 'committed', 'released'],
              description:
                'reserved: stock held (released automatically at expiresAt); committed: taken for good until released; released: given back.',
            },
            items: {
              type: 'array',
              description:
                'What was reserved, with the sku, name and price each product had when it was reserved (the same on every replay). Empty for an id released before anything was reserved under it.',
              items: {
                type: 'object',
                required: ['productId', 'quantity', 'sku', 'name', 'priceMinor', 'currency'],
                properties: {
                  productId: { type: 'string', format: 'uuid' },
                  quantity: { type: 'integer' },
                  sku: nullable(productFields.sku),
                  name: nullable(productFields.name),
                  priceMinor: nullable(productFields.priceMinor),
                  currency: nullable(productFields.currency),
                },
                description:
                  'sku, name, priceMinor and currency are null only for reservations made before they were recorded whose product has been deleted since.',
              },
            },
            createdAt: { type: 'string', format: 'date-time' },
            updatedAt: { type: 'string', format: 'date-time' },
            expiresAt: {
              type: 'string',
              format: 'date-time',
              description: 'A reservation still `reserved` after this is released automatically.',
            },
          },
        },
        FaultSettings: {
          type: 'object',
          additionalProperties: false,
          required: ['errorRatio', 'latencyMs'],
          properties: {
            errorRatio: {
              type: 'number',
              minimum: 0,
              maximum: 1,
              description: 'Share of product requests answered 500.',
            },
            latencyMs: {
              type: 'integer',
              minimum: 0,
              maximum: 30000,
              description: 'Delay added to product requests.',
            },
          },
        },
      },
    },
    paths: {
      '/products': {
        get: {
          operationId: 'listProducts',
          summary: 'List products (keyset pagination, search, category filter, sort).',
          parameters: [
            {
              name: 'limit',
              in: 'query',
              schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
            },
            {
              name: 'cursor',
              in: 'query',
              description: 'Opaque: only a nextCursor this API answered, with the same sort, category and q.',
              schema: { type: 'string', minLength: 1, maxLength: 1000 },
            },
            { name: 'category', in: 'query', schema: productFields.category },
            {
              name: 'q',
              in: 'query',
              description: 'Case-insensitive text in name, description or sku.',
              schema: { type: 'string', minLength: 1, maxLength: 100 },
            },
            { name: 'sort', in: 'query', schema: { enum: [...SORTS], default: 'name' } },
          ],
          responses: {
            '200': json('A page of products.', ref('ProductPage')),
            '400': problem(
              'A parameter is not valid (`errors` names it), or `cursor` is not a nextCursor of this sort, category and q.',
            ),
          },
        },
        post: {
          operationId: 'createProduct',
          security: admin,
          requestBody: { required: true, content: { 'application/json': { schema: ref('NewProduct') } } },
          responses: {
            '201': json('Created.', ref('Product')),
            '401': unauthorized,
            '409': problem('The sku is taken.'),
          },
        },
      },
      '/products/{id}': {
        parameters: [productId],
        get: {
          operationId: 'getProduct',
          responses: {
            '200': json('The product (ETag: its version, for If-Match on PATCH).', ref('Product')),
            '404': problem('No such product.'),
          },
        },
        patch: {
          operationId: 'updateProduct',
          security: admin,
          requestBody: { required: true, content: { 'application/json': { schema: ref('ProductPatch') } } },
          parameters: [
            {
              name: 'If-Match',
              in: 'header',
              description: "The product's ETag as read: the update applies only to that version.",
              schema: { type: 'string' },
            },
          ],
          responses: {
            '200': json('Updated (ETag: the new version).', ref('Product')),
            '401': unauthorized,
            '404': problem('No such product.'),
            '409': problem('The sku is taken, or stockDelta would take the stock below 0.'),
            '412': problem('If-Match names another version: read the product again.'),
            '428': problem('stock was set without If-Match.'),
          },
        },
        delete: {
          operationId: 'deleteProduct',
          security: admin,
          responses: {
            '204': { description: 'Deleted.' },
            '401': unauthorized,
            '404': problem('No such product.'),
          },
        },
      },
      '/categories': {
        get: {
          operationId: 'listCategories',
          responses: { '200': json('Categories with their product counts.', ref('Categories')) },
        },
      },
      '/reservations/{id}': {
        parameters: [reservationId],
        put: {
          operationId: 'reserveStock',
          security: service,
          summary:
            "Reserve stock for all items or none (with `commit`: and commit it). Idempotent per id. The answer carries each item's sku, name and price.",
          requestBody: {
            required: true,
            content: { 'application/json': { schema: ref('ReservationRequest') } },
          },
          responses: {
            '201': json('Reserved.', ref('Reservation')),
            '200': json(
              'Made by an earlier identical request: returned as it is (committed first if `commit` and only reserved), or released.',
              ref('Reservation'),
            ),
            '401': noServiceToken,
            '409': problem(
              'Not enough stock (`shortages`), or the id was used with different items.',
              problemWith({
                shortages: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['productId', 'sku', 'name', 'requested', 'available'],
                    properties: {
                      productId: { type: 'string', format: 'uuid' },
                      sku: { type: 'string' },
                      name: { type: 'string' },
                      requested: { type: 'integer' },
                      available: { type: 'integer' },
                    },
                  },
                },
              }),
            ),
            '422': problem(
              'Unknown products (`productIds`), or a product listed twice (`errors` names the repeat).',
              problemWith({ productIds: { type: 'array', items: { type: 'string', format: 'uuid' } } }),
            ),
          },
        },
        get: {
          operationId: 'getReservation',
          security: service,
          responses: {
            '200': json('The reservation.', ref('Reservation')),
            '401': noServiceToken,
            '404': problem('No such reservation.'),
          },
        },
      },
      '/reservations/{id}/commit': {
        parameters: [reservationId],
        post: {
          operationId: 'commitReservation',
          security: service,
          summary: 'Keep the stock for good (the order was placed). Idempotent.',
          responses: {
            '200': json('Committed.', ref('Reservation')),
            '401': noServiceToken,
            '404': problem('No such reservation.'),
            '409': problem('The reservation was released.'),
          },
        },
      },
      '/reservations/{id}/release': {
        parameters: [reservationId],
        post: {
          operationId: 'releaseReservation',
          security: service,
          summary:
            'Give the stock back, whether reserved or committed (the order failed or was cancelled). Idempotent: releasing again changes nothing. An id never reserved is recorded as released, so a reservation arriving later under it takes no stock.',
          responses: {
            '200': json('Released (now, earlier, or recorded as released).', ref('Reservation')),
            '401': noServiceToken,
          },
        },
      },
    },
  };
  if (options.faults) {
    doc.paths['/admin/faults'] = {
      get: {
        operationId: 'getFaults',
        security: admin,
        responses: { '200': json('Current fault settings.', ref('FaultSettings')), '401': unauthorized },
      },
      put: {
        operationId: 'setFaults',
        summary: 'TEST ONLY (config faults.enabled): make product routes fail or slow down.',
        security: admin,
        requestBody: { required: true, content: { 'application/json': { schema: ref('FaultSettings') } } },
        responses: { '200': json('Applied.', ref('FaultSettings')), '401': unauthorized },
      },
    };
  }
  return doc;
}
