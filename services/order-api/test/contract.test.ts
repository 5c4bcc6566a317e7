// The contract test: Schemathesis generates requests from the OpenAPI document order-api serves,
// valid and invalid, on both database drivers (with a real product-api behind it), and fails on a
// 5xx, a status the document does not list, a schema-valid request refused other than with a
// documented business error, an answer that breaks its schema. The engine and why it is
// Schemathesis: scripts/src/testing/contract.ts.
import type { AddressInfo } from 'node:net';
import {
  contractExamples,
  contractSeed,
  ensureSchemathesis,
  failureReport,
  runContract,
} from '../../../scripts/src/testing/contract';
import { DRIVERS, startOrderApi, startProductApi, type OrderApi, type RunningProductApi } from './helpers';

const ORDERS_ADMIN_TOKEN = 'contract-orders-admin-token-0123';
const seed = contractSeed();
const RERUN = 'npx jest --selectProjects order-api -- services/order-api/test/contract.test.ts';

// The first run on a machine installs the pinned venv (PyPI): minutes, not seconds.
beforeAll(() => ensureSchemathesis((line) => console.log(line)), 600_000);

describe.each(DRIVERS)('order-api contract (%s)', (driver) => {
  let products: RunningProductApi;
  let svc: OrderApi;
  let url: string;
  const productIds: string[] = [];
  beforeAll(async () => {
    products = await startProductApi();
    // Plenty in stock, one nearly sold out, one in another currency: orders that confirm, run out
    // of stock, or mix currencies, besides the unknown ids the generator makes up.
    for (const [sku, o] of [
      ['CT-A', { stock: 100_000 }],
      ['CT-B', { stock: 100_000, priceMinor: 99 }],
      ['CT-LOW', { stock: 2 }],
      ['CT-USD', { stock: 100_000, currency: 'USD' }],
    ] as const)
      productIds.push((await products.product(sku, o)).id);
    svc = await startOrderApi(products.url, { driver, env: { ORDERS_ADMIN_TOKEN } });
    const addr = (await svc.listen(0, '127.0.0.1')) as AddressInfo;
    url = `http://127.0.0.1:${addr.port}`;
  }, 120_000);
  afterAll(async () => {
    await svc?.shutdown();
    await products?.close();
  });

  test('every generated request is answered as the document says', async () => {
    const result = await runContract({
      url,
      seed,
      maxExamples: contractExamples(15),
      tokens: { ordersAdminToken: ORDERS_ADMIN_TOKEN },
      dictionaries: [
        { name: 'products', values: productIds, bind: [{ parameter: 'body.items[*].productId' }] },
      ],
    });
    if (!result.ok) throw new Error(failureReport(result, seed, RERUN));
    // Every operation of the document was exercised, with a real number of requests.
    expect(result.operations).toBe(4);
    expect(result.generated).toBeGreaterThan(200);
  }, 240_000);
});
