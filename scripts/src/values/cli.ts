// `techcommerce-values validate|diff …` (also `npm run values -- …`): argument parsing, file
// lookup, exit codes. Exit 0: valid (warnings allowed), or no differences. 1: invalid values
// (a YAML syntax error, a duplicate key or a file that is not a mapping included: every fault is
// reported with its place), or differences. 2: bad usage or an unusable path (missing file, a
// directory, bad --set) — a message, never a stack trace.
import fs from 'node:fs';
import path from 'node:path';
import { type Chart, loadChart } from './chart';
import type { HelmMajor } from './coalesce';
import { diffValues, formatDiff } from './diff';
import { InputError, SourceErrors, UsageError } from './errors';
import { renderValues, userValues, type ValuesFile } from './merge';
import { isTable, shallowCopy, type Table, toPlain } from './model';
import { formatPath } from './problems';
import { FORMATS, type Format, report, wantColor } from './report';
import { rules } from './rules/index';
import { didYouMean } from './spelling';
import { unreadable, validate } from './validate';

export const repoRoot = path.resolve(__dirname, '../../..');

export interface Io {
  stdout: NodeJS.WriteStream | { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown };
  /** Where relative paths start and what messages show paths relative to. */
  cwd: string;
  env: NodeJS.ProcessEnv;
}

const USAGE = `Usage:
  techcommerce-values validate <values.yaml> [-f more.yaml]... [--set key=value]... [options]
  techcommerce-values diff <left> <right> [options]   (staging, production, or file paths)
  (or through npm: npm run values -- validate values/staging.yaml)

Options:
  -f, --values FILE   another values file, merged after the ones before it (as helm -f); more
                      than one file is always given with -f, never as extra positional names
  --set KEY=VALUE     an override in helm's --set syntax (a.b=c, list={x,y}, a[0]=x, a\\.b=c)
  --chart DIR         the chart to merge with (default: charts/techcommerce)
  --format FORMAT     human (default), json or github (GitHub Actions annotations)
  --helm 3|4          merge as that Helm major version does (default 3; they differ on chart
                      defaults that are null)
  -h, --help          this text

Exit status: validate: 0 valid, 1 invalid (a YAML syntax error included); diff: 0 same,
1 different; both: 2 usage error or a missing or unreadable path.`;

const COMMANDS = ['validate', 'diff', 'help'];

interface Args {
  command: string;
  positional: string[];
  files: string[];
  sets: string[];
  chart?: string;
  format: Format;
  helm: HelmMajor;
  help: boolean;
}

export function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    command: '',
    positional: [],
    files: [],
    sets: [],
    format: 'human',
    helm: 3,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      if (eq > 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '-f':
      case '--values':
        args.files.push(value());
        break;
      case '--set':
        args.sets.push(value());
        break;
      case '--chart':
        args.chart = value();
        break;
      case '--format': {
        const f = value();
        if (!FORMATS.includes(f as Format))
          throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got ${f})`);
        args.format = f as Format;
        break;
      }
      case '--helm': {
        const h = value();
        if (h !== '3' && h !== '4') throw new UsageError(`--helm must be 3 or 4 (got ${h})`);
        args.helm = Number(h) as HelmMajor;
        break;
      }
      case '-h':
      case '--help':
        args.help = true;
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
        if (!args.command) args.command = a;
        else args.positional.push(a);
    }
  }
  return args;
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  let format: Format = 'human';
  try {
    const args = parseArgs(argv);
    format = args.format;
    if (args.help || args.command === 'help') {
      io.stdout.write(
        `${USAGE}\n\nRules beyond the schemas:\n${rules.map((r) => `  ${r.id.padEnd(12)}${r.summary}`).join('\n')}\n`,
      );
      return 0;
    }
    if (args.command === 'validate') return runValidate(args, io);
    if (args.command === 'diff') return runDiff(args, io);
    if (!args.command) throw new UsageError('no command given');
    const guess = didYouMean(args.command, COMMANDS);
    throw new UsageError(`unknown command ${args.command}${guess ? `; did you mean ${guess}?` : ''}`);
  } catch (err) {
    if (err instanceof SourceErrors) {
      // A file that cannot be parsed is invalid values: every fault, in the format asked for.
      const color = wantColor(io.stdout as NodeJS.WriteStream, io.env);
      const fileOrder = [...new Set(err.faults.map((f) => f.file))];
      io.stdout.write(report(unreadable(err.faults), format, { color, fileOrder }));
      return 1;
    }
    if (err instanceof UsageError) {
      io.stderr.write(`values: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof InputError) {
      io.stderr.write(`${err.message}\n`);
      return 2;
    }
    io.stderr.write(`values: ${(err as Error).message ?? String(err)}\n`);
    return 2;
  }
}

function runValidate(args: Args, io: Io): number {
  if (args.positional.length > 1) {
    const [first, ...more] = args.positional;
    throw new UsageError(
      `validate takes one values file; give the others with -f, as helm does: validate ${first} ${more.map((m) => `-f ${m}`).join(' ')}`,
    );
  }
  const names = [...args.positional, ...args.files];
  if (names.length === 0 && args.sets.length === 0) throw new UsageError('validate needs a values file');
  const files = names.map((n) => valuesFile(n, io));
  const chart = chartFor(args, io);
  const result = validate({ chart, files, sets: args.sets, helm: args.helm });
  const color = wantColor(io.stdout as NodeJS.WriteStream, io.env);
  io.stdout.write(report(result, args.format, { color, fileOrder: files.map((f) => f.display) }));
  return result.errors > 0 ? 1 : 0;
}

function runDiff(args: Args, io: Io): number {
  if (args.positional.length !== 2)
    throw new UsageError('diff needs two values files (or environment names)');
  if (args.format === 'github') throw new UsageError('diff prints human or json');
  const chart = chartFor(args, io);
  const [left, right] = args.positional.map((n) => environmentFile(n, io)) as [ValuesFile, ValuesFile];
  const merged = (f: ValuesFile) => {
    const r = renderValues(chart, userValues([f], []), args.helm);
    return withoutCopiedGlobals(r.values, r.chart);
  };
  const diffs = diffValues(merged(left), merged(right));
  if (args.format === 'json') {
    const differences: Record<string, { left?: unknown; right?: unknown }> = {};
    for (const d of diffs) {
      differences[formatPath(d.path)] = {
        ...(d.left === undefined ? {} : { left: toPlain(d.left) }),
        ...(d.right === undefined ? {} : { right: toPlain(d.right) }),
      };
    }
    const out = { left: left.display, right: right.display, same: diffs.length === 0, differences };
    io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    io.stdout.write(formatDiff(diffs, left.display, right.display));
  }
  return diffs.length > 0 ? 1 : 0;
}

/**
 * Helm copies the umbrella's `global` into every subchart (parent wins): those copies say nothing
 * the umbrella's own `global` does not, so a diff shows `global` once.
 */
function withoutCopiedGlobals(values: Table, chart: Chart): Table {
  const out = shallowCopy(values);
  for (const sub of chart.subcharts) {
    const v = out[sub.name];
    if (!isTable(v)) continue;
    const inner = withoutCopiedGlobals(v, sub);
    delete inner.global;
    out[sub.name] = inner;
  }
  return out;
}

function chartFor(args: Args, io: Io): Chart {
  const dir = args.chart ? path.resolve(io.cwd, args.chart) : path.join(repoRoot, 'charts', 'techcommerce');
  if (!fs.existsSync(dir)) throw new InputError(display(dir, io), 'no such chart directory');
  return loadChart(dir, display(dir, io), (abs) => display(abs, io));
}

function valuesFile(name: string, io: Io): ValuesFile {
  const abs = path.resolve(io.cwd, name);
  return { path: abs, display: display(abs, io) };
}

/** `staging` means values/staging.yaml when no file of that name exists. */
function environmentFile(name: string, io: Io): ValuesFile {
  const direct = path.resolve(io.cwd, name);
  if (fs.existsSync(direct) || /[\\/]|\.ya?ml$/.test(name)) return valuesFile(name, io);
  const env = path.join(repoRoot, 'values', `${name}.yaml`);
  if (!fs.existsSync(env)) {
    const known = fs.existsSync(path.join(repoRoot, 'values'))
      ? fs
          .readdirSync(path.join(repoRoot, 'values'))
          .filter((f) => f.endsWith('.yaml'))
          .map((f) => f.replace(/\.yaml$/, ''))
      : [];
    throw new InputError(
      name,
      `no such file, and no environment of that name (known: ${known.join(', ') || 'none'})`,
    );
  }
  return { path: env, display: display(env, io) };
}

/** Relative to where the command was run (clickable there), unless absolute is shorter. */
function display(abs: string, io: Io): string {
  const rel = path.relative(io.cwd, abs).split(path.sep).join('/');
  if (!rel) return '.';
  return path.isAbsolute(rel) || rel.length >= abs.length ? abs : rel;
}
