// What other scripts and tests import to use the toolchain: where things are, and
// requireTool() that fails with the fix ("run npm run tools") instead of a bare ENOENT.
import fs from 'node:fs';
import path from 'node:path';
import { binDir, cacheDir } from './env';
import { KUBERNETES_VERSION, versions } from './manifest';

export { KUBERNETES_VERSION } from './manifest';
export { binDir, cacheDir, toolEnv } from './env';

/** Folder holding ct's chart_schema.yaml and lintconf.yaml (for --chart-yaml-schema / --lint-conf). */
export function ctEtcDir(): string {
  return path.join(cacheDir(), 'tools', `ct-${versions.ct}`, 'etc');
}

/** Root of the generated kubeconform schemas (Kubernetes kinds and CRDs). */
export function kubeconformSchemaDir(): string {
  return path.join(cacheDir(), 'kubeconform-schemas');
}

/**
 * kubeconform arguments that validate against the local schemas only (never GitHub): the
 * Kubernetes kinds of KUBERNETES_VERSION, then the CRD schemas (prometheus-operator, CloudNativePG). Add
 * `-strict` to reject unknown fields; the templates pick the strict variants then.
 */
export function kubeconformArgs(): string[] {
  const dir = kubeconformSchemaDir();
  return [
    '-kubernetes-version',
    KUBERNETES_VERSION.replace(/^v/, ''),
    '-schema-location',
    `${dir}/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json`,
    '-schema-location',
    `${dir}/crds{{ .StrictSuffix }}/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`,
  ];
}

/** CloudNativePG's CRD manifests (YAML), for a cluster that runs the operator. */
export function cloudnativePgCrdDir(): string {
  return path.join(cacheDir(), 'cloudnative-pg', versions.cloudnativePg, 'crds');
}

/** The prometheus-operator CRD manifests (YAML), for installing them on the local cluster. */
export function prometheusOperatorCrdDir(): string {
  return path.join(cacheDir(), 'prometheus-operator', versions.prometheusOperator, 'crds');
}

/** The local cluster's pause (sandbox) image: its reference and the OCI archive containerd imports. */
export function pauseImage(): { ref: string; archive: string } {
  return {
    ref: `localhost/techcommerce/pause:${versions.pause}`,
    archive: path.join(cacheDir(), 'images', `pause-${versions.pause}.oci.tar`),
  };
}

/** Absolute path of a toolchain binary in <cache>/bin; throws a clear error when it is missing. */
export function requireTool(name: string): string {
  const file = path.join(binDir(), name);
  if (!fs.existsSync(file)) {
    throw new Error(
      `${name} is not installed in ${binDir()}: run \`npm run tools\` (or \`npm run tools -- --only <tool>\`)`,
    );
  }
  return file;
}

/**
 * For commands run against a user's own cluster (deploy, rollback): the toolchain's binary when
 * installed, else the one on the user's PATH (a laptop or CI runner usually has kubectl), so a
 * deploy never has to build Kubernetes from source just to get a client.
 */
export function toolOrSystem(name: string): string {
  const cached = path.join(binDir(), name);
  if (fs.existsSync(cached)) return cached;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return requireTool(name);
}
