// Shared by the release suites: the test cluster's kubectl and helm, namespaces that enforce the
// restricted Pod Security Standard, the Secrets staging and production expect, and what a
// release looks like on the cluster (Deployments, their pod templates, ConfigMaps).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCommand, waitFor, type CommandResult } from '../../src/cluster/command';
import { Kubectl, type KubeList } from '../../src/cluster/kubectl';
import { ctInstallArgs } from '../../src/ci/ct';
import { cleanHelmOutput } from '../../src/deploy/helm';
import { requireTool, toolEnv } from '../../src/tools/paths';

export const repoRoot = path.resolve(__dirname, '../../..');
export const UMBRELLA = path.join(repoRoot, 'charts', 'techcommerce');
export const NEVER_READY = 'kwok.techcommerce.dev/never-ready';
export const SERVICES = ['frontend', 'product-api', 'order-api'] as const;
export type Service = (typeof SERVICES)[number];

/** The kubeconfig of the cluster the release project's globalSetup started. */
export function kubeconfig(): string {
  const file = process.env.RELEASE_TEST_KUBECONFIG;
  if (!file || !fs.existsSync(file)) {
    throw new Error(
      'RELEASE_TEST_KUBECONFIG is not set: run the release tests through jest (its globalSetup starts the ' +
        'kwok cluster; binaries from `npm run tools`), or point it at a cluster from `npm run cluster:up`',
    );
  }
  return file;
}

export function kubectl(): Kubectl {
  return new Kubectl(kubeconfig());
}

export function clusterEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...toolEnv(), KUBECONFIG: kubeconfig(), ...extra };
}

export type HelmBin = 'helm' | 'helm4';

/** helm (v3) or helm4 from the toolchain against the test cluster; symlink notices removed. */
export async function helm(
  bin: HelmBin,
  args: readonly string[],
  timeoutMs = 300_000,
): Promise<CommandResult> {
  const r = await runCommand(requireTool(bin), args, { env: clusterEnv(), timeoutMs });
  return { ...r, stderr: cleanHelmOutput(r.stderr) };
}

export async function mustHelm(bin: HelmBin, args: readonly string[], timeoutMs?: number): Promise<string> {
  const r = await helm(bin, args, timeoutMs);
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} exited ${r.status}:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** A fresh namespace whose pods must meet the restricted Pod Security Standard (enforced). */
export async function restrictedNamespace(name: string): Promise<string> {
  const k = kubectl();
  await deleteNamespace(name);
  await k.apply(
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name,
        labels: {
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/audit': 'restricted',
        },
      },
    }),
  );
  // Pods cannot be created before the ServiceAccount controller made `default`.
  await waitFor(
    `ServiceAccount default in ${name}`,
    async () =>
      (await k.run(['get', 'serviceaccount', 'default', '-n', name])).status === 0 ? true : undefined,
    { timeoutMs: 60_000 },
  );
  return name;
}

export async function deleteNamespace(name: string): Promise<void> {
  await kubectl().run(['delete', 'namespace', name, '--ignore-not-found', '--wait=true', '--timeout=120s']);
}

let tlsPair: { crt: string; key: string } | undefined;

/** A throwaway self-signed certificate (openssl), so the TLS Secrets are well-formed. */
function selfSignedTls(): { crt: string; key: string } {
  if (tlsPair) return tlsPair;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-tls-'));
  const crt = path.join(dir, 'tls.crt');
  const key = path.join(dir, 'tls.key');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=shop.techcommerce.example',
      '-keyout',
      key,
      '-out',
      crt,
    ],
    { stdio: 'ignore' },
  );
  tlsPair = { crt: fs.readFileSync(crt, 'utf8'), key: fs.readFileSync(key, 'utf8') };
  fs.rmSync(dir, { recursive: true, force: true });
  return tlsPair;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

/**
 * The Secrets staging and production values reference (made outside Helm, as their comments
 * say): API credentials and the Ingress TLS Secret. Throwaway values.
 */
export async function environmentSecrets(namespace: string, tlsSecretName: string): Promise<void> {
  const tls = selfSignedTls();
  const secret = (name: string, data: Record<string, string>, type = 'Opaque') => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    type,
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
  });
  const list = {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      secret('product-api-credentials', {
        'database-password': 'release-test',
        'admin-token': 'release-test-token',
      }),
      secret('order-api-credentials', { 'database-password': 'release-test' }),
      secret('frontend-credentials', { 'cookie-secret': 'release-test-cookie-secret-0123456789abcdef' }),
      secret(tlsSecretName, { 'tls.crt': tls.crt, 'tls.key': tls.key }, 'kubernetes.io/tls'),
    ],
  };
  await kubectl().apply(JSON.stringify(list));
}

export interface Deployment {
  metadata: { name: string; labels?: Record<string, string>; generation?: number };
  spec: {
    replicas?: number;
    template: {
      metadata: { annotations?: Record<string, string>; labels?: Record<string, string> };
      spec: { containers: { name: string; image: string }[] };
    };
  };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    observedGeneration?: number;
    conditions?: { type: string; status: string }[];
  };
}

export async function deployments(namespace: string, release: string): Promise<Deployment[]> {
  const list = await kubectl().json<KubeList<Deployment>>([
    'get',
    'deployments',
    '-n',
    namespace,
    '-l',
    `app.kubernetes.io/instance=${release}`,
  ]);
  return list.items.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

export function serviceOf(d: Deployment): string {
  return d.metadata.labels?.['app.kubernetes.io/name'] ?? d.metadata.name;
}

/** Every Deployment of the release Available, fully rolled out and with all replicas ready. */
export async function waitRolledOut(
  namespace: string,
  release: string,
  timeoutMs = 90_000,
): Promise<Deployment[]> {
  return waitFor(
    `the Deployments of ${release} in ${namespace} to be rolled out`,
    async () => {
      const ds = await deployments(namespace, release);
      const done = ds.every((d) => {
        const want = d.spec.replicas ?? 1;
        const st = d.status ?? {};
        const available = st.conditions?.some((c) => c.type === 'Available' && c.status === 'True');
        return (
          available &&
          st.observedGeneration === d.metadata.generation &&
          st.replicas === want &&
          st.updatedReplicas === want &&
          st.readyReplicas === want
        );
      });
      return ds.length > 0 && done ? ds : undefined;
    },
    { timeoutMs, intervalMs: 1000 },
  );
}

/** What must not change when an upgrade is rolled back: pod templates and ConfigMap data. */
export async function releaseFingerprint(
  namespace: string,
  release: string,
): Promise<Record<string, unknown>> {
  const k = kubectl();
  const ds = await deployments(namespace, release);
  const cms = await k.json<KubeList<{ metadata: { name: string }; data?: Record<string, string> }>>([
    'get',
    'configmaps',
    '-n',
    namespace,
    '-l',
    `app.kubernetes.io/instance=${release}`,
  ]);
  return {
    deployments: Object.fromEntries(
      ds.map((d) => [d.metadata.name, { replicas: d.spec.replicas, template: d.spec.template }]),
    ),
    configMaps: Object.fromEntries(cms.items.map((c) => [c.metadata.name, c.data ?? {}])),
  };
}

export interface Revision {
  revision: number;
  status: string;
  description: string;
}

export async function history(bin: HelmBin, release: string, namespace: string): Promise<Revision[]> {
  return (
    JSON.parse(await mustHelm(bin, ['history', release, '-n', namespace, '-o', 'json'])) as Revision[]
  ).sort((a, b) => a.revision - b.revision);
}

/** The release's computed values (chart defaults merged with the values given), from helm itself. */
export async function computedValues(bin: HelmBin, release: string, namespace: string, revision?: number) {
  const args = ['get', 'values', release, '-n', namespace, '--all', '-o', 'json'];
  if (revision !== undefined) args.push('--revision', String(revision));
  return JSON.parse(await mustHelm(bin, args)) as Record<string, Record<string, unknown>>;
}

/**
 * `ct install` of one chart into `namespace`, with the pipeline's own arguments
 * (scripts/src/ci/ct.ts); resolves ct's output, throws with its last lines when it fails.
 */
export async function ctInstall(
  chart: string,
  namespace: string,
  o: { timeout: string; timeoutMs: number; helmSet?: string[] },
): Promise<string> {
  const args = ctInstallArgs({ charts: [`charts/${chart}`] }, [], { ...o, namespace });
  const r = await runCommand(requireTool('ct'), args, {
    cwd: repoRoot,
    env: clusterEnv(),
    timeoutMs: o.timeoutMs,
  });
  const out = `${r.stdout}${r.stderr}`;
  if (r.status !== 0)
    throw new Error(`ct install failed for ${chart}:\n${out.split('\n').slice(-60).join('\n')}`);
  return out;
}
