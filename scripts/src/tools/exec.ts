// Running external commands for the installer: every failure becomes a ToolError that names the
// tool, the exact command and the tail of its output, so a 15-minute build fails readably.
import { spawnSync } from 'node:child_process';

const TAIL_LINES = 25;

export class ToolError extends Error {
  constructor(
    readonly tool: string,
    readonly command: string,
    readonly detail: string,
  ) {
    super(`${tool}: \`${command}\` failed\n${detail}`);
    this.name = 'ToolError';
  }
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Builds can take many minutes; this only guards against a hung process. */
  timeoutMs?: number;
}

export function tail(text: string, lines = TAIL_LINES): string {
  const all = text.trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}

export function quote(args: readonly string[]): string {
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** Runs a command and returns stdout+stderr; throws ToolError naming `tool` on any failure. */
export function run(tool: string, cmd: string, args: readonly string[], opts: RunOptions = {}): string {
  const shown = quote([cmd, ...args]);
  const result = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: opts.timeoutMs ?? 60 * 60 * 1000,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.error) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    const why = missing ? `${cmd} is not installed (not found on PATH)` : result.error.message;
    throw new ToolError(tool, shown, `${why}\n${tail(output)}`.trimEnd());
  }
  if (result.status !== 0) {
    const how = result.signal ? `killed by ${result.signal}` : `exited ${result.status}`;
    throw new ToolError(tool, shown, `${how}; last lines of output:\n${tail(output)}`);
  }
  return output;
}

/** Like run(), but returns undefined instead of throwing: for probes ("is it there, which version?"). */
export function probe(cmd: string, args: readonly string[], env?: NodeJS.ProcessEnv): string | undefined {
  const result = spawnSync(cmd, args, { env: env ?? process.env, encoding: 'utf8', timeout: 30_000 });
  if (result.error || result.status !== 0) return undefined;
  return `${result.stdout ?? ''}${result.stderr ?? ''}`;
}
