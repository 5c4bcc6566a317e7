// Names of what ships: the tags an image is pushed under, the reference a chart's default
// points at, and the checks before a deploy (GitHub artifact attestations, verified with
// `gh attestation verify`, by digest).
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { checkDigest } from './digests';
import { checkRepository } from './publish';

/**
 * Tags for a push: sha-<commit> always; `main` on main; X.Y.Z and X.Y on a vX.Y.Z tag. Other refs
 * push nothing (pull requests only build and scan).
 */
export function imageTags(ref: string, sha: string): string[] {
  if (!/^[a-f0-9]{40}$/.test(sha)) throw new Error(`not a commit SHA: "${sha}"`);
  const tags = [`sha-${sha}`];
  if (ref === 'refs/heads/main') return [...tags, 'main'];
  const v = /^refs\/tags\/v(\d+)\.(\d+)\.(\d+)$/.exec(ref);
  if (v) return [...tags, `${v[1]}.${v[2]}.${v[3]}`, `${v[1]}.${v[2]}`];
  throw new Error(`images are pushed from main and vX.Y.Z tags only, not ${ref}`);
}

/** The reference a service chart's default image has: <prefix>/<service>:<appVersion>. */
export function chartImageRef(root: string, prefix: string, service: string): string {
  const file = path.join(root, 'charts', service, 'Chart.yaml');
  if (!fs.existsSync(file)) throw new Error(`no chart for service "${service}" (${file})`);
  const { appVersion } = parse(fs.readFileSync(file, 'utf8')) as { appVersion?: string };
  if (!appVersion) throw new Error(`${file} has no appVersion`);
  return `${checkRepository(`${prefix}/${service}`)}:${appVersion}`;
}

export const SBOM_PREDICATE = 'https://cyclonedx.org/bom';

/**
 * `gh attestation verify` for one image by digest: the SLSA provenance (default predicate) and the
 * CycloneDX SBOM, each signed (Sigstore, keyless) by this repository's ci.yaml.
 */
export function verifyCommands(repo: string, digest: string, repository: string): string[][] {
  checkRepository(repo);
  checkDigest(repo, digest);
  if (!/^[\w.-]+\/[\w.-]+$/.test(repository)) throw new Error(`not owner/repository: "${repository}"`);
  const base = [
    'attestation',
    'verify',
    `oci://${repo}@${digest}`,
    '--repo',
    repository,
    '--signer-workflow',
    `${repository}/.github/workflows/ci.yaml`,
  ];
  return [base, [...base, '--predicate-type', SBOM_PREDICATE]];
}
