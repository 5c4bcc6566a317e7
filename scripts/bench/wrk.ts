// Runs wrk (Debian package `wrk`: a C load generator, light enough to share 2 cores with the
// server) and parses its report. Loopback targets only.
import { execFileSync, spawn } from 'node:child_process';

export interface WrkResult {
  requestsPerSec: number;
  latencyMs: { p50: number; p75: number; p90: number; p99: number };
  requests: number;
  non2xx: number;
  socketErrors: number;
}

export interface WrkOptions {
  url: string;
  connections?: number;
  threads?: number;
  durationSec?: number;
  /** Lua script (e.g. post-json.lua) for methods and bodies. */
  script?: string;
  env?: Record<string, string>;
}

export function requireWrk(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'wrk is not installed: `apt-get install wrk` (Debian package), then run the benchmark again',
    );
  }
}

const toMs = (value: string, unit: string) =>
  Number(value) * (unit === 'us' ? 0.001 : unit === 's' ? 1000 : 1);

export function parseWrk(out: string): WrkResult {
  const pct = (p: string) => {
    const m = new RegExp(`^\\s+${p}%\\s+([0-9.]+)(us|ms|s)\\s*$`, 'm').exec(out);
    if (!m) throw new Error(`wrk output has no ${p}% latency line:\n${out}`);
    return toMs(m[1]!, m[2]!);
  };
  const rps = /^Requests\/sec:\s+([0-9.]+)/m.exec(out);
  const total = /^\s+([0-9]+) requests in/m.exec(out);
  if (!rps || !total) throw new Error(`unexpected wrk output:\n${out}`);
  const non2xx = /Non-2xx or 3xx responses: ([0-9]+)/.exec(out);
  const sock = /Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)/.exec(out);
  return {
    requestsPerSec: Math.round(Number(rps[1])),
    latencyMs: { p50: pct('50'), p75: pct('75'), p90: pct('90'), p99: pct('99') },
    requests: Number(total[1]),
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    socketErrors: sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
  };
}

/** Asynchronous, so the caller can sample the server's memory while wrk runs. */
export async function runWrk(o: WrkOptions): Promise<WrkResult> {
  const url = new URL(o.url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new Error(`benchmarks only target this machine's loopback, not ${url.hostname}`);
  }
  const args = [
    `-t${o.threads ?? 2}`,
    `-c${o.connections ?? 50}`,
    `-d${o.durationSec ?? 10}s`,
    '--timeout',
    '5s',
    '--latency',
    ...(o.script ? ['-s', o.script] : []),
    o.url,
  ];
  const proc = spawn(requireWrk(), args, {
    env: { ...process.env, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => proc.on('exit', resolve));
  if (code !== 0) throw new Error(`wrk failed (${code}): ${stderr}`);
  return parseWrk(stdout);
}
