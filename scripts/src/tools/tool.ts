// What one step of the toolchain is, and what every step gets to work with.
import fs from 'node:fs';
import path from 'node:path';
import { probe } from './exec';
import { versionProblem } from './version-check';

export interface Context {
  cache: string;
  bin: string;
  /** Per-tool install folders: <cache>/tools/<name>-<version>. */
  tools: string;
  /** toolEnv(): <cache>/bin first on PATH. */
  env: NodeJS.ProcessEnv;
  isRoot: boolean;
}

export interface VersionProbe {
  bin: string;
  args: string[];
  /** Run something else on the binary's path (e.g. `go version -m` for a tool with no --version). */
  command?: (binPath: string) => [string, string[]];
  /** Read the version from the first output line matching this (default: the first version). */
  line?: RegExp;
  /** What the output must show; defaults to the step's version. */
  expect?: string;
}

export interface Step {
  /** Name used in progress lines and by `--only`. */
  name: string;
  version: string;
  /** Names this step puts into <cache>/bin. */
  bins: string[];
  /** Everything besides the version that a rebuild depends on (ldflags, go version, sources). */
  inputs(ctx: Context): unknown;
  /** Version commands run against <cache>/bin; each must print the pinned version. */
  probes: VersionProbe[];
  /** Checks beyond the version line (capabilities, plugin files, generated schemas). */
  check?(ctx: Context): string | undefined;
  /** Installed state is checked directly (dpkg), no stamp needed to call it cached. */
  stampless?: boolean;
  /** May a binary already on PATH at exactly this version be linked instead of building? */
  adoptFromPath?: boolean;
  install(ctx: Context): void;
  /** The verb for the progress line after install ("built", "installed", "generated"). */
  verb?: string;
}

export function toolDir(ctx: Context, step: { name: string; version: string }): string {
  return path.join(ctx.tools, `${step.name}-${step.version}`);
}

/** Points <cache>/bin/<name> at target (replacing whatever was there). */
export function link(ctx: Context, name: string, target: string): void {
  const dest = path.join(ctx.bin, name);
  fs.mkdirSync(ctx.bin, { recursive: true });
  fs.rmSync(dest, { force: true });
  fs.symlinkSync(target, dest);
}

/** Why the installed step is not good (missing, wrong version, failed check), or undefined. */
export function verify(ctx: Context, step: Step): string | undefined {
  for (const p of step.probes) {
    const bin = path.join(ctx.bin, p.bin);
    if (!fs.existsSync(bin)) return `${p.bin} is not installed`;
    const [cmd, args] = p.command ? p.command(bin) : [bin, p.args];
    let output = probe(cmd, args, ctx.env);
    if (output !== undefined && p.line) output = output.split('\n').find((l) => p.line?.test(l)) ?? '';
    const problem = versionProblem(output, p.expect ?? step.version);
    if (problem) return `${p.bin} ${problem}`;
  }
  return step.check?.(ctx);
}
