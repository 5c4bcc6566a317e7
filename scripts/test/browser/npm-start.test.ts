// `npm start` as a user runs it: a subprocess on the ports 3000/5000/7000 (or moved by
// --port-offset) that starts the services in the order they call each other without a single
// circuit-breaker warning, prints the URLs when every service is ready, says which port is taken,
// and stops all three cleanly on Ctrl-C (SIGINT to the whole process group, as a terminal sends it).
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { portIsFree } from '../../src/start/ports';
import { repoRoot } from '../../src/start/stack';

jest.setTimeout(240_000);

const PORTS = [3000, 5000, 7000];
const OFFSET = 137;

function npmStart(args: string[] = []): {
  proc: ChildProcess;
  output: () => string;
  exited: Promise<number>;
} {
  let output = '';
  const proc = spawn(
    process.execPath,
    [path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/src/start/main.ts', ...args],
    {
      cwd: repoRoot,
      env: { ...process.env, CONFIG_FILE: '' },
      detached: true, // its own process group, like a terminal's foreground job
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  proc.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number>((r) => proc.once('exit', (code) => r(code ?? 1)));
  return { proc, output: () => output, exited };
}

async function waitFor(check: () => boolean, ms: number, what: string, output: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output so far:\n${output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('npm start', () => {
  beforeAll(async () => {
    for (const port of [...PORTS, ...PORTS.map((p) => p + OFFSET)])
      if (!(await portIsFree(port)))
        throw new Error(`port ${port} is taken before the test: stop what runs there`);
  });

  it('names the port that is already in use and starts nothing', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(7000, r));
    try {
      const run = npmStart();
      const code = await run.exited;
      expect(code).toBe(1);
      expect(run.output()).toContain('Port 7000 is already in use, so order-api cannot start.');
      expect(await portIsFree(3000)).toBe(true);
      expect(await portIsFree(5000)).toBe(true);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('--port-offset: starts quietly in order, prints every URL, stops cleanly on Ctrl-C', async () => {
    const run = npmStart(['--port-offset', String(OFFSET)]);
    const [web, products, orders] = PORTS.map((p) => p + OFFSET) as [number, number, number];
    try {
      await waitFor(
        () => run.output().includes(`TechCommerce is ready: http://localhost:${web}`),
        180_000,
        'the ready line',
        run.output,
      );
      expect(run.output()).toContain(`product-api: http://localhost:${products}`);
      expect(run.output()).toContain(`order-api: http://localhost:${orders}`);
      // Every service is really up on the moved ports: the storefront renders products.
      const home = await fetch(`http://127.0.0.1:${web}/`);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('class="card"');
      for (const port of [products, orders])
        expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      // Nothing on the default ports.
      for (const port of PORTS) expect(await portIsFree(port)).toBe(true);
      // Started in order, each once the one it calls is ready: no caller met a missing upstream.
      expect(run.output()).not.toMatch(/circuit breaker/i);
      const firstLine = (name: string) => run.output().search(new RegExp(`^${name} +│ `, 'm'));
      expect(firstLine('product-api')).toBeLessThan(firstLine('order-api'));
      expect(firstLine('order-api')).toBeLessThan(firstLine('frontend'));

      process.kill(-run.proc.pid!, 'SIGINT');
      expect(await run.exited).toBe(0);
      expect(run.output()).toContain('All services stopped cleanly.');
      for (const port of [web, products, orders]) expect(await portIsFree(port)).toBe(true);
    } finally {
      if (run.proc.exitCode === null) process.kill(-run.proc.pid!, 'SIGKILL');
    }
  });

  it('a bad --port-offset is a usage error (exit 2) that starts nothing', async () => {
    const run = npmStart(['--port-offset', 'lots']);
    expect(await run.exited).toBe(2);
    expect(run.output()).toContain('--port-offset needs a whole number of 0 or more (got lots)');
  });
});
