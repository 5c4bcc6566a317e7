// Step two: render the release and ask the API server what an apply would change
// (`kubectl diff --server-side`: the server's defaulting, admission and validation, nothing
// stored). Helm hooks are left out: helm creates and deletes them around the upgrade, so they
// would always look new.
import { parseAllDocuments } from 'yaml';
import type { Kubectl } from '../cluster/kubectl';
import { CHART, type DeployArgs } from './args';
import type { Helm } from './helm';

export interface Manifest {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  [key: string]: unknown;
}

export interface Rendered {
  objects: Manifest[];
  hooks: Manifest[];
}

export function helmValueArgs(a: Pick<DeployArgs, 'valuesFile' | 'extraValues' | 'set'>): string[] {
  const args = ['-f', a.valuesFile];
  for (const f of a.extraValues) args.push('-f', f);
  for (const s of a.set) args.push('--set', s);
  return args;
}

export function splitManifests(text: string): Rendered {
  const docs = parseAllDocuments(text)
    .map((d) => d.toJS() as Manifest | null)
    .filter((d): d is Manifest => d !== null && typeof d === 'object' && typeof d.kind === 'string');
  const isHook = (m: Manifest) => Boolean(m.metadata.annotations?.['helm.sh/hook']);
  return { objects: docs.filter((m) => !isHook(m)), hooks: docs.filter(isHook) };
}

/** `helm template` with the deploy's values: the schema and the charts' own rules run here. */
export async function render(helm: Helm, a: DeployArgs): Promise<Rendered> {
  const r = await helm.run(['template', a.release, CHART, '-n', a.namespace, ...helmValueArgs(a)], {
    timeoutMs: 120_000,
  });
  if (r.status !== 0) throw new Error(`the chart does not render with these values:\n${r.stderr.trim()}`);
  return splitManifests(r.stdout);
}

export interface DiffResult {
  /** undefined: the namespace does not exist yet, so everything is new. */
  changed: boolean | undefined;
  text: string;
}

export async function serverSideDiff(
  kubectl: Kubectl,
  namespace: string,
  rendered: Rendered,
): Promise<DiffResult> {
  const ns = await kubectl.run(['get', 'namespace', namespace, '-o', 'name']);
  if (ns.status !== 0) {
    if (!/not ?found/i.test(ns.stderr)) throw new Error(`cannot reach the cluster: ${ns.stderr.trim()}`);
    const list = rendered.objects.map((o) => `  + ${o.kind}/${o.metadata.name}`).join('\n');
    return {
      changed: undefined,
      text: `namespace ${namespace} does not exist yet; helm will create it and:\n${list}`,
    };
  }
  const input = rendered.objects.map((o) => JSON.stringify(o)).join('\n');
  const r = await kubectl.run(
    ['diff', '--server-side', '--force-conflicts', '--field-manager=helm', '-n', namespace, '-f', '-'],
    // kubectl diff runs `diff -u -N` unless told otherwise; keep that, whatever the user's setting.
    { input, env: { KUBECTL_EXTERNAL_DIFF: '' } },
  );
  // kubectl diff: 0 no differences, 1 differences, anything else an error.
  if (r.status > 1) throw new Error(`kubectl diff --server-side failed:\n${r.stderr.trim()}`);
  return { changed: r.status === 1, text: r.stdout.trimEnd() || 'no changes to the release objects' };
}

/** Keeps the diff readable in a CI log: the first `maxLines` lines, then how many were left out. */
export function truncate(text: string, maxLines = 400): string {
  const lines = text.split('\n');
  if (lines.length <= maxLines) return text;
  return `${lines.slice(0, maxLines).join('\n')}\n… ${lines.length - maxLines} more lines`;
}
