// The local stack: product-api, order-api and the storefront as child processes (`node
// dist/main.js`, exactly what the images run), each on the embedded database with the seed
// catalog. Used by `npm start` and by the tests that need the whole shop (browser, bench).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { prettyLine } from './logs';

export const repoRoot = path.resolve(__dirname, '../../..');

export type ServiceName = 'product-api' | 'order-api' | 'frontend';
export const SERVICES: readonly ServiceName[] = ['product-api', 'order-api', 'frontend'];
export const DEFAULT_PORTS: Record<ServiceName, number> = {
  'product-api': 5000,
  'order-api': 7000,
  frontend: 3000,
};

export interface StackOptions {
  ports?: Partial<Record<ServiceName, number>>;
  /** Where each (pretty) log line goes. */
  out?: (line: string) => void;
  color?: boolean;
  /** Environment for the services (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

interface Child {
  name: ServiceName;
  port: number;
  proc: ChildProcess;
  /** It logged "shutdown requested": it has its signal already (e.g. Ctrl-C reached the group). */
  stopping: boolean;
  exited: Promise<number>;
  /** The last lines it wrote, for start-up failures. */
  tail: string[];
}

/** Config for a service on a port other than its default (the defaults need no file at all). */
function configFor(name: ServiceName, ports: Record<ServiceName, number>): object {
  const server = { port: ports[name] };
  if (name === 'order-api')
    return { server, productApi: { url: `http://127.0.0.1:${ports['product-api']}` } };
  if (name === 'frontend')
    return {
      server,
      apis: {
        productApi: { url: `http://127.0.0.1:${ports['product-api']}` },
        orderApi: { url: `http://127.0.0.1:${ports['order-api']}` },
      },
    };
  return { server };
}

export class Stack {
  readonly ports: Record<ServiceName, number>;
  private readonly children: Child[] = [];
  private readonly configDir: string | undefined;
  private starting: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly o: StackOptions = {}) {
    this.ports = { ...DEFAULT_PORTS, ...o.ports };
    const custom = SERVICES.some((s) => this.ports[s] !== DEFAULT_PORTS[s]);
    this.configDir = custom ? fs.mkdtempSync(path.join(os.tmpdir(), 'techcommerce-stack-')) : undefined;
  }

  url(name: ServiceName): string {
    return `http://localhost:${this.ports[name]}`;
  }

  /**
   * Starts the services in the order they call each other (product-api, order-api, storefront),
   * each once the one before answers /readyz: started all at once, the callers' first calls
   * failed and their upstream clients logged circuit-breaker warnings before anything was wrong.
   * `ready()` says when the last one is up, or why one did not start.
   */
  start(names: readonly ServiceName[] = SERVICES, timeoutMs = 180_000): void {
    const width = Math.max(...names.map((n) => n.length));
    const order = SERVICES.filter((s) => names.includes(s));
    const deadline = Date.now() + timeoutMs;
    this.starting = (async () => {
      for (const name of order) {
        if (this.stopped) return;
        await waitReady(this.spawn(name, width), deadline, timeoutMs);
      }
    })();
    // Reported through ready(); never an unhandled rejection meanwhile.
    this.starting.catch(() => undefined);
  }

  private spawn(name: ServiceName, width: number): Child {
    const env: NodeJS.ProcessEnv = { ...(this.o.env ?? process.env) };
    delete env.CONFIG_FILE;
    if (this.configDir) {
      const file = path.join(this.configDir, `${name}.json`);
      fs.writeFileSync(file, JSON.stringify(configFor(name, this.ports)));
      env.CONFIG_FILE = file;
    }
    const proc = spawn(process.execPath, ['dist/main.js'], {
      cwd: path.join(repoRoot, 'services', name),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const child: Child = {
      name,
      port: this.ports[name],
      proc,
      stopping: false,
      tail: [],
      exited: new Promise((resolve) =>
        proc.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))),
      ),
    };
    const out = this.o.out ?? ((l: string) => process.stdout.write(`${l}\n`));
    for (const stream of [proc.stdout!, proc.stderr!]) {
      readline.createInterface({ input: stream }).on('line', (line) => {
        if (line.includes('"msg":"shutdown requested"')) child.stopping = true;
        child.tail.push(line);
        if (child.tail.length > 20) child.tail.shift();
        out(prettyLine(name, line, { color: this.o.color ?? false, width }));
      });
    }
    this.children.push(child);
    return child;
  }

  /**
   * Resolves when every service answers /readyz with 200; rejects when one exits first (with
   * its last lines, or a clear message when its port was taken) or when the time runs out.
   */
  async ready(timeoutMs = 180_000): Promise<void> {
    if (!this.starting) throw new Error('start() the stack first');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the stack was not ready within ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([this.starting, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves with the first service that exits on its own (not through stop()). */
  firstExit(): Promise<{ name: ServiceName; code: number }> {
    return Promise.race(this.children.map((c) => c.exited.then((code) => ({ name: c.name, code }))));
  }

  /**
   * SIGINT to every service that does not have it yet (Ctrl-C in a terminal already reached the
   * whole process group), then wait; SIGKILL whatever is still running after timeoutMs.
   * Resolves with each service's exit code.
   */
  async stop(timeoutMs = 25_000): Promise<Record<string, number>> {
    this.stopped = true;
    for (const c of this.children) if (!c.stopping && c.proc.exitCode === null) c.proc.kill('SIGINT');
    const timer = setTimeout(() => {
      for (const c of this.children) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
    }, timeoutMs);
    const codes = await Promise.all(this.children.map((c) => c.exited));
    clearTimeout(timer);
    if (this.configDir) fs.rmSync(this.configDir, { recursive: true, force: true });
    return Object.fromEntries(this.children.map((c, i) => [c.name, codes[i]!]));
  }

  /** The process ids (tests stop one service to see the storefront degrade). */
  pid(name: ServiceName): number | undefined {
    return this.children.find((c) => c.name === name)?.proc.pid;
  }

  /** Stops one service (SIGINT) and waits for it. */
  async stopOne(name: ServiceName): Promise<number> {
    const c = this.children.find((x) => x.name === name);
    if (!c) throw new Error(`${name} is not part of this stack`);
    if (c.proc.exitCode === null) c.proc.kill('SIGINT');
    return c.exited;
  }
}

/** Polls the service's /readyz until 200; throws when it exits first or the deadline passes. */
async function waitReady(c: Child, deadline: number, timeoutMs: number): Promise<void> {
  let exitCode: number | undefined;
  void c.exited.then((code) => (exitCode = code));
  for (;;) {
    if (exitCode !== undefined) throw new Error(startFailure(c, exitCode));
    if (await answersReady(c.port)) return;
    if (Date.now() > deadline)
      throw new Error(`${c.name} was not ready on port ${c.port} within ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

function startFailure(c: Child, code: number): string {
  const text = c.tail.join('\n');
  if (/EADDRINUSE/.test(text))
    return `Port ${c.port} is already in use, so ${c.name} cannot start. Stop whatever listens on port ${c.port} and try again.`;
  return `${c.name} exited with code ${code} before it was ready. Its last lines:\n${text}`;
}

async function answersReady(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The services that exist in this checkout (a fresh clone has all three). */
export function presentServices(): ServiceName[] {
  return SERVICES.filter((s) => fs.existsSync(path.join(repoRoot, 'services', s, 'package.json')));
}
