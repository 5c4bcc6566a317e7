// A service entrypoint (src/main.ts or src/migrate.ts) as a real child process for tests: started
// with tsx from source (workspace packages resolved through tsconfig.tests.json, so no build is
// needed), its JSON log lines collected, its exit awaited. watchProcess() does the same for any
// child process (the simulated image starts dist/main.js with it).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

export interface ServiceProcess {
  proc: ChildProcess;
  stdout: string[];
  stderr: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The stdout lines that are JSON log records. */
  logs(): Record<string, unknown>[];
  /** The first log record with this msg; fails when the process exits or the time runs out. */
  waitForLog(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>;
}

export interface EntrypointOptions {
  /** Folder under services/, e.g. order-api. */
  service: string;
  entry: 'main' | 'migrate';
  /** Written to a JSON file in `dir` and passed as CONFIG_FILE. */
  config: unknown;
  dir: string;
  env?: Record<string, string>;
}

export function startEntrypoint(o: EntrypointOptions): ServiceProcess {
  const file = path.join(o.dir, `config-${o.service}-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(o.config));
  const proc = spawn(
    process.execPath,
    [
      require.resolve('tsx/cli'),
      '--tsconfig',
      path.join(root, 'tsconfig.tests.json'),
      `services/${o.service}/src/${o.entry}.ts`,
    ],
    {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', CONFIG_FILE: file, ...o.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return watchProcess(proc);
}

/** Collects the output of a child started with stdio pipes and awaits its exit. */
export function watchProcess(proc: ChildProcess): ServiceProcess {
  const stdout: string[] = [];
  const stderr: string[] = [];
  let partial = '';
  proc.stdout!.on('data', (d: Buffer) => {
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop() ?? '';
    stdout.push(...lines.filter(Boolean));
  });
  proc.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    // 'close', not 'exit': the output pipes are drained by then, so every log line is in stdout.
    proc.on('close', (code, signal) => {
      if (partial) stdout.push(partial);
      resolve({ code, signal });
    }),
  );
  const logs = () =>
    stdout.flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  return {
    proc,
    stdout,
    stderr,
    exit,
    logs,
    async waitForLog(msg, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const line = logs().find((l) => l.msg === msg);
        if (line) return line;
        if (proc.exitCode !== null)
          throw new Error(`exited ${proc.exitCode} before "${msg}": ${stderr.join('')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no "${msg}" log line within ${timeoutMs} ms; stderr: ${stderr.join('')}`);
    },
  };
}

/**
 * Polls GET /readyz on 127.0.0.1:port until it answers 200. Fails with the process's stderr when
 * the process exits first or the time runs out (the last status is in the message).
 */
export async function waitForReady(p: ServiceProcess, port: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let status = 0;
  while (Date.now() < deadline) {
    if (p.proc.exitCode !== null || p.proc.signalCode !== null)
      throw new Error(
        `exited (${p.proc.exitCode ?? p.proc.signalCode}) before /readyz answered 200: ${p.stderr.join('')}`,
      );
    status = await getStatus(port, '/readyz');
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `/readyz answered ${status || 'nothing'} for ${timeoutMs} ms; stderr: ${p.stderr.join('')}`,
  );
}

function getStatus(port: number, p: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: p, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}
