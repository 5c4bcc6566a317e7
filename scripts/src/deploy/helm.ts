// helm v3 and v4 behind one interface: the major decides the flag that rolls a failed upgrade
// back (--atomic became --rollback-on-failure in v4); release history and status as JSON.
import { toolEnv } from '../tools/paths';
import { CommandError, runCommand, type CommandOptions, type CommandResult } from '../cluster/command';
import { quote } from '../tools/exec';

export interface HelmRevision {
  revision: number;
  status: string;
  chart: string;
  app_version: string;
  description: string;
  updated: string;
}

// helm v3 and v4 log every symlinked subchart they follow; the charts use them on purpose.
const SYMLINK_NOTICE = /^.*found symbolic link in path.*$\n?/gm;
const isSymlinkNotice = (line: string) => /found symbolic link in path/.test(line);

export function cleanHelmOutput(text: string): string {
  return text.replace(SYMLINK_NOTICE, '');
}

export class Helm {
  private constructor(
    readonly bin: string,
    readonly version: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Finds the helm binary (HELM_BIN, else `helm` on the toolchain's PATH) and its major. */
  static async detect(
    bin = process.env.HELM_BIN || 'helm',
    env: NodeJS.ProcessEnv = toolEnv(),
  ): Promise<Helm> {
    const r = await runCommand(bin, ['version', '--template', '{{ .Version }}'], { env, timeoutMs: 30_000 });
    const version = r.stdout.trim();
    if (r.status !== 0 || !/^v\d+\./.test(version)) {
      throw new Error(
        `cannot tell the helm version of "${bin}" (${(r.stderr || r.stdout).trim() || `exit ${r.status}`})`,
      );
    }
    const helm = new Helm(bin, version, env);
    if (helm.major !== 3 && helm.major !== 4)
      throw new Error(`helm ${version} is not supported: use helm v3 or v4`);
    return helm;
  }

  get major(): number {
    return Number(this.version.slice(1).split('.')[0]);
  }

  /** The flag that makes `helm upgrade` wait and roll back by itself when the rollout fails. */
  get rollbackFlag(): string {
    return this.major >= 4 ? '--rollback-on-failure' : '--atomic';
  }

  async run(args: readonly string[], opts: CommandOptions = {}): Promise<CommandResult> {
    const r = await runCommand(this.bin, args, {
      env: this.env,
      streamFilter: (line) => !isSymlinkNotice(line),
      ...opts,
    });
    return { ...r, stderr: cleanHelmOutput(r.stderr) };
  }

  async must(args: readonly string[], opts: CommandOptions = {}): Promise<string> {
    const r = await this.run(args, opts);
    if (r.status !== 0) throw new CommandError(quote([this.bin, ...args]), r);
    return r.stdout;
  }

  /** Revisions oldest first; [] when the release does not exist. */
  async history(release: string, namespace: string): Promise<HelmRevision[]> {
    const r = await this.run(['history', release, '-n', namespace, '--max', '256', '-o', 'json']);
    if (r.status !== 0) {
      if (/not found/i.test(r.stderr)) return [];
      throw new CommandError(`${this.bin} history ${release} -n ${namespace}`, r);
    }
    return (JSON.parse(r.stdout) as HelmRevision[]).sort((a, b) => a.revision - b.revision);
  }
}

/** The revision the release runs now, if it is deployed. */
export function currentRevision(history: readonly HelmRevision[]): HelmRevision | undefined {
  const last = history[history.length - 1];
  return last?.status === 'deployed' ? last : undefined;
}

/**
 * The newest revision below `before` that was successfully deployed (now `superseded` or
 * `deployed`): what an explicit rollback goes back to. Failed and pending ones never count.
 */
export function lastGoodRevision(history: readonly HelmRevision[], before: number): HelmRevision | undefined {
  return [...history]
    .reverse()
    .find((h) => h.revision < before && (h.status === 'superseded' || h.status === 'deployed'));
}

const DURATION = /^(\d+(\.\d+)?(h|m|s|ms))+$/;

/** Milliseconds of a Go duration such as 10m, 90s or 1m30s (what helm's --timeout takes). */
export function durationMs(text: string): number {
  if (!DURATION.test(text))
    throw new Error(`--timeout must be a duration such as 10m, 90s or 1m30s, got "${text}"`);
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g))
    total += Number(m[1]) * (unit[m[2] as string] as number);
  return total;
}
