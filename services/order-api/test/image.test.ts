// What the order-api image does, without a Docker engine (none here): scripts/src/testing/image.ts
// runs the Dockerfile's own install and build commands in stage-shaped scratch folders and starts
// the production install read-only as the image user.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { buildSimulatedImage, readDockerfile } from '../../../scripts/src/testing/image';
import { createTestDatabase, freePort } from '../../../scripts/src/testing/postgres';
import { newKey, postgresSettings, startProductApi } from './helpers';

const root = path.resolve(__dirname, '../../..');

function call(port: number, method: string, p: string, body?: unknown, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string }>((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: p,
        method,
        headers: { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('order-api Dockerfile', () => {
  test('multi-stage; the final stage runs node dist/main.js as a numeric non-root user with NODE_ENV=production', () => {
    const d = readDockerfile('order-api');
    expect(d.text.match(/^FROM /gm)!.length).toBeGreaterThanOrEqual(3);
    expect(d.prodInstall).toMatch(/npm ci --omit=dev .*-w @techcommerce\/order-api/);
    expect(d.uid).toBeGreaterThan(0);
    expect(d.finalStage).toMatch(/^ENV NODE_ENV=production$/m);
    expect(d.finalStage).toMatch(/^EXPOSE 7000$/m);
    expect(d.finalStage).toMatch(/^CMD \["node", "dist\/main\.js"\]$/m);
    expect(d.finalStage).toMatch(/^COPY services\/order-api\/migrations /m);
    expect(d.finalStage).not.toMatch(/^RUN npm/m);
    const ignore = fs.readFileSync(path.join(root, 'services/order-api/Dockerfile.dockerignore'), 'utf8');
    for (const p of ['**/node_modules', '**/dist', '**/test', '.git', '.env'])
      expect(ignore.split('\n')).toContain(p);
  });

  test('simulated image (no Docker engine): built by the Dockerfile commands, started read-only as the image user, it migrates, gets ready and places an order', async () => {
    const products = await startProductApi();
    const image = buildSimulatedImage('order-api');
    try {
      for (const dev of ['typescript', 'jest', 'supertest', '@swc/core', 'tsx']) {
        expect(fs.existsSync(path.join(image.app, 'node_modules', dev))).toBe(false);
      }
      const port = await freePort();
      const config = path.join(image.scratch, 'config.json');
      fs.writeFileSync(
        config,
        JSON.stringify({
          server: { port, drainDelaySeconds: 0 },
          database: postgresSettings(await createTestDatabase('oa_image')),
          productApi: { url: products.url },
        }),
      );
      const proc = image.start({ env: { CONFIG_FILE: config }, files: [config] });
      let stderr = '';
      proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      proc.stdout!.resume();
      const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
      try {
        const started = Date.now();
        let status = 0;
        while (Date.now() - started < 20_000 && status !== 200 && proc.exitCode === null) {
          await new Promise((r) => setTimeout(r, 100));
          status = (await call(port, 'GET', '/readyz')).status;
        }
        expect({ status, stderr }).toEqual({ status: 200, stderr: '' });
        const item = await products.product('IMAGE', { stock: 3 });
        const placed = await call(
          port,
          'POST',
          '/orders',
          { customerId: 'img', items: [{ productId: item.id, quantity: 1 }] },
          { 'idempotency-key': newKey() },
        );
        expect(placed.status).toBe(201);
        proc.kill('SIGTERM');
        expect(await exited).toBe(0);
      } finally {
        proc.kill('SIGKILL');
      }
    } finally {
      image.remove();
      await products.close();
    }
  }, 240_000);
});
