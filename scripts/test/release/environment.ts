// Installing an environment's values file the way users deploy (helm upgrade --install --atomic
// --wait), after creating the Secrets that file says must exist beforehand.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { environmentSecrets, mustHelm, repoRoot, UMBRELLA, type HelmBin } from './helpers';

/**
 * Added after values/local-cluster.yaml by the kwok-shaped tests: the same release on the
 * simulated nodes instead of the real node (see the file).
 */
export const KWOK_NODES = path.join(__dirname, 'kwok-nodes.yaml');

export function valuesFile(env: string): string {
  return path.join(repoRoot, 'values', `${env}.yaml`);
}

/** The Ingress TLS Secret an environment's values name (made outside Helm). */
export function tlsSecretName(file: string): string {
  const v = parse(fs.readFileSync(file, 'utf8')) as { ingress?: { tls?: { secretName?: string } } };
  return v.ingress?.tls?.secretName || 'techcommerce-tls';
}

export async function prepareEnvironment(namespace: string, file: string): Promise<void> {
  await environmentSecrets(namespace, tlsSecretName(file));
}

export interface InstallOptions {
  bin?: HelmBin;
  chart?: string;
  values?: string[];
  set?: string[];
  timeout?: string;
}

/** `helm upgrade --install` with the helm major's rollback flag; resolves helm's stdout. */
export function upgradeArgs(release: string, namespace: string, o: InstallOptions): string[] {
  const bin = o.bin ?? 'helm';
  const args = ['upgrade', '--install', release, o.chart ?? UMBRELLA, '-n', namespace];
  for (const f of o.values ?? []) args.push('-f', f);
  for (const s of o.set ?? []) args.push('--set', s);
  args.push(bin === 'helm4' ? '--rollback-on-failure' : '--atomic', '--wait', '--timeout', o.timeout ?? '3m');
  return args;
}

export function install(release: string, namespace: string, o: InstallOptions = {}): Promise<string> {
  return mustHelm(o.bin ?? 'helm', upgradeArgs(release, namespace, o));
}
