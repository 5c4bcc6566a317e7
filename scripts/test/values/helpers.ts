// Shared by the values suites: real helm from the toolchain, the toolkit's merge on the same
// inputs, and the CLI as a subprocess.
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadChart } from '../../src/values/chart';
import { type HelmMajor, TypeMismatch } from '../../src/values/coalesce';
import { InputError, UsageError } from '../../src/values/errors';
import { renderValues, userValues } from '../../src/values/merge';
import { toPlain } from '../../src/values/model';
import { binDir, toolEnv } from '../../src/tools/env';

const run = promisify(execFile);

export const repoRoot = path.resolve(__dirname, '../../..');
export const fixtures = path.join(__dirname, 'fixtures');

/** helm v3 (`helm`) or v4 (`helm4`) from the toolchain; a missing one is a failure, not a skip. */
export function helmBinary(major: HelmMajor): string {
  const bin = path.join(binDir(), major === 3 ? 'helm' : 'helm4');
  if (!fs.existsSync(bin)) {
    throw new Error(`helm v${major} is not installed at ${bin}: run \`npm run tools\` first`);
  }
  return bin;
}

export type Merged = { ok: true; values: unknown } | { ok: false; error: string };

/** .Values as `helm template` renders them (the fixture umbrella prints them as JSON). */
export async function helmValues(
  major: HelmMajor,
  chartDir: string,
  files: readonly string[],
  sets: readonly string[],
): Promise<Merged> {
  const args = ['template', 'r', chartDir, '--show-only', 'templates/values.yaml'];
  for (const f of files) args.push('-f', f);
  for (const s of sets) args.push('--set', s);
  try {
    const { stdout } = await run(helmBinary(major), args, { env: toolEnv(), maxBuffer: 16 << 20 });
    const line = stdout.split('\n').find((l) => l.startsWith('# {'));
    if (!line) throw new Error(`no values line in helm output:\n${stdout}`);
    return { ok: true, values: JSON.parse(line.slice(2)) };
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    if (e.stderr === undefined) throw err;
    return { ok: false, error: e.stderr.trim() };
  }
}

/** The toolkit's merge on the same inputs. */
export function toolkitValues(
  major: HelmMajor,
  chartDir: string,
  files: readonly string[],
  sets: readonly string[],
): Merged {
  try {
    const chart = loadChart(chartDir, 'chart');
    const user = userValues(
      files.map((f) => ({ path: f, display: path.basename(f) })),
      sets,
    );
    return { ok: true, values: toPlain(renderValues(chart, user, major).values) };
  } catch (err) {
    if (err instanceof UsageError || err instanceof InputError || err instanceof TypeMismatch) {
      return { ok: false, error: (err as Error).message };
    }
    throw err;
  }
}

/** A scratch directory removed after the suite. */
export function scratchDir(prefix: string): {
  dir: string;
  write(name: string, text: string): string;
  remove(): void;
} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  return {
    dir,
    write(name, text) {
      const file = path.join(dir, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      return file;
    },
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** The bin `npm ci` links: compiled JavaScript (it rebuilds itself first if sources changed). */
export const valuesBin = path.join(repoRoot, 'node_modules', '.bin', 'techcommerce-values');

/** The CLI as a user runs it: the bin in a separate process, exit status and both streams. */
export function cli(
  args: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): CliResult {
  const env = { ...process.env, ...opts.env };
  delete env.INIT_CWD;
  delete env.FORCE_COLOR;
  Object.assign(env, opts.env);
  const r = spawnSync(valuesBin, args, {
    cwd: opts.cwd ?? repoRoot,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
