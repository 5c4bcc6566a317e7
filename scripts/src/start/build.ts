// `tsc -b` of the services: incremental, so an up-to-date tree costs a second or two and a fresh
// clone builds once.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot, type ServiceName } from './stack';

export function buildServices(names: readonly ServiceName[]): { ok: boolean; output: string; ms: number } {
  const started = Date.now();
  const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-b', ...names.map((n) => `services/${n}`)], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return {
    ok: r.status === 0,
    output: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim(),
    ms: Date.now() - started,
  };
}
