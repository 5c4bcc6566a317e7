// The contract test: Schemathesis generates requests from the OpenAPI document product-api serves,
// valid and invalid, on both database drivers, and fails on a 5xx, a status the document does not
// list, a schema-valid request refused other than with a documented business error, an answer
// that breaks its schema. The engine and why it is Schemathesis: scripts/src/testing/contract.ts.
import type { AddressInfo } from 'node:net';
import { createService, type ServiceInstance } from '@techcommerce/runtime';
import {
  contractExamples,
  contractSeed,
  ensureSchemathesis,
  failureReport,
  runContract,
} from '../../../scripts/src/testing/contract';
import { productApi, type ProductApiConfig } from '../src/service';
import { ADMIN_TOKEN, DRIVERS, LogSink, databaseSettings } from './helpers';

const RESERVATIONS_TOKEN = 'contract-reservations-token-0123';
const seed = contractSeed();
const RERUN = 'npx jest --selectProjects product-api services/product-api/test/contract.test.ts';

// The first run on a machine installs the pinned venv (PyPI): minutes, not seconds.
beforeAll(() => ensureSchemathesis((line) => console.log(line)), 600_000);

describe.each(DRIVERS)('product-api contract (%s)', (driver) => {
  let svc: ServiceInstance<ProductApiConfig>;
  let url: string;
  beforeAll(async () => {
    svc = await createService(productApi, {
      env: { ADMIN_TOKEN, RESERVATIONS_TOKEN },
      config: {
        server: { port: 5000, drainDelaySeconds: 0 },
        database: await databaseSettings(driver, 'pa_contract'),
        catalog: { cacheTtlMs: 0 },
        log: { requests: false },
      },
      logDestination: new LogSink(),
    });
    const addr = (await svc.listen(0, '127.0.0.1')) as AddressInfo;
    url = `http://127.0.0.1:${addr.port}`;
  }, 120_000);
  afterAll(() => svc?.shutdown());

  test('every generated request is answered as the document says', async () => {
    // Real ids (the demo catalog) half of the time, so reservations and reads reach the stock.
    const page = (await (await fetch(`${url}/products?limit=100`)).json()) as { items: { id: string }[] };
    expect(page.items.length).toBeGreaterThan(5);
    const result = await runContract({
      url,
      seed,
      maxExamples: contractExamples(15),
      tokens: { adminToken: ADMIN_TOKEN, serviceToken: RESERVATIONS_TOKEN },
      dictionaries: [
        {
          name: 'products',
          values: page.items.map((p) => p.id),
          bind: [
            { parameter: 'body.items[*].productId' },
            { parameter: 'path.id', operations: ['getProduct', 'updateProduct', 'deleteProduct'] },
          ],
        },
      ],
    });
    if (!result.ok) throw new Error(failureReport(result, seed, RERUN));
    // Every operation of the document was exercised, with a real number of requests.
    expect(result.operations).toBe(10);
    expect(result.generated).toBeGreaterThan(300);
  }, 240_000);
});
