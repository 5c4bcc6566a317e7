// The kubeconfig of a deploy job, from the environment secret KUBE_CONFIG (base64): decoded into a
// private file under RUNNER_TEMP, checked to be a kubeconfig, and exported as KUBECONFIG through
// $GITHUB_ENV. The secret travels through an environment variable, never the command line, and
// nothing of it is printed.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export const KUBECONFIG_FILE = 'kubeconfig';

export function decodeKubeconfig(b64: string | undefined): string {
  if (!b64 || !b64.trim()) {
    throw new Error(
      'the KUBE_CONFIG secret is empty or missing for this GitHub Environment (docs/ci-cd.md, step 3)',
    );
  }
  const clean = b64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(clean) || clean.length % 4 !== 0) {
    throw new Error(
      'KUBE_CONFIG is not base64: store the output of base64 -w0 <kubeconfig> (docs/ci-cd.md, step 3)',
    );
  }
  const text = Buffer.from(clean, 'base64').toString('utf8');
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    doc = undefined;
  }
  if (!doc || typeof doc !== 'object' || (doc as { kind?: unknown }).kind !== 'Config') {
    throw new Error("KUBE_CONFIG decodes to something that is not a kubeconfig (no 'kind: Config')");
  }
  return text;
}

/** Writes the file (mode 600) and returns its path; appends KUBECONFIG=<path> to $GITHUB_ENV. */
export function writeKubeconfig(env: NodeJS.ProcessEnv, variable = 'KUBE_CONFIG_B64'): string {
  const dir = env.RUNNER_TEMP;
  if (!dir) throw new Error('RUNNER_TEMP is not set: this command runs in a GitHub Actions job');
  const text = decodeKubeconfig(env[variable]);
  const file = path.join(dir, KUBECONFIG_FILE);
  fs.writeFileSync(file, text, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  if (env.GITHUB_ENV) fs.appendFileSync(env.GITHUB_ENV, `KUBECONFIG=${file}\n`);
  return file;
}

export function removeKubeconfig(env: NodeJS.ProcessEnv): void {
  if (env.RUNNER_TEMP) fs.rmSync(path.join(env.RUNNER_TEMP, KUBECONFIG_FILE), { force: true });
}
