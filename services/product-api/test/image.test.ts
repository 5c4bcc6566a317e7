// The product-api image, without a Docker engine (none here): scripts/src/testing/image.ts builds
// services/Dockerfile with SERVICE=product-api in stage-shaped scratch folders (the Dockerfile's
// own COPY and RUN lines) and starts the final stage read-only as its user, first with the
// migration command the chart's hook Job runs, then with the image's CMD. The Dockerfile's shared
// rules are tested once, in scripts/test/workflows/dockerfile.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { buildSimulatedImage, type SimulatedImage } from '../../../scripts/src/testing/image';
import { createTestDatabase, freePort } from '../../../scripts/src/testing/postgres';
import { waitForReady } from '../../../scripts/src/testing/service-process';
import { ADMIN_TOKEN, postgresSettings } from './helpers';

jest.setTimeout(240_000);

let image: SimulatedImage;
beforeAll(() => {
  image = buildSimulatedImage({ SERVICE: 'product-api' });
});
afterAll(() => image?.remove());

describe('product-api image (simulated: no Docker engine)', () => {
  test('holds the built API, its migrations and production dependencies only', () => {
    expect(image.workdir).toBe('/app/services/product-api');
    expect(fs.readdirSync(image.path(image.workdir)).sort()).toEqual(['dist', 'migrations', 'package.json']);
    expect(fs.existsSync(image.path('/app/services/product-api/dist/migrate.js'))).toBe(true);
    expect(fs.readdirSync(image.path('/app/services/frontend'))).toEqual(['package.json']);
    expect(image.devPackagesInstalled()).toEqual([]);
  });

  test('node dist/migrate.js (the hook Job) migrates; node dist/main.js then gets ready, serves the catalog and takes admin writes with the token file', async () => {
    const port = await freePort();
    const config = path.join(image.scratch, 'config.json');
    fs.writeFileSync(
      config,
      JSON.stringify({
        server: { port, drainDelaySeconds: 0 },
        database: { ...postgresSettings(await createTestDatabase('pa_image')), migrateOnStart: false },
      }),
    );
    const token = path.join(image.scratch, 'admin-token');
    fs.writeFileSync(token, `${ADMIN_TOKEN}\n`);
    const env = { CONFIG_FILE: config, ADMIN_TOKEN_FILE: token };

    const migrate = image.start({ env, files: [config, token], command: ['node', 'dist/migrate.js'] });
    expect((await migrate.exit).code).toBe(0);
    // Every migration the image ships, in order.
    const shipped = fs.readdirSync(image.path(`${image.workdir}/migrations`)).sort();
    expect(shipped.length).toBeGreaterThan(0);
    expect(migrate.logs().find((l) => l.msg === 'migrations done')).toMatchObject({ applied: shipped });

    const p = image.start({ env });
    try {
      await waitForReady(p, port);
      const url = `http://127.0.0.1:${port}`;
      expect((await fetch(`${url}/products?limit=3`)).status).toBe(200);
      const product = {
        sku: 'IMG-1',
        name: 'Image',
        category: 'test',
        priceMinor: 100,
        currency: 'EUR',
        stock: 1,
      };
      const post = (auth: string) =>
        fetch(`${url}/products`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}` },
          body: JSON.stringify(product),
        });
      expect((await post('not-the-token')).status).toBe(401);
      expect((await post(ADMIN_TOKEN)).status).toBe(201);
      p.proc.kill('SIGTERM');
      expect(await p.exit).toEqual({ code: 0, signal: null });
      expect(p.stderr.join('')).toBe('');
    } finally {
      p.proc.kill('SIGKILL');
    }
  });
});
