// The project's container images, built for real on this machine (buildah, podman; no Docker).
//
// API (for the local cluster's real node, the release tests and `npm run images`):
//
//   ensureImages({ only?: ImageName[], log?: (line) => void }): Promise<BuiltImage[]>
//     Makes sure each named image (default: every one) exists in podman's store and as an OCI
//     archive, building only what is missing or stale, and returns them in IMAGE_NAMES order.
//     Warm (nothing changed) it takes a few seconds.
//
//   BuiltImage = {
//     name: ImageName,   // 'frontend' | 'product-api' | 'order-api' | 'postgresql' | 'node-base'
//     ref: string,       // 'localhost/techcommerce/<name>:<tag>' (what a pod spec names)
//     archive: string,   // '<cache>/images/<name>-<tag>.oci.tar' (`ctr -n k8s.io images import`)
//     built: boolean,    // true when this call built it, false when it was cached
//   }
//
// Tags: node-base is tagged by its Node version and postgresql by its major version (both made by
// `npm run tools`, stamped by their recipe: scripts/src/tools/steps/images.ts). A service image is
// tagged by a content hash of its build inputs: services/Dockerfile, its ignore file, every file of
// the build context, the SERVICE argument and the base image's ID. Any change in the context gives
// every service a new tag; buildah's layer cache keeps the rebuild of an unchanged service to
// seconds (its install and compile layers are reused).
import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cacheDir, binDir, toolEnv } from '../tools/env';
import { ToolError, tail } from '../tools/exec';
import { install } from '../tools/installer';
import { acquire } from '../tools/lock';
import { versions } from '../tools/manifest';
import { containerPackages, nodeBaseImage, postgresqlImage } from '../tools/steps/images';
import type { Context, Step } from '../tools/tool';
import { contextFiles, DOCKERFILE, DOCKERIGNORE, ignoreRules, REPO_ROOT } from './dockerfile';
import { archivePath, BUILDAH_BUD_ARGS, imageId, imageRef, KEEP_BUILDS, podman, saveArchive } from './engine';

export const SERVICE_NAMES = ['frontend', 'product-api', 'order-api'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];
export const IMAGE_NAMES = [...SERVICE_NAMES, 'postgresql', 'node-base'] as const;
export type ImageName = (typeof IMAGE_NAMES)[number];

export interface BuiltImage {
  name: ImageName;
  ref: string;
  archive: string;
  built: boolean;
}

export interface EnsureOptions {
  only?: readonly ImageName[];
  /** Progress lines (default: console.log). */
  log?: (line: string) => void;
}

export const isImageName = (s: string): s is ImageName => (IMAGE_NAMES as readonly string[]).includes(s);
const isService = (s: ImageName): s is ServiceName => (SERVICE_NAMES as readonly string[]).includes(s);

/** The base image the services build on here (the Dockerfile's BASE_IMAGE). */
export const nodeBaseRef = () => imageRef('node-base', versions.nodeImage);
export const postgresqlRef = () => imageRef('postgresql', versions.postgresqlImage);

function toolContext(): Context {
  return {
    cache: cacheDir(),
    bin: binDir(),
    tools: path.join(cacheDir(), 'tools'),
    env: toolEnv(),
    isRoot: os.userInfo().uid === 0,
  };
}

/** Runs the toolchain steps the images need (cached ones cost a check each); the names it built. */
function ensureSteps(steps: Step[], log: (line: string) => void): Set<string> {
  const outcomes = install(toolContext(), steps, log);
  const failed = outcomes.filter((o) => o.status === 'failed');
  if (failed.length > 0) {
    throw new Error(`images: ${failed.map((f) => `${f.step}: ${f.error}`).join('\n')}`);
  }
  return new Set(outcomes.filter((o) => o.status === 'built').map((o) => o.step));
}

/** The content hash a service image is tagged with (see the header). */
export function serviceTag(service: ServiceName, baseId: string): string {
  const hash = crypto.createHash('sha256');
  const add = (label: string, data: string | Buffer) => {
    hash.update(`${label}\0${data.length}\0`);
    hash.update(data);
  };
  add('service', service);
  add('base', baseId);
  const ignoreText = fs.readFileSync(path.join(REPO_ROOT, DOCKERIGNORE));
  add(DOCKERFILE, fs.readFileSync(path.join(REPO_ROOT, DOCKERFILE)));
  add(DOCKERIGNORE, ignoreText);
  for (const f of contextFiles(ignoreRules(ignoreText.toString())).sort()) {
    add(f, fs.readFileSync(path.join(REPO_ROOT, f)));
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The CA bundle npm needs to reach the registry from inside the build: the host's
 * NODE_EXTRA_CA_CERTS (a TLS-intercepting proxy's CA, as on this project's build machines), else an
 * empty file (buildah wants every secret the Dockerfile mounts to exist; the Dockerfile ignores an
 * empty one).
 */
function npmCaFile(): string {
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  if (extra && fs.existsSync(extra)) return extra;
  const empty = path.join(cacheDir(), 'images', 'no-npm-ca');
  fs.mkdirSync(path.dirname(empty), { recursive: true });
  fs.writeFileSync(empty, '');
  return empty;
}

/**
 * buildah bud of services/Dockerfile on the local base image, streaming its STEP lines to the log;
 * a failure carries the end of the output. `service` is the SERVICE argument as given (the
 * Dockerfile itself refuses a wrong one).
 */
export function buildServiceImage(service: string, ref: string, log: (line: string) => void): Promise<void> {
  const args = [
    'bud',
    ...BUILDAH_BUD_ARGS,
    '--layers',
    '-f',
    DOCKERFILE,
    '--ignorefile',
    DOCKERIGNORE,
    '--build-arg',
    `SERVICE=${service}`,
    '--build-arg',
    `BASE_IMAGE=${nodeBaseRef()}`,
    '--secret',
    `id=npm-ca,src=${npmCaFile()}`,
    '-t',
    ref,
    '.',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('buildah', args, {
      cwd: REPO_ROOT,
      env: toolEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split('\n'))
        if (/^(\[\d+\/\d+\] )?STEP \d+\/\d+: (FROM|RUN)/.test(line)) log(`  ${service}: ${line}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (e) => reject(new ToolError(service, `buildah ${args.join(' ')}`, e.message)));
    child.on('close', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new ToolError(service, `buildah ${args.join(' ')}`, `exited ${code}; last lines:\n${tail(output)}`),
        );
    });
  });
}

/**
 * Keeps the newest KEEP_BUILDS tags of an image name and removes the older ones, so old builds do
 * not pile up, while two checkouts sharing this machine's image store (or a branch switch and
 * back) do not remove each other's current build.
 */
function untagOlder(name: string): void {
  const refs = podman([
    'images',
    '--sort',
    'created',
    '--format',
    '{{.Repository}}:{{.Tag}}',
    `localhost/techcommerce/${name}`,
  ])
    .split('\n')
    .map((l) => l.trim())
    .filter((r) => r.startsWith(`localhost/techcommerce/${name}:`));
  // podman lists the newest first.
  const older = refs.slice(KEEP_BUILDS);
  if (older.length > 0) podman(['rmi', '--force', ...older]);
}

async function ensureService(service: ServiceName, log: (line: string) => void): Promise<BuiltImage> {
  const baseId = imageId(nodeBaseRef());
  if (!baseId) throw new Error(`images: ${nodeBaseRef()} is missing after npm run tools`);
  const release = acquire(path.join(cacheDir(), 'locks', `image-${service}.lock`), (pid) =>
    log(`${service}: waiting for another image build (pid ${pid})…`),
  );
  try {
    const tag = serviceTag(service, baseId);
    const ref = imageRef(service, tag);
    const archive = archivePath(service, tag);
    if (imageId(ref) && fs.existsSync(archive)) return { name: service, ref, archive, built: false };
    const started = Date.now();
    log(`${service}: building ${ref}…`);
    if (!imageId(ref)) await buildServiceImage(service, ref, log);
    saveArchive(service, tag);
    untagOlder(service);
    log(`${service}: built in ${Math.round((Date.now() - started) / 1000)}s`);
    return { name: service, ref, archive, built: true };
  } finally {
    release();
  }
}

/** See the header. */
export async function ensureImages(options: EnsureOptions = {}): Promise<BuiltImage[]> {
  const log = options.log ?? console.log;
  const wanted = IMAGE_NAMES.filter((n) => !options.only || options.only.includes(n));
  const steps: Step[] = [...containerPackages];
  // Every service builds on node-base.
  if (wanted.some((n) => n === 'node-base' || isService(n))) steps.push(nodeBaseImage);
  if (wanted.includes('postgresql')) steps.push(postgresqlImage);
  const builtSteps = ensureSteps(steps, log);

  const images: BuiltImage[] = [];
  for (const name of wanted) {
    if (isService(name)) {
      images.push(await ensureService(name, log));
    } else {
      const tag = name === 'node-base' ? versions.nodeImage : versions.postgresqlImage;
      const step = name === 'node-base' ? nodeBaseImage : postgresqlImage;
      const ref = imageRef(name, tag);
      images.push({ name, ref, archive: archivePath(name, tag), built: builtSteps.has(step.name) });
    }
  }
  return images;
}

export { imageRef, imageSize, podman, PODMAN_RUN_LIMITS } from './engine';
