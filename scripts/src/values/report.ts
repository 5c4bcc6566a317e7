// Findings for people (grouped by file, colour only on a terminal) and for machines (JSON, and
// GitHub Actions workflow commands that annotate the lines in a pull request).
import { formatPath } from './problems';
import type { Finding, Validation } from './validate';

export type Format = 'human' | 'json' | 'github';
export const FORMATS: readonly Format[] = ['human', 'json', 'github'];

export interface ReportOptions {
  color: boolean;
  /** Files in the order the user named them: their findings come first. */
  fileOrder: readonly string[];
}

export function report(v: Validation, format: Format, opts: ReportOptions): string {
  if (format === 'json') return `${JSON.stringify(jsonReport(v), null, 2)}\n`;
  if (format === 'github') return github(v);
  return human(v, opts);
}

export function jsonReport(v: Validation) {
  return {
    valid: v.errors === 0,
    errors: v.errors,
    warnings: v.warnings,
    findings: v.findings.map((f) => ({
      severity: f.severity,
      rule: f.rule,
      // A syntax fault has no key path: the file could not be read as keys.
      ...(f.rule === 'syntax' ? {} : { path: formatPath(f.path) }),
      message: f.message,
      file: f.location.file,
      line: f.location.line,
      column: f.location.col,
      ...(f.location.argument !== undefined ? { set: f.location.argument } : {}),
      ...(f.frame ? { frame: f.frame } : {}),
    })),
  };
}

/** `values/staging.yaml:14:7 product-api.autoscaling.minReplicas: must be ≤ maxReplicas (10)` */
export function findingLine(f: Finding, paint: Paint = plain): string {
  const where =
    f.location.argument !== undefined
      ? `--set ${f.location.argument}`
      : `${f.location.file}:${f.location.line}:${f.location.col}`;
  const sev = f.severity === 'warning' ? `${paint.yellow('warning')} ` : '';
  if (f.rule === 'syntax') return `${paint.dim(where)} ${sev}${f.message}`;
  return `${paint.dim(where)} ${sev}${paint.bold(formatPath(f.path))}: ${f.message}`;
}

function human(v: Validation, opts: ReportOptions): string {
  const paint = opts.color ? ansi : plain;
  const groups = new Map<string, Finding[]>();
  for (const f of v.findings) {
    const key = f.location.argument !== undefined ? '--set' : f.location.file;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const rank = (file: string) => {
    const i = opts.fileOrder.indexOf(file);
    return i >= 0 ? i : file === '--set' ? opts.fileOrder.length : opts.fileOrder.length + 1;
  };
  const files = [...groups.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const out: string[] = [];
  for (const file of files) {
    out.push(paint.underline(file));
    for (const f of groups.get(file) as Finding[]) {
      out.push(`  ${findingLine(f, paint)}`);
      if (f.frame) out.push(...f.frame.map((l) => `    ${paint.dim(l)}`));
    }
    out.push('');
  }
  const counts = `${plural(v.errors, 'error')}, ${plural(v.warnings, 'warning')}`;
  if (v.errors > 0) out.push(paint.red(`✖ invalid: ${counts}`));
  else out.push(paint.green(`✔ valid${v.warnings ? ` (${plural(v.warnings, 'warning')})` : ''}`));
  return `${out.join('\n')}\n`;
}

function github(v: Validation): string {
  const lines = v.findings.map((f) => {
    const kind = f.severity === 'error' ? 'error' : 'warning';
    const text = f.rule === 'syntax' ? f.message : `${formatPath(f.path)}: ${f.message}`;
    if (f.location.argument !== undefined) {
      return `::${kind} title=${prop(`--set ${f.location.argument}`)}::${data(text)}`;
    }
    return `::${kind} file=${prop(f.location.file)},line=${f.location.line},col=${f.location.col}::${data(text)}`;
  });
  lines.push(
    `${v.errors ? 'invalid' : 'valid'}: ${plural(v.errors, 'error')}, ${plural(v.warnings, 'warning')}`,
  );
  return `${lines.join('\n')}\n`;
}

// GitHub's escaping for workflow command data and properties.
const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const prop = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export interface Paint {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  underline(s: string): string;
}

const plain: Paint = { bold: id, dim: id, red: id, green: id, yellow: id, underline: id };
const ansi: Paint = {
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  red: sgr(31, 39),
  green: sgr(32, 39),
  yellow: sgr(33, 39),
  underline: sgr(4, 24),
};

function id(s: string): string {
  return s;
}

function sgr(on: number, off: number) {
  return (s: string) => `\u001b[${on}m${s}\u001b[${off}m`;
}

/** Colour on a terminal, unless NO_COLOR; FORCE_COLOR forces it. */
export function wantColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}
