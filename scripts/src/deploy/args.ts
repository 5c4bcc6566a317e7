// Command lines of `npm run deploy` and `npm run rollback`, and what an environment name means:
// values/<env>.yaml, namespace techcommerce-<env> (production: techcommerce, as the values files'
// own comments say), release techcommerce.
import fs from 'node:fs';
import path from 'node:path';
import { imageServices } from '../ci/charts';
import { parseImages } from '../ci/digests';
import { durationMs } from './helm';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const CHART = path.join(REPO_ROOT, 'charts', 'techcommerce');
export const DEFAULT_RELEASE = 'techcommerce';
export const DEFAULT_TIMEOUT = '10m';

export const DEPLOY_USAGE = `usage: npm run deploy -- <env|values-file> [options]
  <env>                 staging, production, … (values/<env>.yaml) or a path to a values file
  -f, --values FILE     another values file on top (repeatable)
  --set KEY=VALUE       a value on top (repeatable; Helm's --set syntax)
  --timeout DURATION    how long the rollout, the hooks and the tests may take (default ${DEFAULT_TIMEOUT})
  --namespace NS        default: techcommerce-<env> (production: techcommerce)
  --release NAME        default: ${DEFAULT_RELEASE}
  --images JSON         {"<service>": "<repository>@sha256:…", …} for every service: deploy by digest
  --create-namespace    create the namespace (restricted Pod Security labels) if needed; needs
                        cluster-scope rights. Without it the namespace must exist (npm run namespace)
Environment: HELM_BIN (helm binary, default helm), GITHUB_STEP_SUMMARY (Markdown summary file).`;

export const NAMESPACE_USAGE = `usage: npm run namespace -- <env|values-file> [--namespace NS]
  Creates the namespace, or labels an existing one: Pod Security restricted (enforce, audit, warn).
  Needs cluster-scope rights on namespaces (a cluster admin, once per environment).`;

export const ROLLBACK_USAGE = `usage: npm run rollback -- <env|values-file> [REVISION] [options]
  REVISION              default: the newest earlier revision that was deployed successfully
  --revision REVISION   the same as a flag; empty means the default (the rollback workflow's input)
  --timeout DURATION    default ${DEFAULT_TIMEOUT}
  --namespace NS, --release NAME   as for deploy`;

export interface Target {
  /** What the user named: an environment or a values file. */
  name: string;
  valuesFile: string;
  namespace: string;
  release: string;
}

export interface DeployArgs extends Target {
  extraValues: string[];
  set: string[];
  timeout: string;
  createNamespace: boolean;
}

export interface RollbackArgs extends Target {
  revision?: number;
  timeout: string;
}

export class UsageError extends Error {
  constructor(message: string, usage: string) {
    super(`${message}\n${usage}`);
    this.name = 'UsageError';
  }
}

/** Splits `--flag value`, `--flag=value`, switches and positionals. */
function scan(
  argv: readonly string[],
  usage: string,
  valued: readonly string[],
  switches: readonly string[] = [],
  /** Flags whose empty value means "not given" (a workflow input left empty). */
  emptyOk: readonly string[] = [],
) {
  const flags: [string, string][] = [];
  const on = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith('-')) {
      positionals.push(a);
      continue;
    }
    if (switches.includes(a)) {
      on.add(a);
      continue;
    }
    const eq = a.indexOf('=');
    const key = eq > 0 && a.startsWith('--') ? a.slice(0, eq) : a;
    if (!valued.includes(key)) throw new UsageError(`unknown option ${key}`, usage);
    const value = eq > 0 && a.startsWith('--') ? a.slice(eq + 1) : argv[++i];
    if (value === '' && emptyOk.includes(key)) continue;
    if (value === undefined || value === '') throw new UsageError(`${key} needs a value`, usage);
    flags.push([key, value]);
  }
  return { flags, positionals, on };
}

function resolveTarget(name: string, flags: [string, string][], usage: string): Target {
  const looksLikeFile = /[/\\]|\.ya?ml$/.test(name);
  const valuesFile = looksLikeFile ? path.resolve(name) : path.join(REPO_ROOT, 'values', `${name}.yaml`);
  if (!fs.existsSync(valuesFile)) {
    const envs = fs
      .readdirSync(path.join(REPO_ROOT, 'values'))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.replace(/\.yaml$/, ''));
    throw new UsageError(
      looksLikeFile
        ? `values file not found: ${name}`
        : `unknown environment "${name}" (no values/${name}.yaml); environments: ${envs.join(', ')}`,
      usage,
    );
  }
  const env = path.basename(valuesFile).replace(/\.ya?ml$/, '');
  const last = (key: string) =>
    flags
      .filter(([k]) => k === key)
      .map(([, v]) => v)
      .pop();
  const namespace = last('--namespace') ?? (env === 'production' ? 'techcommerce' : `techcommerce-${env}`);
  const release = last('--release') ?? DEFAULT_RELEASE;
  for (const [what, v] of [
    ['namespace', namespace],
    ['release', release],
  ] as const) {
    if (!/^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$/.test(v)) {
      throw new UsageError(
        `--${what} must be a DNS label (lowercase letters, digits, dashes), got "${v}"`,
        usage,
      );
    }
  }
  return { name, valuesFile, namespace, release };
}

function timeoutFlag(flags: [string, string][], usage: string): string {
  const timeout =
    flags
      .filter(([k]) => k === '--timeout')
      .map(([, v]) => v)
      .pop() ?? DEFAULT_TIMEOUT;
  try {
    durationMs(timeout);
  } catch (e) {
    throw new UsageError((e as Error).message, usage);
  }
  return timeout;
}

export function parseDeployArgs(argv: readonly string[]): DeployArgs {
  const { flags, positionals, on } = scan(
    argv,
    DEPLOY_USAGE,
    ['-f', '--values', '--set', '--timeout', '--namespace', '--release', '--images'],
    ['--create-namespace'],
  );
  if (positionals.length !== 1) throw new UsageError('name one environment or values file', DEPLOY_USAGE);
  const target = resolveTarget(positionals[0] as string, flags, DEPLOY_USAGE);
  const extraValues = flags.filter(([k]) => k === '-f' || k === '--values').map(([, v]) => path.resolve(v));
  for (const f of extraValues)
    if (!fs.existsSync(f)) throw new UsageError(`values file not found: ${f}`, DEPLOY_USAGE);
  const set = flags.filter(([k]) => k === '--set').map(([, v]) => v);
  for (const s of set)
    if (!s.includes('=')) throw new UsageError(`--set takes KEY=VALUE, got "${s}"`, DEPLOY_USAGE);
  for (const [k, json] of flags) {
    if (k !== '--images') continue;
    try {
      for (const [service, image] of Object.entries(parseImages(json, imageServices(REPO_ROOT))))
        set.push(
          `${service}.image.repository=${image.repository}`,
          `${service}.image.digest=${image.digest}`,
        );
    } catch (e) {
      throw new UsageError((e as Error).message, DEPLOY_USAGE);
    }
  }
  return {
    ...target,
    extraValues,
    set,
    timeout: timeoutFlag(flags, DEPLOY_USAGE),
    createNamespace: on.has('--create-namespace'),
  };
}

export function parseNamespaceArgs(argv: readonly string[]): Target {
  const { flags, positionals } = scan(argv, NAMESPACE_USAGE, ['--namespace']);
  if (positionals.length !== 1) throw new UsageError('name one environment or values file', NAMESPACE_USAGE);
  return resolveTarget(positionals[0] as string, flags, NAMESPACE_USAGE);
}

export function parseRollbackArgs(argv: readonly string[]): RollbackArgs {
  const { flags, positionals } = scan(
    argv,
    ROLLBACK_USAGE,
    ['--timeout', '--namespace', '--release', '--revision'],
    [],
    ['--revision'],
  );
  if (positionals.length < 1 || positionals.length > 2) {
    throw new UsageError('name one environment (and optionally a revision)', ROLLBACK_USAGE);
  }
  const target = resolveTarget(positionals[0] as string, flags, ROLLBACK_USAGE);
  const given = [positionals[1], ...flags.filter(([k]) => k === '--revision').map(([, v]) => v)].filter(
    (v): v is string => v !== undefined,
  );
  if (given.length > 1) throw new UsageError('give the revision once', ROLLBACK_USAGE);
  let revision: number | undefined;
  if (given[0] !== undefined) {
    revision = Number(given[0]);
    if (!Number.isInteger(revision) || revision < 1) {
      throw new UsageError(`REVISION must be a positive integer, got "${given[0]}"`, ROLLBACK_USAGE);
    }
  }
  return { ...target, revision, timeout: timeoutFlag(flags, ROLLBACK_USAGE) };
}
