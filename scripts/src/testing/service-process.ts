// A service entrypoint (src/main.ts or src/migrate.ts) as a real child process for tests: started
// with tsx from source (workspace packages resolved through tsconfig.tests.json, so no build is
// needed), its JSON log lines collected, its exit awaited.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
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
    proc.on('exit', (code, signal) => {
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
