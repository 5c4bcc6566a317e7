// How this project drives podman and buildah on a machine without Docker (see TOOLCHAIN.md,
// "Real containers DO run here"): podman with runc and cgroupfs (crun refuses the hybrid cgroup
// layout of the sandbox), rlimits within the hard limits (no CAP_SYS_RESOURCE), and buildah with
// chroot isolation and the host network (its RUN steps reach the package registries).
import fs from 'node:fs';
import path from 'node:path';
import { probe, run, type RunOptions } from '../tools/exec';
import { cacheDir, toolEnv } from '../tools/env';

/** Global podman options every call needs here. */
export const PODMAN_GLOBAL_ARGS = ['--runtime', 'runc', '--cgroup-manager', 'cgroupfs'];
/** `podman run` options: limits the runtime may set without CAP_SYS_RESOURCE. */
export const PODMAN_RUN_LIMITS = ['--ulimit', 'nofile=1024:20000', '--ulimit', 'nproc=4096:4096'];
/** `buildah bud` options: RUN steps in a chroot on the host network. */
export const BUILDAH_BUD_ARGS = ['--isolation', 'chroot', '--network', 'host'];

/** The registry-less name every locally built image carries: localhost/techcommerce/<name>:<tag>. */
export const imageRef = (name: string, tag: string) => `localhost/techcommerce/${name}:${tag}`;

/** Where `podman save --format oci-archive` files go (what containerd imports). */
export function archiveDir(): string {
  return path.join(cacheDir(), 'images');
}

export function archivePath(name: string, tag: string): string {
  return path.join(archiveDir(), `${name}-${tag}.oci.tar`);
}

export function podman(args: readonly string[], opts: RunOptions = {}): string {
  return run('podman', 'podman', [...PODMAN_GLOBAL_ARGS, ...args], { env: toolEnv(), ...opts });
}

export function buildah(args: readonly string[], opts: RunOptions = {}): string {
  return run('buildah', 'buildah', args, { env: toolEnv(), ...opts });
}

/** The image's ID (sha256 hex), or undefined when podman has no such image. */
export function imageId(ref: string): string | undefined {
  const out = probe(
    'podman',
    [...PODMAN_GLOBAL_ARGS, 'image', 'inspect', '--format', '{{.Id}}', ref],
    toolEnv(),
  );
  return out?.trim() || undefined;
}

/** The image's uncompressed size in bytes, as podman reports it. */
export function imageSize(ref: string): number {
  return Number(podman(['image', 'inspect', '--format', '{{.Size}}', ref]).trim());
}

/** How many builds of one image name (tags, archives) stay in the store and the cache. */
export const KEEP_BUILDS = 3;

/**
 * Writes the image as an OCI archive (for `ctr -n k8s.io images import`) and removes all but the
 * KEEP_BUILDS newest archives of the same image name.
 */
export function saveArchive(name: string, tag: string): string {
  const file = archivePath(name, tag);
  fs.mkdirSync(archiveDir(), { recursive: true });
  const partial = `${file}.partial`;
  fs.rmSync(partial, { force: true });
  podman(['save', '--format', 'oci-archive', '-o', partial, imageRef(name, tag)]);
  fs.renameSync(partial, file);
  // <name>-<tag>.oci.tar, where tags hold no '-' (so node-base-… is not base-…'s).
  const mine = fs
    .readdirSync(archiveDir())
    .filter((f) => f.startsWith(`${name}-`) && f.endsWith('.oci.tar'))
    .filter((f) => !f.slice(name.length + 1, -'.oci.tar'.length).includes('-'))
    .map((f) => path.join(archiveDir(), f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  for (const old of mine.slice(KEEP_BUILDS)) fs.rmSync(old, { force: true });
  return file;
}
