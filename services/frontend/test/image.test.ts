// What the frontend image does, without a Docker engine (none here): scripts/src/testing/image.ts
// runs the Dockerfile's own install and build commands in stage-shaped scratch folders and starts
// the production install read-only as the image user.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { buildSimulatedImage, readDockerfile } from '../../../scripts/src/testing/image';
import { freePort } from '../../../scripts/src/testing/postgres';

jest.setTimeout(240_000);

function get(
  port: number,
  p: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: p }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', () => resolve({ status: 0, headers: {}, body: '' }));
  });
}

describe('frontend Dockerfile', () => {
  test('multi-stage; the final stage runs node dist/main.js as a numeric non-root user and ships public/', () => {
    const d = readDockerfile('frontend');
    expect(d.text.match(/^FROM /gm)!.length).toBeGreaterThanOrEqual(3);
    expect(d.prodInstall).toMatch(/npm ci --omit=dev .*-w @techcommerce\/frontend/);
    expect(d.uid).toBeGreaterThan(0);
    expect(d.finalStage).toMatch(/^ENV NODE_ENV=production$/m);
    expect(d.finalStage).toMatch(/^EXPOSE 3000$/m);
    expect(d.finalStage).toMatch(/^CMD \["node", "dist\/main\.js"\]$/m);
    expect(d.finalStage).toMatch(/^COPY services\/frontend\/public /m);
    expect(d.finalStage).not.toMatch(/^RUN npm/m);
  });

  test('simulated image (no Docker engine): started read-only as the image user in production, it needs COOKIE_SECRET, then serves pages and assets and is ready when the APIs answer', async () => {
    // A minimal HTTP server answering /healthz stands in for both APIs (readiness only).
    const apis = http.createServer((req, res) => {
      res.writeHead(req.url === '/healthz' ? 200 : 404, { 'content-type': 'application/json' });
      res.end('{}');
    });
    await new Promise<void>((r) => apis.listen(0, '127.0.0.1', r));
    const apiUrl = `http://127.0.0.1:${(apis.address() as AddressInfo).port}`;
    const image = buildSimulatedImage('frontend');
    try {
      for (const dev of ['typescript', 'jest', 'supertest', '@swc/core', 'tsx', 'playwright-core'])
        expect(fs.existsSync(path.join(image.app, 'node_modules', dev))).toBe(false);
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
      let refusal = '';
      refused.stderr!.on('data', (d: Buffer) => (refusal += d.toString()));
      refused.stdout!.resume();
      expect(await new Promise((r) => refused.on('exit', r))).toBe(1);
      expect(refusal).toMatch(
        /COOKIE_SECRET \(or COOKIE_SECRET_FILE\) is required when environment is production/,
      );

      const proc = image.start({ env: { CONFIG_FILE: config, COOKIE_SECRET_FILE: secret } });
      let stderr = '';
      proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      proc.stdout!.resume();
      const exited = new Promise((r) => proc.on('exit', r));
      try {
        let ready = 0;
        for (
          const started = Date.now();
          Date.now() - started < 20_000 && ready !== 200 && proc.exitCode === null;
        ) {
          await new Promise((r) => setTimeout(r, 100));
          ready = (await get(port, '/readyz')).status;
        }
        expect({ ready, stderr }).toEqual({ ready: 200, stderr: '' });
        const page = await get(port, '/orders');
        expect(page.status).toBe(200);
        const css = /href="(\/assets\/styles\.[0-9a-f]{12}\.css)"/.exec(page.body)![1]!;
        const asset = await get(port, css);
        expect(asset.status).toBe(200);
        expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      } finally {
        proc.kill('SIGTERM');
        expect(await exited).toBe(0);
      }
    } finally {
      image.remove();
      await new Promise((r) => apis.close(r));
    }
  });
});
