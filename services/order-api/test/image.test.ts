// The order-api image, without a Docker engine (none here): scripts/src/testing/image.ts builds
// services/Dockerfile with SERVICE=order-api in stage-shaped scratch folders (the Dockerfile's own
// COPY and RUN lines) and starts the final stage read-only as its user, first with the migration
// command the chart's hook Job runs, then with the image's CMD. The Dockerfile's shared rules are
// tested once, in scripts/test/workflows/dockerfile.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { buildSimulatedImage, type SimulatedImage } from '../../../scripts/src/testing/image';
import { createTestDatabase, freePort } from '../../../scripts/src/testing/postgres';
import { waitForReady } from '../../../scripts/src/testing/service-process';
import { newKey, postgresSettings, startProductApi } from './helpers';

jest.setTimeout(240_000);

let image: SimulatedImage;
beforeAll(() => {
  image = buildSimulatedImage({ SERVICE: 'order-api' });
});
afterAll(() => image?.remove());

describe('order-api image (simulated: no Docker engine)', () => {
  test('holds the built API, its migrations and production dependencies only', () => {
    expect(image.workdir).toBe('/app/services/order-api');
    expect(fs.readdirSync(image.path(image.workdir)).sort()).toEqual(['dist', 'migrations', 'package.json']);
    expect(fs.existsSync(image.path('/app/services/order-api/dist/migrate.js'))).toBe(true);
    expect(fs.readdirSync(image.path('/app/services/product-api'))).toEqual(['package.json']);
    expect(image.devPackagesInstalled()).toEqual([]);
  });

  test('node dist/migrate.js (the hook Job) migrates; node dist/main.js then gets ready and places an order', async () => {
    const products = await startProductApi();
    try {
      const port = await freePort();
      const config = path.join(image.scratch, 'config.json');
      fs.writeFileSync(
        config,
        JSON.stringify({
          server: { port, drainDelaySeconds: 0 },
          database: { ...postgresSettings(await createTestDatabase('oa_image')), migrateOnStart: false },
          productApi: { url: products.url },
        }),
      );
      const migrate = image.start({
        env: { CONFIG_FILE: config },
        files: [config],
        command: ['node', 'dist/migrate.js'],
      });
      expect((await migrate.exit).code).toBe(0);
      // Every migration the image ships, in order.
      const shipped = fs.readdirSync(image.path(`${image.workdir}/migrations`)).sort();
      expect(shipped.length).toBeGreaterThan(0);
      expect(migrate.logs().find((l) => l.msg === 'migrations done')).toMatchObject({ applied: shipped });

      const p = image.start({ env: { CONFIG_FILE: config } });
      try {
        await waitForReady(p, port);
        const item = await products.product('IMAGE', { stock: 3 });
        const placed = await fetch(`http://127.0.0.1:${port}/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': newKey() },
          body: JSON.stringify({ customerId: 'img', items: [{ productId: item.id, quantity: 1 }] }),
        });
        expect(placed.status).toBe(201);
        expect(await products.stockOf(item.id)).toBe(2);
        p.proc.kill('SIGTERM');
        expect(await p.exit).toEqual({ code: 0, signal: null });
        expect(p.stderr.join('')).toBe('');
      } finally {
        p.proc.kill('SIGKILL');
      }
    } finally {
      await products.close();
    }
  });
});
