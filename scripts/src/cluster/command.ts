// Runs the Kubernetes tools (kwokctl, kubectl, helm) as child processes: output captured (and
// optionally streamed to the user), stdin fed, a timeout that kills the whole process, and a
// failure that names the exact command.
import { spawn } from 'node:child_process';
import { quote } from '../tools/exec';

export interface CommandResult {
  status: number;
  stdout: string;
  stderr: string;
  /** Wall time in milliseconds. */
  ms: number;
}

export interface CommandOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string;
  timeoutMs?: number;
  /** Copy the command's output to this process's stdout/stderr as it comes. */
  stream?: boolean;
  /** With `stream`: only lines for which this returns true are copied (all are captured). */
  streamFilter?: (line: string) => boolean;
  /** Called with each output line (stdout and stderr) as it arrives, e.g. to timestamp it. */
  onLine?: (line: string) => void;
}

/** Hands whole lines to `sink`, holding back a partial last line until it is complete. */
function lineSplitter(sink: (line: string) => void) {
  let pending = '';
  return {
    write(chunk: string) {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const l of lines) sink(l);
    },
    flush() {
      if (pending) sink(pending);
      pending = '';
    },
  };
}

export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly result: CommandResult,
  ) {
    const out = `${result.stderr}${result.stdout}`.trimEnd().split('\n').slice(-40).join('\n');
    super(`\`${command}\` exited ${result.status}\n${out}`);
    this.name = 'CommandError';
  }
}

export function runCommand(
  cmd: string,
  args: readonly string[],
  opts: CommandOptions = {},
): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, opts.timeoutMs);
    const keep = opts.streamFilter ?? (() => true);
    const sink = (out: NodeJS.WriteStream) => (line: string) => {
      opts.onLine?.(line);
      if (opts.stream && keep(line)) out.write(`${line}\n`);
    };
    const watched = opts.stream || opts.onLine !== undefined;
    const outWriter = watched ? lineSplitter(sink(process.stdout)) : undefined;
    const errWriter = watched ? lineSplitter(sink(process.stderr)) : undefined;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      outWriter?.write(d);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      errWriter?.write(d);
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (timer) clearTimeout(timer);
      reject(e.code === 'ENOENT' ? new Error(`${cmd} was not found: run \`npm run tools\``) : e);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      outWriter?.flush();
      errWriter?.flush();
      if (timedOut) stderr += `\n(killed after ${opts.timeoutMs} ms)`;
      const status = code ?? (signal ? 128 : 1);
      resolve({ status, stdout, stderr, ms: Date.now() - started });
    });
    child.stdin.on('error', () => undefined); // a command that exits before reading its input
    child.stdin.end(opts.input ?? '');
  });
}

/** Like runCommand, but a non-zero exit throws CommandError. */
export async function mustRun(
  cmd: string,
  args: readonly string[],
  opts: CommandOptions = {},
): Promise<CommandResult> {
  const r = await runCommand(cmd, args, opts);
  if (r.status !== 0) throw new CommandError(quote([cmd, ...args]), r);
  return r;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns a value (not undefined) or the deadline passes. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  opts: { timeoutMs: number; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${what}${why}`);
    }
    await sleep(opts.intervalMs ?? 500);
  }
}
