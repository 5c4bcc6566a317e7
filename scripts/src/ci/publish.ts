// Publishing what was built and scanned, unchanged: an image archive is copied to the registry
// as it is (skopeo, so nothing is rebuilt after the scan) and the chart is packaged at the
// version its Chart.yaml names. The command lines are built here and checked by tests; the
// pushes themselves need GHCR and run only in the workflow.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export interface ChartMeta {
  name: string;
  version: string;
}

export function chartMeta(chartDir: string): ChartMeta {
  const y = parse(fs.readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8')) as Partial<ChartMeta>;
  if (!y.name || !y.version) throw new Error(`${chartDir}/Chart.yaml has no name or version`);
  return { name: y.name, version: String(y.version) };
}

/**
 * On a release tag the chart's version must be the tag's (v1.2.3 → 1.2.3): `helm pull --version`
 * then finds the chart of that release. Other refs publish nothing.
 */
export function checkReleaseVersion(ref: string, meta: ChartMeta): void {
  const m = /^refs\/tags\/v(.+)$/.exec(ref);
  if (!m) throw new Error(`charts are published from release tags (refs/tags/vX.Y.Z) only, not ${ref}`);
  if (m[1] !== meta.version) {
    throw new Error(
      `tag v${m[1]} does not match ${meta.name}'s Chart.yaml version ${meta.version}: bump the chart version (and appVersion) in the release commit`,
    );
  }
}

/** oci://host/path, without a trailing slash, as `helm push` takes it. */
export function checkOciRepository(repo: string): string {
  if (!/^oci:\/\/[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*$/.test(repo)) {
    throw new Error(`not an OCI repository (oci://host[:port]/path, lowercase): "${repo}"`);
  }
  return repo.replace(/\/$/, '');
}

/** `helm push` prints "Digest: sha256:…": the digest that is then signed and attested. */
export function pushedDigest(helmOutput: string): string {
  const m = /^Digest:\s*(sha256:[a-f0-9]{64})\s*$/m.exec(helmOutput);
  if (!m) throw new Error(`helm push printed no digest:\n${helmOutput.trim()}`);
  return m[1] as string;
}

/** An image repository without tag or digest, e.g. ghcr.io/techcommerce/frontend. */
export function checkRepository(repo: string): string {
  if (!/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+$/.test(repo)) {
    throw new Error(`not an image repository (host/path, lowercase, no tag): "${repo}"`);
  }
  return repo;
}

/** skopeo's copy of the scanned docker archive to the registry under the first tag. */
export function skopeoPush(archive: string, repo: string, tag: string, digestFile: string): string[] {
  checkRepository(repo);
  checkTag(tag);
  return ['copy', '--digestfile', digestFile, `docker-archive:${archive}`, `docker://${repo}:${tag}`];
}

/** A further tag for the manifest just pushed: registry to registry, byte for byte. */
export function skopeoTag(repo: string, digest: string, tag: string): string[] {
  checkTag(tag);
  return ['copy', '--preserve-digests', `docker://${repo}@${digest}`, `docker://${repo}:${tag}`];
}

export function checkTag(tag: string): string {
  if (!/^[\w][\w.-]{0,127}$/.test(tag)) throw new Error(`not an image tag: "${tag}"`);
  return tag;
}
