// `npm start` as a user runs it: a subprocess on the fixed ports 3000/5000/7000 that prints the
// storefront URL when every service is ready, says which port is taken, and stops all three
// services cleanly on Ctrl-C (SIGINT to the whole process group, as a terminal sends it).
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { portIsFree } from '../../src/start/ports';
import { repoRoot } from '../../src/start/stack';

jest.setTimeout(240_000);

const PORTS = [3000, 5000, 7000];

function npmStart(): { proc: ChildProcess; output: () => string; exited: Promise<number> } {
  let output = '';
  const proc = spawn(
    process.execPath,
    [path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/src/start/main.ts'],
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
    for (const port of PORTS)
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

  it('prints the storefront URL when all three are ready and stops them cleanly on Ctrl-C', async () => {
    const run = npmStart();
    try {
      await waitFor(
        () => run.output().includes('TechCommerce is ready: http://localhost:3000'),
        180_000,
        'the ready line',
        run.output,
      );
      // Every service is really up: the storefront renders products from product-api.
      const home = await fetch('http://127.0.0.1:3000/');
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('class="card"');
      for (const port of [5000, 7000])
        expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      // Log lines carry a per-service prefix.
      expect(run.output()).toMatch(/^product-api │ /m);
      expect(run.output()).toMatch(/^order-api {3}│ /m);
      expect(run.output()).toMatch(/^frontend {4}│ /m);

      process.kill(-run.proc.pid!, 'SIGINT');
      expect(await run.exited).toBe(0);
      expect(run.output()).toContain('All services stopped cleanly.');
      for (const port of PORTS) expect(await portIsFree(port)).toBe(true);
    } finally {
      if (run.proc.exitCode === null) process.kill(-run.proc.pid!, 'SIGKILL');
    }
  });
});
