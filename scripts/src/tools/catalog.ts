// The steps of `npm run tools`, in build order: helm first (chart work waits for it), the long
// Kubernetes build after everything quick.
import { aptPackages, prometheus } from './steps/debian';
import { actionlint, ct, etcd, helm, helm4, kubeconform, kubernetes, kwok, untt } from './steps/go-tools';
import { gitleaks, registry } from './steps/pipeline-tools';
import { yamale, yamllint } from './steps/python';
import { containerPackages, nodeBaseImage, postgresqlImage } from './steps/images';
import { coredns, crictl, kubelet, pause } from './steps/real-node';
import { cloudnativePgCrds, kubernetesSchemas, prometheusOperatorCrds } from './steps/schemas';
import type { Step } from './tool';

export const steps: Step[] = [
  helm,
  untt,
  kubeconform,
  kubernetesSchemas,
  prometheusOperatorCrds,
  cloudnativePgCrds,
  ct,
  yamllint,
  yamale,
  ...aptPackages,
  prometheus,
  kubernetes,
  // The real node: kubelet right after the control plane, whose compiled packages it reuses.
  kubelet,
  etcd,
  kwok,
  crictl,
  coredns,
  helm4,
  actionlint,
  // Container images built here (scripts/src/images): the tools, then the images from packages.
  ...containerPackages,
  nodeBaseImage,
  postgresqlImage,
  gitleaks,
  registry,
  // The real node's sandbox image (buildah, from containerPackages).
  pause,
];

/** Steps named by `--only a,b` (all when undefined); unknown names are an error listing the valid ones. */
export function select(only: string | undefined): Step[] {
  if (!only) return steps;
  const wanted = only
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = wanted.filter((w) => !steps.some((s) => s.name === w));
  if (unknown.length > 0) {
    throw new Error(`unknown tool(s) ${unknown.join(', ')}; known: ${steps.map((s) => s.name).join(', ')}`);
  }
  return steps.filter((s) => wanted.includes(s.name));
}
