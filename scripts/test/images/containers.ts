// Running the real images in tests: podman with this machine's runtime options, the root
// filesystem read-only and nothing writable unless a test mounts it (podman's default tmpfs on
// /tmp, /run and /var/tmp is off, as in a pod with readOnlyRootFilesystem and no volumes).
import { spawn, spawnSync } from 'node:child_process';
import { PODMAN_GLOBAL_ARGS, PODMAN_RUN_LIMITS } from '../../src/images/engine';
import { toolEnv } from '../../src/tools/env';
import { watchProcess, type ServiceProcess } from '../../src/testing/service-process';

export interface RunOptions {
  /** host path → container path (read-only unless `rw`). */
  mounts?: { host: string; container: string; rw?: boolean }[];
  env?: Record<string, string>;
  /** Host networking, for tests that reach the container or a host PostgreSQL on 127.0.0.1. */
  hostNetwork?: boolean;
  user?: string;
  name?: string;
}

function runArgs(ref: string, command: string[], o: RunOptions): string[] {
  return [
    ...PODMAN_GLOBAL_ARGS,
    'run',
    '--rm',
    '--read-only',
    '--read-only-tmpfs=false',
    ...PODMAN_RUN_LIMITS,
    '--network',
    o.hostNetwork ? 'host' : 'none',
    ...(o.name ? ['--name', o.name] : []),
    ...(o.user ? ['--user', o.user] : []),
    ...(o.mounts ?? []).flatMap((m) => ['-v', `${m.host}:${m.container}:${m.rw ? 'rw' : 'ro'}`]),
    ...Object.entries(o.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    ref,
    ...command,
  ];
}

/** Runs a command in a fresh container to its end. */
export function runContainer(ref: string, command: string[], o: RunOptions = {}) {
  const r = spawnSync('podman', runArgs(ref, command, o), {
    env: toolEnv(),
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Starts a container in the foreground (podman passes SIGTERM on to it); `name` is required for cleanup. */
export function startContainer(
  ref: string,
  command: string[],
  o: RunOptions & { name: string },
): ServiceProcess {
  const proc = spawn('podman', runArgs(ref, command, o), {
    env: toolEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return watchProcess(proc);
}

export function removeContainer(name: string): void {
  spawnSync('podman', [...PODMAN_GLOBAL_ARGS, 'rm', '--force', '--ignore', name], { env: toolEnv() });
}

export function execIn(name: string, command: string[]) {
  const r = spawnSync('podman', [...PODMAN_GLOBAL_ARGS, 'exec', name, ...command], {
    env: toolEnv(),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}
