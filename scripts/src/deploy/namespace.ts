// The namespace a release lives in, made explicit: `npm run namespace -- <env>` (a cluster
// admin, once; or `npm run deploy -- <env> --create-namespace`) applies a Namespace that enforces,
// audits and warns on the restricted Pod Security Standard. Server-side apply, so running it again,
// or on a namespace made by hand, only sets the labels. A deploy never creates a namespace on its
// own: the deployer of docs/ci-cd.md has rights inside its namespace only.
import type { Kubectl } from '../cluster/kubectl';

export const POD_SECURITY_LEVEL = 'restricted';
/** Pinned to the Kubernetes minor the project targets, so a newer cluster's rules apply on review. */
export const POD_SECURITY_VERSION = 'v1.34';

export function podSecurityLabels(): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const mode of ['enforce', 'audit', 'warn']) {
    labels[`pod-security.kubernetes.io/${mode}`] = POD_SECURITY_LEVEL;
    labels[`pod-security.kubernetes.io/${mode}-version`] = POD_SECURITY_VERSION;
  }
  return labels;
}

export function namespaceManifest(name: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'app.kubernetes.io/part-of': 'techcommerce', ...podSecurityLabels() } },
  });
}

/** Applies the Namespace; throws with kubectl's own message (e.g. forbidden) when it cannot. */
export async function applyNamespace(kubectl: Kubectl, name: string): Promise<void> {
  const r = await kubectl.run(
    ['apply', '--server-side', '--field-manager=techcommerce-namespace', '-f', '-'],
    { input: namespaceManifest(name) },
  );
  if (r.status !== 0) {
    throw new Error(
      `cannot create or label namespace ${name} (needs cluster-scope rights on namespaces; ` +
        `a cluster admin runs \`npm run namespace -- <env>\` once):\n${r.stderr.trim()}`,
    );
  }
}

export type NamespaceState =
  /** forbidden: this identity may not read it, which is how a missing namespace looks to a deployer bound elsewhere. */
  { exists: false; forbidden: boolean } | { exists: true; missingLabels: string[] };

/**
 * Whether the namespace exists and which Pod Security labels it lacks. A deployer bound inside the
 * namespace may read it (`get` on namespaces is granted by admin/edit/view through a RoleBinding
 * in that namespace).
 */
export async function namespaceState(kubectl: Kubectl, name: string): Promise<NamespaceState> {
  const r = await kubectl.run(['get', 'namespace', name, '-o', 'json']);
  if (r.status !== 0) {
    if (/not ?found/i.test(r.stderr)) return { exists: false, forbidden: false };
    if (/forbidden/i.test(r.stderr)) return { exists: false, forbidden: true };
    throw new Error(`cannot read namespace ${name}: ${r.stderr.trim()}`);
  }
  const labels =
    (JSON.parse(r.stdout) as { metadata: { labels?: Record<string, string> } }).metadata.labels ?? {};
  const want = podSecurityLabels();
  const missing = Object.entries(want)
    .filter(([k, v]) => labels[k] !== v)
    .map(([k, v]) => `${k}=${v}`);
  return { exists: true, missingLabels: missing };
}
