// A service under test as its own process: start it, time start-to-ready, sample its memory.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';

export interface Started {
  proc: ChildProcess;
  /** Spawn to the first 200 from /readyz, as a probe would see it. */
  readyMs: number;
  stop(): Promise<number | null>;
}

export function httpStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
  });
}

export function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

export async function startProcess(o: {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  readyUrl: string;
  logFile: string;
}): Promise<Started> {
  const out = fs.openSync(o.logFile, 'a');
  const t0 = performance.now();
  const proc = spawn(o.command, o.args, { cwd: o.cwd, env: o.env, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  while ((await httpStatus(o.readyUrl)) !== 200) {
    if (proc.exitCode !== null)
      throw new Error(`exited with ${proc.exitCode} before ready; see ${o.logFile}`);
    if (performance.now() - t0 > 30_000) throw new Error(`not ready after 30 s; see ${o.logFile}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  const readyMs = Math.round(performance.now() - t0);
  return {
    proc,
    readyMs,
    stop: async () => {
      proc.kill('SIGINT');
      return exited;
    },
  };
}

/** Resident set size in MiB, from /proc (Linux). */
export function rssMiB(pid: number): number {
  const m = /^VmRSS:\s+([0-9]+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : NaN;
}

/** Samples RSS every intervalMs until stopped; returns the peak. */
export function sampleRss(pid: number, intervalMs = 100): () => number {
  let peak = 0;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssMiB(pid));
    } catch {
      /* process gone */
    }
  }, intervalMs);
  return () => {
    clearInterval(timer);
    return peak;
  };
}
