// One validation run: merge as Helm does, check the schemas, apply the semantic rules, and place
// every finding at the file position that set the value.
import type { Chart } from './chart';
import type { HelmMajor } from './coalesce';
import { TypeMismatch } from './coalesce';
import type { Fault } from './errors';
import { unknownGlobals } from './globals';
import { locate, type Location } from './locate';
import { renderValues, userValues, type ValuesFile } from './merge';
import { newTable, originOf, type Table } from './model';
import { formatPath, type Problem } from './problems';
import { RuleContext } from './rules/context';
import { rules } from './rules/index';
import { validateTree } from './schema';

export interface Finding extends Problem {
  location: Location;
  /** For a file that cannot be read as values: the line and a caret under the column. */
  frame?: [string, string];
}

export interface Validation {
  findings: Finding[];
  /** The umbrella's merged values (what the templates see). */
  values: Table;
  errors: number;
  warnings: number;
}

export interface ValidateInput {
  chart: Chart;
  files: readonly ValuesFile[];
  sets?: readonly string[];
  helm?: HelmMajor;
}

export function validate(input: ValidateInput): Validation {
  const user = userValues(input.files, input.sets ?? []);
  let rendered;
  try {
    rendered = renderValues(input.chart, user, input.helm ?? 3);
  } catch (err) {
    if (!(err instanceof TypeMismatch)) throw err;
    // Helm stops here too ("type mismatch on …"): nothing else can be checked.
    const problem: Problem = {
      severity: 'error',
      rule: 'merge',
      path: err.path,
      message: err.message,
      at: 'value',
    };
    return finish([problem], user, input, newTable());
  }
  const { values, chart } = rendered;
  const problems: Problem[] = validateTree(chart, values);
  const ctx = new RuleContext(values, chart, problems);
  for (const rule of rules) problems.push(...rule.check(ctx));
  problems.push(...unknownGlobals(chart, values));
  // What Helm would only log while merging: kept as warnings about what a user wrote, unless a
  // schema error on the same key already says it better. One per key.
  const explained = new Set(problems.map((p) => formatPath(p.path)));
  for (const n of rendered.mergeNotes) {
    const key = formatPath(n.path);
    if (originOf(n.table, n.key)?.kind !== 'user' || explained.has(key)) continue;
    explained.add(key);
    problems.push({ severity: 'warning', rule: 'merge', path: n.path, message: n.message, at: 'value' });
  }
  for (const n of rendered.dependencyNotes) {
    problems.push({
      severity: 'warning',
      rule: 'dependencies',
      path: [n.chart],
      message: n.message,
      at: 'key',
    });
  }
  return finish(problems, values, input, values);
}

/** A file that cannot be parsed is invalid values: each fault is an error finding (rule `syntax`). */
export function unreadable(faults: readonly Fault[]): Validation {
  const findings: Finding[] = faults.map((f) => ({
    severity: 'error',
    rule: 'syntax',
    path: [],
    message: f.message,
    at: 'value',
    location: { file: f.file, line: f.line, col: f.col },
    frame: f.frame,
  }));
  return { findings, values: newTable(), errors: findings.length, warnings: 0 };
}

function finish(problems: Problem[], where: Table, input: ValidateInput, values: Table): Validation {
  const chart = input.chart;
  const findings = problems.map((p) => {
    const location = locate(where, p.path, p.at, chart.valuesFile);
    // The location already points at the null that removed the key.
    const message = location.removedBy ? `${p.message}: the null here removes it` : p.message;
    return { ...p, message, location };
  });
  const unique = dedupe(findings);
  // The user's files in the order given, then --set, then chart defaults; by position within.
  const order = input.files.map((f) => f.display);
  const rank = (f: Finding) => {
    const i = order.indexOf(f.location.file);
    return i >= 0 ? i : f.location.argument !== undefined ? order.length : order.length + 1;
  };
  unique.sort((a, b) => rank(a) - rank(b) || byPlace(a, b));
  const errors = unique.filter((f) => f.severity === 'error').length;
  return { findings: unique, values, errors, warnings: unique.length - errors };
}

/**
 * One line per place and message. The same global reaches every subchart, and an anchored
 * mapping used twice fails twice: the shortest path stays, other paths are named unless they are
 * the same key seen through a subchart.
 */
function dedupe(findings: Finding[]): Finding[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const k = [
      f.location.file,
      f.location.line,
      f.location.col,
      f.location.argument,
      f.severity,
      f.message,
    ].join('\0');
    groups.set(k, [...(groups.get(k) ?? []), f]);
  }
  return [...groups.values()].map((group) => {
    const [keep, ...rest] = [...group].sort((a, b) => a.path.length - b.path.length);
    const shown = formatPath((keep as Finding).path);
    const others = [...new Set(rest.map((f) => formatPath(f.path)))].filter(
      (p) => p !== shown && !p.endsWith(`.${shown}`),
    );
    if (others.length === 0) return keep as Finding;
    return { ...(keep as Finding), message: `${(keep as Finding).message} (also ${others.join(', ')})` };
  });
}

function byPlace(a: Finding, b: Finding): number {
  return (
    a.location.file.localeCompare(b.location.file) ||
    a.location.line - b.location.line ||
    a.location.col - b.location.col ||
    formatPath(a.path).localeCompare(formatPath(b.path))
  );
}
