// The three services as real child processes on loopback (TypeScript sources run with tsx, the
// embedded PGlite database, free ports), wired to each other like the umbrella chart wires them,
// with product-api's test-only fault switch on.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/testing/postgres';

const root = path.resolve(__dirname, '../../..');
export const ADMIN_TOKEN = 'monitoring-live-test-admin-token';
export const SERVICES = ['product-api', 'order-api', 'frontend'] as const;
export type ServiceName = (typeof SERVICES)[number];

interface Child {
  name: ServiceName;
  port: number;
  proc: ChildProcess;
  output: string[];
}

export interface Shop {
  url(service: ServiceName): string;
  port(service: ServiceName): number;
  /** The product-api fault switch (PUT /admin/faults). */
  setFaults(faults: { errorRatio: number; latencyMs: number }): Promise<void>;
  stop(): Promise<void>;
}

function start(
  name: ServiceName,
  port: number,
  config: unknown,
  env: Record<string, string>,
  dir: string,
): Child {
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(config));
  const proc = spawn(
    process.execPath,
    [
      require.resolve('tsx/cli'),
      '--tsconfig',
      path.join(root, 'tsconfig.tests.json'),
      `services/${name}/src/main.ts`,
    ],
    {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', CONFIG_FILE: file, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output: string[] = [];
  const keep = (d: Buffer) => {
    output.push(d.toString());
    if (output.length > 200) output.shift();
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  return { name, port, proc, output };
}

async function waitReady(c: Child, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (c.proc.exitCode !== null)
      throw new Error(`${c.name} exited ${c.proc.exitCode}:\n${c.output.join('')}`);
    try {
      if ((await fetch(`http://127.0.0.1:${c.port}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`${c.name} not ready within ${timeoutMs} ms:\n${c.output.join('')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stopChild(c: Child): Promise<void> {
  if (c.proc.exitCode !== null || c.proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => c.proc.once('exit', () => resolve()));
  c.proc.kill('SIGTERM');
  const timer = setTimeout(() => c.proc.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

export async function startShop(readyTimeoutMs = 90_000): Promise<Shop> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-shop-'));
  const ports = {
    'product-api': await freePort(),
    'order-api': await freePort(),
    frontend: await freePort(),
  };
  const url = (s: ServiceName) => `http://127.0.0.1:${ports[s]}`;
  // Request logs would only fill the buffers: warnings and errors are enough to debug a failure.
  const log = { level: 'warn' };
  const children: Child[] = [];
  try {
    children.push(
      start(
        'product-api',
        ports['product-api'],
        { server: { port: ports['product-api'] }, log, faults: { enabled: true } },
        { ADMIN_TOKEN },
        dir,
      ),
      start(
        'order-api',
        ports['order-api'],
        { server: { port: ports['order-api'] }, log, productApi: { url: url('product-api') } },
        {},
        dir,
      ),
      start(
        'frontend',
        ports.frontend,
        {
          server: { port: ports.frontend },
          log,
          apis: { productApi: { url: url('product-api') }, orderApi: { url: url('order-api') } },
        },
        {},
        dir,
      ),
    );
    await Promise.all(children.map((c) => waitReady(c, readyTimeoutMs)));
  } catch (e) {
    await Promise.all(children.map(stopChild));
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    url,
    port: (s) => ports[s],
    async setFaults(faults) {
      const res = await fetch(`${url('product-api')}/admin/faults`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(faults),
      });
      if (!res.ok) throw new Error(`PUT /admin/faults answered ${res.status}: ${await res.text()}`);
    },
    async stop() {
      await Promise.all(children.map(stopChild));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
