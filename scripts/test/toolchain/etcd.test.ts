// etcd (the wrapper-module build) starts on loopback ports and answers its health endpoint.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { requireTool } from '../../src/tools/paths';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function health(url: string, deadline: number): Promise<unknown> {
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/health`);
      last = await res.json();
      if ((last as { health?: string }).health === 'true') return last;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`etcd did not become healthy: ${String(last)}`);
}

describe('etcd', () => {
  let proc: ChildProcess | undefined;
  let dataDir = '';
  let log = '';

  afterAll(async () => {
    if (proc && proc.exitCode === null) {
      const exited = new Promise((r) => proc?.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    }
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts on a loopback port and answers /health', async () => {
    const etcd = requireTool('etcd');
    const [client, peer] = [await freePort(), await freePort()];
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-etcd-'));
    const clientUrl = `http://127.0.0.1:${client}`;
    const peerUrl = `http://127.0.0.1:${peer}`;
    proc = spawn(etcd, [
      '--name=smoke',
      `--data-dir=${dataDir}`,
      `--listen-client-urls=${clientUrl}`,
      `--advertise-client-urls=${clientUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=smoke=${peerUrl}`,
    ]);
    proc.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    try {
      expect(await health(clientUrl, Date.now() + 20_000)).toEqual({ health: 'true', reason: '' });
    } catch (e) {
      throw new Error(`${String(e)}\netcd log tail:\n${log.split('\n').slice(-15).join('\n')}`);
    }
  });
});
