// A real Prometheus (the toolchain's Debian build) on loopback, for tests and local experiments:
// our rendered rules, static scrape targets standing in for what the ServiceMonitors discover,
// and a small client for the HTTP API (/api/v1/alerts, /rules, /targets, /query).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { requireTool, toolEnv } from '../tools/paths';

export interface ScrapeTarget {
  /** host:port of the /metrics endpoint. */
  address: string;
  /** Labels the ServiceMonitor and Kubernetes discovery would give the target (app, namespace, pod…). */
  labels: Record<string, string>;
  job: string;
}

export interface PrometheusOptions {
  port: number;
  ruleFile: string;
  targets: ScrapeTarget[];
  /** Prometheus duration, e.g. "1s". */
  scrapeInterval: string;
  evaluationInterval: string;
}

export interface Alert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  activeAt: string;
  value: string;
}

export interface RuleHealth {
  name: string;
  type: 'alerting' | 'recording';
  health: string;
  lastError?: string;
}

export interface RunningPrometheus {
  url: string;
  alerts(): Promise<Alert[]>;
  rules(): Promise<{ name: string; rules: RuleHealth[] }[]>;
  targets(): Promise<{ labels: Record<string, string>; health: string; lastError: string }[]>;
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  log(): string;
  stop(): Promise<void>;
}

/** The prometheus.yml for the options: one job per target, rule file and intervals as given. */
export function prometheusConfig(opts: PrometheusOptions): string {
  return stringify({
    global: { scrape_interval: opts.scrapeInterval, evaluation_interval: opts.evaluationInterval },
    rule_files: [opts.ruleFile],
    scrape_configs: opts.targets.map((t) => ({
      job_name: t.job,
      scrape_interval: opts.scrapeInterval,
      scrape_timeout: opts.scrapeInterval,
      metrics_path: '/metrics',
      static_configs: [{ targets: [t.address], labels: t.labels }],
    })),
  });
}

async function api<T>(url: string): Promise<T> {
  const res = await fetch(url);
  const body = (await res.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`${url}: ${body.error ?? res.status}`);
  return body.data;
}

/** Starts Prometheus and resolves once its API answers ready; rejects with its log if it exits. */
export async function startPrometheus(opts: PrometheusOptions): Promise<RunningPrometheus> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-prometheus-'));
  const config = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(config, prometheusConfig(opts));
  const proc: ChildProcess = spawn(
    requireTool('prometheus'),
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${opts.port}`,
      // Alerts resolve in the API as soon as their condition stops; nothing to send them to.
      '--rules.alert.resend-delay=1s',
      '--log.level=warn',
    ],
    { env: toolEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  const url = `http://127.0.0.1:${opts.port}`;

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`prometheus exited ${proc.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`prometheus was not ready within 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    url,
    alerts: async () => (await api<{ alerts: Alert[] }>(`${url}/api/v1/alerts`)).alerts,
    rules: async () =>
      (await api<{ groups: { name: string; rules: RuleHealth[] }[] }>(`${url}/api/v1/rules`)).groups,
    targets: async () =>
      (
        await api<{ activeTargets: { labels: Record<string, string>; health: string; lastError: string }[] }>(
          `${url}/api/v1/targets`,
        )
      ).activeTargets,
    query: async (expr) =>
      (
        await api<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(
          `${url}/api/v1/query?query=${encodeURIComponent(expr)}`,
        )
      ).result,
    log: () => output,
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
