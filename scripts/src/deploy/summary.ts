// The rollout summary a deploy or rollback ends with: revision, status, images and ready
// replicas per Deployment, as text for the log and as Markdown for $GITHUB_STEP_SUMMARY.
import fs from 'node:fs';
import type { Kubectl, KubeList } from '../cluster/kubectl';
import type { HelmRevision } from './helm';

export interface DeploymentSummary {
  name: string;
  images: string[];
  ready: number;
  desired: number;
}

export interface RolloutSummary {
  title: string;
  outcome: string;
  ok: boolean;
  release: string;
  namespace: string;
  helm: string;
  revision?: HelmRevision;
  deployments: DeploymentSummary[];
  /** Lines worth keeping: the validation report, what failed, what was rolled back. */
  notes: string[];
}

interface Deployment {
  metadata: { name: string };
  spec: { replicas?: number; template: { spec: { containers: { image: string }[] } } };
  status?: { readyReplicas?: number };
}

export async function releaseDeployments(
  kubectl: Kubectl,
  release: string,
  namespace: string,
): Promise<DeploymentSummary[]> {
  const r = await kubectl.run([
    'get',
    'deployments',
    '-n',
    namespace,
    '-l',
    `app.kubernetes.io/instance=${release}`,
    '-o',
    'json',
  ]);
  if (r.status !== 0) return [];
  const list = JSON.parse(r.stdout) as KubeList<Deployment>;
  return list.items
    .map((d) => ({
      name: d.metadata.name,
      images: d.spec.template.spec.containers.map((c) => c.image),
      ready: d.status?.readyReplicas ?? 0,
      desired: d.spec.replicas ?? 1,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function summaryText(s: RolloutSummary): string {
  const rev = s.revision
    ? `revision ${s.revision.revision} (${s.revision.status}, ${s.revision.chart}, app ${s.revision.app_version}): ${s.revision.description}`
    : 'no deployed revision';
  const lines = [
    `${s.title}: ${s.outcome}`,
    `release ${s.release} in namespace ${s.namespace} (${s.helm}): ${rev}`,
    ...s.deployments.map(
      (d) => `  ${d.name.padEnd(32)} ${d.ready}/${d.desired} ready  ${d.images.join(', ')}`,
    ),
    ...s.notes.map((n) => `  note: ${n}`),
  ];
  return lines.join('\n');
}

export function summaryMarkdown(s: RolloutSummary): string {
  const icon = s.ok ? '✅' : '❌';
  const rev = s.revision
    ? `revision **${s.revision.revision}** (${s.revision.status}) of \`${s.revision.chart}\`, app ${s.revision.app_version}: ${s.revision.description}`
    : 'no deployed revision';
  const rows = s.deployments.map(
    (d) => `| ${d.name} | ${d.ready}/${d.desired} | ${d.images.map((i) => `\`${i}\``).join('<br>')} |`,
  );
  return [
    `### ${icon} ${s.title}: ${s.outcome}`,
    '',
    `Release \`${s.release}\` in namespace \`${s.namespace}\` (${s.helm}): ${rev}`,
    '',
    ...(rows.length ? ['| Deployment | Ready | Images |', '| --- | --- | --- |', ...rows, ''] : []),
    ...s.notes.map((n) => `- ${n}`),
    '',
  ].join('\n');
}

/** Prints the summary and appends it to $GITHUB_STEP_SUMMARY when the workflow set one. */
export function report(s: RolloutSummary): void {
  console.log(`\n${summaryText(s)}`);
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (file) fs.appendFileSync(file, `${summaryMarkdown(s)}\n`);
}
