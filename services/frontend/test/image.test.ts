// The frontend image, without a Docker engine (none here): scripts/src/testing/image.ts builds
// services/Dockerfile with SERVICE=frontend in stage-shaped scratch folders (the Dockerfile's own
// COPY and RUN lines) and starts the final stage read-only as its user. The Dockerfile's shared
// rules are tested once, in scripts/test/workflows/dockerfile.test.ts.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { buildSimulatedImage, type SimulatedImage } from '../../../scripts/src/testing/image';
import { freePort } from '../../../scripts/src/testing/postgres';
import { waitForReady } from '../../../scripts/src/testing/service-process';

jest.setTimeout(240_000);

let image: SimulatedImage;
beforeAll(() => {
  image = buildSimulatedImage({ SERVICE: 'frontend' });
});
afterAll(() => image?.remove());

describe('frontend image (simulated: no Docker engine)', () => {
  test('holds the built storefront, its public/ assets and production dependencies only', () => {
    expect(image.workdir).toBe('/app/services/frontend');
    expect(fs.readdirSync(image.path(image.workdir)).sort()).toEqual(['dist', 'package.json', 'public']);
    expect(fs.existsSync(image.path('/app/services/frontend/dist/main.js'))).toBe(true);
    expect(fs.readdirSync(image.path('/app/services/frontend/public'))).toContain('styles.css');
    // Other services contribute their manifest only (npm's workspace links need it).
    expect(fs.readdirSync(image.path('/app/services/product-api'))).toEqual(['package.json']);
    expect(image.devPackagesInstalled()).toEqual([]);
  });

  test('started read-only as the image user in production, it needs COOKIE_SECRET, then serves pages and fingerprinted assets once the APIs answer', async () => {
    // A minimal HTTP server answering /healthz stands in for both APIs (readiness only).
    const apis = http.createServer((req, res) => {
      res.writeHead(req.url === '/healthz' ? 200 : 404, { 'content-type': 'application/json' });
      res.end('{}');
    });
    await new Promise<void>((r) => apis.listen(0, '127.0.0.1', r));
    const apiUrl = `http://127.0.0.1:${(apis.address() as AddressInfo).port}`;
    try {
      const port = await freePort();
      const config = path.join(image.scratch, 'config.json');
      const secret = path.join(image.scratch, 'cookie-secret');
      fs.writeFileSync(
        config,
        JSON.stringify({
          server: { port, drainDelaySeconds: 0 },
          environment: 'production',
          apis: { productApi: { url: apiUrl }, orderApi: { url: apiUrl } },
        }),
      );
      fs.writeFileSync(secret, 'x'.repeat(48) + '\n');

      // Without the secret, production refuses to start and says why.
      const refused = image.start({ env: { CONFIG_FILE: config }, files: [config, secret] });
      expect((await refused.exit).code).toBe(1);
      expect(refused.stderr.join('')).toMatch(
        /COOKIE_SECRET \(or COOKIE_SECRET_FILE\) is required when environment is production/,
      );

      const p = image.start({ env: { CONFIG_FILE: config, COOKIE_SECRET_FILE: secret } });
      try {
        await waitForReady(p, port);
        // As USER 10001 when the tests run as root (CI); otherwise as the test user.
        const uid = /^Uid:\t(\d+)/m.exec(fs.readFileSync(`/proc/${p.proc.pid}/status`, 'utf8'))![1];
        expect(Number(uid)).toBe(process.getuid!() === 0 ? image.user.uid : process.getuid!());
        const page = await fetch(`http://127.0.0.1:${port}/orders`);
        expect(page.status).toBe(200);
        const css = /href="(\/assets\/styles\.[0-9a-f]{12}\.css)"/.exec(await page.text())![1]!;
        const asset = await fetch(`http://127.0.0.1:${port}${css}`);
        expect(asset.status).toBe(200);
        expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
        p.proc.kill('SIGTERM');
        expect(await p.exit).toEqual({ code: 0, signal: null });
        expect(p.stderr.join('')).toBe('');
      } finally {
        p.proc.kill('SIGKILL');
      }
    } finally {
      await new Promise((r) => apis.close(r));
    }
  });
});
