// The real node's host processes (containerd, kubelet, kube-proxy, CoreDNS, the volume
// provisioner): started detached with a pid file and a log file each, stopped by exactly that
// pid (and only while it still runs the command it was started with).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { sleep } from '../command';

export interface Daemon {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

export interface DaemonStatus {
  component: string;
  pid: number | undefined;
  alive: boolean;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const pidFile = (pids: string, name: string) => path.join(pids, `${name}.pid`);

function readPid(pids: string, name: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(pidFile(pids, name), 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** True while pid runs a command line that mentions `marker` (a path only this node uses). */
export function runs(pid: number, marker: string): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    return false;
  }
}

export function daemonStatus(pids: string, name: string, marker: string): DaemonStatus {
  const pid = readPid(pids, name);
  return { component: name, pid, alive: pid !== undefined && alive(pid) && runs(pid, marker) };
}

export function startDaemon(d: Daemon, pids: string, logs: string): number {
  fs.mkdirSync(pids, { recursive: true });
  fs.mkdirSync(logs, { recursive: true });
  const log = fs.openSync(path.join(logs, `${d.name}.log`), 'a');
  const child = spawn(d.command, d.args, {
    detached: true,
    stdio: ['ignore', log, log],
    env: d.env ?? process.env,
  });
  fs.closeSync(log);
  if (child.pid === undefined) throw new Error(`${d.name}: ${d.command} could not be started`);
  child.unref();
  fs.writeFileSync(pidFile(pids, d.name), `${child.pid}\n`);
  return child.pid;
}

/** SIGTERM, then SIGKILL after the grace period; resolves once the process is gone. */
export async function stopPid(pid: number, graceMs = 10_000): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await sleep(100);
  if (alive(pid)) {
    process.kill(pid, 'SIGKILL');
    while (alive(pid)) await sleep(50);
  }
}

export async function stopDaemon(
  pids: string,
  name: string,
  marker: string,
  graceMs?: number,
): Promise<void> {
  const pid = readPid(pids, name);
  if (pid !== undefined && runs(pid, marker)) await stopPid(pid, graceMs);
  fs.rmSync(pidFile(pids, name), { force: true });
}

/** Every process whose command line names `marker` (e.g. containerd shims of this node's socket). */
export function processesMentioning(marker: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .map(Number)
    .filter((pid) => pid !== process.pid && runs(pid, marker));
}

/** The last lines of a daemon's log, for error messages. */
export function logTail(logs: string, name: string, lines = 20): string {
  const file = path.join(logs, `${name}.log`);
  if (!fs.existsSync(file)) return `(no ${name}.log)`;
  const text = fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  return `--- ${name}.log (last ${lines} lines)\n${text}`;
}
