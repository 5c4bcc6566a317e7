// What a helm binary tells templates about Kubernetes, read by rendering a throwaway chart.
// helm v3 bakes the value in at link time, so a build without the ldflags says v1.20.0.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { probe } from '../exec';

export function renderedKubeVersion(
  helmBin: string,
  env: NodeJS.ProcessEnv,
  extraArgs: string[] = [],
): string | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-helm-scratch-'));
  try {
    fs.mkdirSync(path.join(dir, 'templates'));
    fs.writeFileSync(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: scratch\nversion: 0.1.0\n');
    fs.writeFileSync(
      path.join(dir, 'templates', 'kube.yaml'),
      'kubeVersion: {{ .Capabilities.KubeVersion.Version | quote }}\n',
    );
    const out = probe(helmBin, ['template', 'scratch', dir, ...extraArgs], env);
    return out ? /kubeVersion: "([^"]+)"/.exec(out)?.[1] : undefined;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
