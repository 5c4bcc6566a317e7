// Step one of a deploy: the values toolkit (`npm run values -- validate`) checks the values files
// and --set overrides with the charts' schemas and the project's rules. Nothing reaches the
// cluster unless it passes.
import fs from 'node:fs';
import path from 'node:path';
import { runCommand } from '../cluster/command';
import { REPO_ROOT } from './args';

export interface Validation {
  ok: boolean;
  /** The validator's own report (file:line:col messages), to show as is. */
  output: string;
}

export async function validateValues(
  valuesFiles: readonly string[],
  set: readonly string[],
): Promise<Validation> {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  if (!pkg.scripts?.values) {
    throw new Error(
      'the values toolkit is missing (no "values" script in package.json): cannot validate, not deploying',
    );
  }
  const [first, ...rest] = valuesFiles;
  const args = ['run', '--silent', 'values', '--', 'validate', first as string];
  for (const f of rest) args.push('-f', f);
  for (const s of set) args.push('--set', s);
  if (process.env.GITHUB_ACTIONS === 'true') args.push('--format', 'github');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = await runCommand(npm, args, { cwd: REPO_ROOT, timeoutMs: 120_000 });
  const output = `${r.stdout}${r.stderr}`.trim();
  if (r.status === 0) return { ok: true, output };
  if (r.status === 1 || r.status === 2) return { ok: false, output };
  throw new Error(`the values validator failed (exit ${r.status}):\n${output}`);
}
