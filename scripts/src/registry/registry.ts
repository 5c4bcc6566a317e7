// A throwaway OCI registry on loopback: the CNCF distribution registry (`registry`, built by
// `npm run tools`) on 127.0.0.1 and a free port, plain HTTP (helm then needs --plain-http),
// storage in a temporary folder. Tests push the packaged chart to it and install from oci://,
// as users do from GHCR. stop() ends the process and removes the storage.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { requireTool } from '../tools/paths';

export interface Registry {
  /** host:port, e.g. 127.0.0.1:40123 */
  address: string;
  /** oci://host:port */
  url: string;
  stop(): Promise<void>;
}

/** A port the kernel just handed out on 127.0.0.1 (free at the time of asking). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export function registryConfig(address: string, storage: string): string {
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${storage}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${address}`,
    '',
  ].join('\n');
}

async function waitReady(address: string, child: ChildProcess, log: () => string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`registry exited ${child.exitCode}:\n${log()}`);
    try {
      const r = await fetch(`http://${address}/v2/`);
      if (r.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`registry on ${address} not ready after ${timeoutMs} ms:\n${log()}`);
}

export async function startRegistry(o: { timeoutMs?: number } = {}): Promise<Registry> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-registry-'));
  const address = `127.0.0.1:${await freePort()}`;
  const config = path.join(dir, 'config.yml');
  fs.writeFileSync(config, registryConfig(address, path.join(dir, 'storage')));
  const child = spawn(requireTool('registry'), ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(address, child, () => output, o.timeoutMs ?? 30_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return { address, url: `oci://${address}`, stop };
}
