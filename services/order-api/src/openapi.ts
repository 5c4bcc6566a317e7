// The order-api contract (OpenAPI 3.1, JSON Schema 2020-12). Served at /openapi.json; the runtime
// validates every request's path, query and body against it (the Idempotency-Key header is
// checked by routes/orders.ts: the runtime validates no headers). The runtime adds the Problem
// schema and the statuses its pipeline answers (400, 401, 413, 415, 503: see
// runtime/src/http/openapi-document.ts); this file names the business errors.
import { problemResponse, problemWith, type OpenApiDocument } from '@techcommerce/runtime';
import { ORDER_STATUSES } from './domain/types';
// schemas/api/order.schema.json: the storefront checks its checkout form against the same schemas.
import order from './generated/order.schema.json';

const schema = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const answer = (description: string, name: string) => ({
  description,
  content: { 'application/json': { schema: schema(name) } },
});
// Order problems add `orderId`, and `items` naming each item concerned (its index in the request,
// productId, and for stock: sku, name, requested, available).
const orderProblem = problemWith({
  orderId: { type: 'string', format: 'uuid' },
  items: { type: 'array', items: { type: 'object' } },
});
const problem = (description: string) => problemResponse(description, orderProblem);
const noAdminToken = problemResponse('Missing or wrong bearer token (ORDERS_ADMIN_TOKEN).');
const admin = [{ ordersAdminToken: [] }];
const unavailable = problem(
  'product-api is unreachable, failing or too slow (`upstream`, `reason`; `orderId` when the order was recorded as pending), or the database is. Retry with the same Idempotency-Key after Retry-After seconds.',
);

const customerId = order.$defs.CustomerId;
const timestamp = { type: 'string', format: 'date-time' };
const nullable = (s: object) => ({ oneOf: [s, { type: 'null' }] });
const orderIdParam = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
};

export function buildOpenApi(): OpenApiDocument {
  return {
    openapi: '3.1.0',
    info: {
      title: 'TechCommerce order-api',
      version: '1.0.0',
      description:
        'Orders: placed idempotently, stocked and priced through product-api, read, listed per customer and cancelled (the stock goes back). Money is in minor units (cents). Errors are RFC 9457 problem documents; every response carries x-request-id.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        ordersAdminToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'The ORDERS_ADMIN_TOKEN secret: listing and cancelling orders.',
        },
      },
      schemas: {
        NewOrder: {
          type: 'object',
          additionalProperties: false,
          required: ['customerId', 'items'],
          properties: {
            customerId,
            items: order.$defs.OrderItems,
            contact: schema('Contact'),
            shippingAddress: schema('Address'),
          },
        },
        Contact: order.$defs.Contact,
        Address: order.$defs.Address,
        OrderLine: {
          type: 'object',
          description:
            'sku, name and the prices are null until product-api has priced the order (a pending order, or one that failed before product-api took its stock).',
          required: ['productId', 'sku', 'name', 'quantity', 'unitPriceMinor', 'lineTotalMinor'],
          properties: {
            productId: { type: 'string', format: 'uuid' },
            sku: nullable({ type: 'string' }),
            name: nullable({ type: 'string' }),
            quantity: { type: 'integer' },
            unitPriceMinor: nullable({
              type: 'integer',
              description: "product-api's price when it took the stock.",
            }),
            lineTotalMinor: nullable({ type: 'integer' }),
          },
        },
        Order: {
          type: 'object',
          required: [
            'id',
            'customerId',
            'status',
            'stockStatus',
            'currency',
            'totalMinor',
            'items',
            'createdAt',
            'updatedAt',
          ],
          properties: {
            id: { type: 'string', format: 'uuid' },
            customerId,
            status: {
              enum: [...ORDER_STATUSES],
              description:
                'pending: recorded, stock not taken yet (product-api was unreachable; retry the POST). confirmed: stock taken. failed: see `failure`. cancelled: stock given back.',
            },
            stockStatus: {
              enum: ['none', 'reserved', 'committing', 'committed', 'releasing', 'released', 'lost'],
              description:
                "The order's stock in product-api. none: nothing taken; committed: taken (a cancel still gives it back); releasing/released: going or gone back on sale. reserved, committing and lost occur only on orders placed by the earlier version that committed after a cancellation window.",
            },
            currency: nullable({
              type: 'string',
              pattern: '^[A-Z]{3}$',
              description: 'Null until product-api has priced the order.',
            }),
            totalMinor: nullable({ type: 'integer', minimum: 0, description: 'Null until priced.' }),
            items: { type: 'array', items: schema('OrderLine') },
            contact: nullable(schema('Contact')),
            shippingAddress: nullable(schema('Address')),
            failure: nullable({
              type: 'object',
              required: ['reason', 'detail'],
              properties: {
                reason: {
                  enum: [
                    'out_of_stock',
                    'unknown_product',
                    'mixed_currencies',
                    'reservation_expired',
                    'abandoned',
                  ],
                },
                detail: { type: 'string' },
              },
            }),
            createdAt: timestamp,
            updatedAt: timestamp,
            confirmedAt: nullable(timestamp),
            cancelledAt: nullable(timestamp),
          },
        },
        OrderPage: {
          type: 'object',
          required: ['items', 'nextCursor'],
          properties: {
            items: { type: 'array', items: schema('Order') },
            nextCursor: { type: ['string', 'null'], description: 'Pass as ?cursor= for the next page.' },
          },
        },
      },
    },
    paths: {
      '/orders': {
        post: {
          operationId: 'placeOrder',
          summary:
            'Place an order: record it, have product-api take (reserve and commit) its stock and price it in one call, confirm it. Idempotent per key.',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: true,
              description:
                'One unique value per order (e.g. a UUID). Sending it again with the same body returns that order (never a second one); with a different body, 422.',
              schema: { type: 'string', pattern: '^[\\x21-\\x7E]{1,200}$' },
            },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: schema('NewOrder') } } },
          responses: {
            '201': answer(
              'This request confirmed the order (also a retry that completed a pending one).',
              'Order',
            ),
            '200': answer(
              'The key was used before with the same body: the order as it is now (`Idempotent-Replayed: true`).',
              'Order',
            ),
            '400': problem(
              'The body, a parameter or the Idempotency-Key header does not fit this document; `errors` names each field.',
            ),
            '409': problem(
              'Out of stock (`items`: requested and available per item), or the stock was released before the order was confirmed, or the order was abandoned; replayed for the same key.',
            ),
            '422': problem(
              'Unknown product (`items` names each) or items in several currencies (`currencies`), both replayed for the same key; the key was used with a different body; or a product listed twice (`errors` names the repeat).',
            ),
            '503': unavailable,
          },
        },
        get: {
          operationId: 'listOrders',
          security: admin,
          summary: "A customer's orders, newest first (keyset pagination).",
          parameters: [
            { name: 'customerId', in: 'query', required: true, schema: customerId },
            {
              name: 'limit',
              in: 'query',
              schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
            },
            {
              name: 'cursor',
              in: 'query',
              description:
                'Opaque: only a nextCursor this API answered, with the same customerId and status.',
              schema: { type: 'string', minLength: 1, maxLength: 1000 },
            },
            { name: 'status', in: 'query', schema: { enum: [...ORDER_STATUSES] } },
          ],
          responses: {
            '200': answer('A page of orders.', 'OrderPage'),
            '400': problem(
              'A parameter is not valid (`errors` names it), or `cursor` is not a nextCursor of this customerId and status.',
            ),
            '401': noAdminToken,
          },
        },
      },
      '/orders/{id}': {
        parameters: [orderIdParam],
        get: {
          operationId: 'getOrder',
          responses: {
            '200': answer('The order.', 'Order'),
            '404': problem('No such order.'),
          },
        },
      },
      '/orders/{id}/cancel': {
        parameters: [orderIdParam],
        post: {
          operationId: 'cancelOrder',
          security: admin,
          summary: 'Cancel a pending or confirmed order and give its stock back. Idempotent.',
          responses: {
            '200': answer(
              'Cancelled (`stockStatus` released, or releasing while product-api is unreachable: order-api finishes it).',
              'Order',
            ),
            '401': noAdminToken,
            '404': problem('No such order.'),
            '409': problem('The order failed: there is nothing to cancel.'),
          },
        },
      },
    },
  };
}
