// Command lines of `npm run deploy` and `npm run rollback`, and what an environment name means:
// values/<env>.yaml, namespace techcommerce-<env> (production: techcommerce, as the values files'
// own comments say), release techcommerce.
import fs from 'node:fs';
import path from 'node:path';
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
Environment: HELM_BIN (helm binary, default helm), GITHUB_STEP_SUMMARY (Markdown summary file).`;

export const ROLLBACK_USAGE = `usage: npm run rollback -- <env|values-file> [REVISION] [options]
  REVISION              default: the newest earlier revision that was deployed successfully
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

/** Splits `--flag value`, `--flag=value` and positionals. */
function scan(argv: readonly string[], usage: string, valued: readonly string[]) {
  const flags: [string, string][] = [];
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith('-')) {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const key = eq > 0 && a.startsWith('--') ? a.slice(0, eq) : a;
    if (!valued.includes(key)) throw new UsageError(`unknown option ${key}`, usage);
    const value = eq > 0 && a.startsWith('--') ? a.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw new UsageError(`${key} needs a value`, usage);
    flags.push([key, value]);
  }
  return { flags, positionals };
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
  const { flags, positionals } = scan(argv, DEPLOY_USAGE, [
    '-f',
    '--values',
    '--set',
    '--timeout',
    '--namespace',
    '--release',
  ]);
  if (positionals.length !== 1) throw new UsageError('name one environment or values file', DEPLOY_USAGE);
  const target = resolveTarget(positionals[0] as string, flags, DEPLOY_USAGE);
  const extraValues = flags.filter(([k]) => k === '-f' || k === '--values').map(([, v]) => path.resolve(v));
  for (const f of extraValues)
    if (!fs.existsSync(f)) throw new UsageError(`values file not found: ${f}`, DEPLOY_USAGE);
  const set = flags.filter(([k]) => k === '--set').map(([, v]) => v);
  for (const s of set)
    if (!s.includes('=')) throw new UsageError(`--set takes KEY=VALUE, got "${s}"`, DEPLOY_USAGE);
  return { ...target, extraValues, set, timeout: timeoutFlag(flags, DEPLOY_USAGE) };
}

export function parseRollbackArgs(argv: readonly string[]): RollbackArgs {
  const { flags, positionals } = scan(argv, ROLLBACK_USAGE, ['--timeout', '--namespace', '--release']);
  if (positionals.length < 1 || positionals.length > 2) {
    throw new UsageError('name one environment (and optionally a revision)', ROLLBACK_USAGE);
  }
  const target = resolveTarget(positionals[0] as string, flags, ROLLBACK_USAGE);
  let revision: number | undefined;
  if (positionals[1] !== undefined) {
    revision = Number(positionals[1]);
    if (!Number.isInteger(revision) || revision < 1) {
      throw new UsageError(`REVISION must be a positive integer, got "${positionals[1]}"`, ROLLBACK_USAGE);
    }
  }
  return { ...target, revision, timeout: timeoutFlag(flags, ROLLBACK_USAGE) };
}
