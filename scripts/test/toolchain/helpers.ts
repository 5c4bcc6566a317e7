// Shared by the toolchain smoke tests: run an installed tool with the toolchain's PATH.
import { spawnSync } from 'node:child_process';
import { requireTool, toolEnv } from '../../src/tools/paths';

export interface Result {
  status: number | null;
  output: string;
}

/** Runs <cache>/bin/<name>; a missing tool fails the test with "run npm run tools". */
export function runTool(
  name: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Result {
  const r = spawnSync(requireTool(name), args, {
    cwd: opts.cwd,
    env: { ...toolEnv(), ...opts.env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
