// Step two: render the release and ask the API server what an apply would change
// (`kubectl diff --server-side`: the server's defaulting, admission and validation, nothing
// stored). Helm hooks are left out: helm creates and deletes them around the upgrade, so they
// would always look new.
import { parse } from 'yaml';
import type { Kubectl } from '../cluster/kubectl';
import { ensureChartDependencies } from '../charts/dependencies';
import { CHART, type DeployArgs } from './args';
import type { Helm } from './helm';

export interface Manifest {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  /** The document as helm rendered it: re-serializing would change meanings (YAML 1.1 octals). */
  source: string;
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

/** Splits `helm template` output into objects and hooks, keeping each document's own text. */
export function splitManifests(text: string): Rendered {
  const docs: Manifest[] = [];
  for (const source of text.split(/^---[ \t]*$/m)) {
    // YAML 1.1, as Kubernetes reads it; only kind and metadata are looked at.
    const doc = parse(source, { version: '1.1' }) as Partial<Manifest> | null;
    if (doc && typeof doc === 'object' && typeof doc.kind === 'string' && doc.metadata) {
      docs.push({ kind: doc.kind, metadata: doc.metadata, source: source.trim() });
    }
  }
  const isHook = (m: Manifest) => Boolean(m.metadata.annotations?.['helm.sh/hook']);
  return { objects: docs.filter((m) => !isHook(m)), hooks: docs.filter(isHook) };
}

/** `helm template` with the deploy's values: the schema and the charts' own rules run here. */
export async function render(helm: Helm, a: DeployArgs): Promise<Rendered> {
  ensureChartDependencies(CHART, { helm: helm.bin }); // the upgrade after this uses them too
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
      text: `namespace ${namespace} does not exist yet, so everything is new:\n${list}`,
    };
  }
  const input = rendered.objects.map((o) => o.source).join('\n---\n');
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
