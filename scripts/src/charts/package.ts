// `helm package` of a chart once its file:// dependencies are built: the archive that
// `helm install` and a chart registry take (the umbrella's holds every subchart it needs).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { toolEnv, toolOrSystem } from '../tools/paths';
import { ensureChartDependencies } from './dependencies';

export interface PackageOptions {
  destination: string;
  version?: string;
  appVersion?: string;
  helm?: string;
}

/** Returns the path of the archive written. */
export function packageChart(chart: string, opts: PackageOptions): string {
  const helm = opts.helm ?? toolOrSystem('helm');
  ensureChartDependencies(chart, { helm });
  fs.mkdirSync(opts.destination, { recursive: true });
  const args = ['package', chart, '--destination', opts.destination];
  if (opts.version) args.push('--version', opts.version);
  if (opts.appVersion) args.push('--app-version', opts.appVersion);
  const r = spawnSync(helm, args, { env: toolEnv(), encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`helm ${args.join(' ')} exited ${r.status}:\n${r.stderr}${r.stdout}`);
  // "Successfully packaged chart and saved it to: <path>"
  const saved = /saved it to: (.+)$/m.exec(r.stdout)?.[1]?.trim();
  if (!saved) throw new Error(`helm package said nothing about the archive:\n${r.stdout}`);
  if (r.stderr.trim()) process.stderr.write(r.stderr);
  return saved;
}
