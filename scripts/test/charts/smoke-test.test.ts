// The umbrella's `helm test` script (charts/techcommerce/files/smoke-test.js), run exactly as the
// test pod runs it (`node -e <script>`) against real local HTTP servers standing in for the
// services' /readyz: ready, not ready, hanging, refused, and ready only on a retry.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { repoRoot } from './helpers';

const script = fs.readFileSync(path.join(repoRoot, 'charts/techcommerce/files/smoke-test.js'), 'utf8');

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
const servers: http.Server[] = [];

async function serve(handler: Handler): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`;
}

afterAll(async () => {
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

function smoke(
  urls: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script], {
      env: { PATH: process.env.PATH, SMOKE_URLS: urls.join(' '), SMOKE_RETRY_DELAY_MS: '50', ...env },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
}

const ready: Handler = (_req, res) => res.end('{"status":"ok"}');

describe('helm test smoke script', () => {
  it('passes when every service answers 200', async () => {
    const urls = [await serve(ready), await serve(ready), await serve(ready)];
    const r = await smoke(urls);
    expect(r.code).toBe(0);
    expect(r.out).toContain('smoke-test: 3 of 3 services ready');
  });

  it('fails naming the service that answers 503, with its body', async () => {
    const bad = await serve((_req, res) => {
      res.statusCode = 503;
      res.end('{"status":"fail","checks":{"database":"timeout"}}');
    });
    const r = await smoke([await serve(ready), bad], { SMOKE_ATTEMPTS: '2' });
    expect(r.code).toBe(1);
    expect(r.out).toContain(`FAIL ${bad}: HTTP 503 {"status":"fail","checks":{"database":"timeout"}}`);
    expect(r.out).toContain('smoke-test: 1 of 2 services ready');
  });

  it('fails a service that does not answer within the timeout', async () => {
    const hanging = await serve(() => undefined);
    const r = await smoke([hanging], { SMOKE_TIMEOUT_MS: '200', SMOKE_ATTEMPTS: '1' });
    expect(r.code).toBe(1);
    expect(r.out).toContain(`FAIL ${hanging}: no answer within 200 ms`);
  });

  it('fails a service that refuses the connection', async () => {
    const closed = await serve(ready);
    const last = servers[servers.length - 1] as http.Server;
    await new Promise((resolve) => last.close(resolve));
    const r = await smoke([closed], { SMOKE_ATTEMPTS: '1' });
    expect(r.code).toBe(1);
    expect(r.out).toContain(`FAIL ${closed}: fetch failed (ECONNREFUSED)`);
  });

  it('passes a service that becomes ready on a later attempt', async () => {
    let calls = 0;
    const slow = await serve((_req, res) => {
      calls += 1;
      res.statusCode = calls < 3 ? 503 : 200;
      res.end();
    });
    const r = await smoke([slow], { SMOKE_ATTEMPTS: '3' });
    expect(r.code).toBe(0);
    expect(r.out).toContain(`ok   ${slow}: 200 after 3 attempt(s)`);
  });

  it('refuses to run with no URLs', async () => {
    const r = await smoke([]);
    expect(r.code).toBe(2);
    expect(r.out).toContain('SMOKE_URLS is empty');
  });
});
