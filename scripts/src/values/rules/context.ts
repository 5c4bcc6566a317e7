// What a semantic rule sees: the merged values, split into the scope of each chart (the umbrella
// and every enabled subchart), with the environment each one renders for.
import type { Chart } from '../chart';
import { isTable, originOf, type Table, type Value } from '../model';
import { formatPath, type Problem, type Segment } from '../problems';

export interface Scope {
  chart: Chart;
  /** Path of the chart's values in the umbrella's values ([] for the umbrella). */
  path: Segment[];
  values: Table;
}

export interface Rule {
  id: string;
  /** One line for the README and `--help`. */
  summary: string;
  check(ctx: RuleContext): Problem[];
}

export class RuleContext {
  readonly scopes: Scope[];
  private readonly schemaErrorPaths: Set<string>;
  private readonly unknownKeys: Segment[][];

  constructor(
    readonly root: Table,
    chart: Chart,
    schemaProblems: readonly Problem[],
  ) {
    this.scopes = collectScopes(chart, root, []);
    this.schemaErrorPaths = new Set(schemaProblems.map((p) => formatPath(p.path)));
    this.unknownKeys = schemaProblems.filter((p) => p.at === 'key').map((p) => p.path);
  }

  /** global.environment as the scope's templates see it. */
  environment(scope: Scope): string | undefined {
    const g = scope.values.global;
    return isTable(g) && typeof g.environment === 'string' ? g.environment : undefined;
  }

  isProduction(scope: Scope): boolean {
    return this.environment(scope) === 'production';
  }

  /** The schema already complained here (or the key is unknown): a rule adds nothing. */
  hasSchemaError(path: readonly Segment[]): boolean {
    if (this.schemaErrorPaths.has(formatPath(path))) return true;
    return this.unknownKeys.some((k) => k.length <= path.length && k.every((seg, i) => seg === path[i]));
  }

  /** Whether a -f file or --set (not a chart default) set this key. */
  setByUser(table: Table, key: string): boolean {
    return originOf(table, key)?.kind === 'user';
  }

  /**
   * Every table of the scope with its path, not descending into `global` or into the keys of
   * subcharts (they are scopes of their own).
   */
  *tables(scope: Scope): Generator<{ table: Table; path: Segment[] }> {
    const skip = new Set(['global', ...scope.chart.subcharts.map((s) => s.name)]);
    const walk = function* (
      v: Value,
      path: Segment[],
      top: boolean,
    ): Generator<{ table: Table; path: Segment[] }> {
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) yield* walk(v[i] as Value, [...path, i], false);
        return;
      }
      if (!isTable(v)) return;
      yield { table: v, path };
      for (const k of Object.keys(v)) {
        if (top && skip.has(k)) continue;
        yield* walk(v[k] as Value, [...path, k], false);
      }
    };
    yield* walk(scope.values, scope.path, true);
  }
}

function collectScopes(chart: Chart, values: Table, path: Segment[]): Scope[] {
  const out: Scope[] = [{ chart, path, values }];
  for (const sub of chart.subcharts) {
    const v = values[sub.name];
    if (isTable(v)) out.push(...collectScopes(sub, v, [...path, sub.name]));
  }
  return out;
}

export function error(rule: string, path: Segment[], message: string, at: Problem['at'] = 'value'): Problem {
  return { severity: 'error', rule, path, message, at };
}

export function warning(
  rule: string,
  path: Segment[],
  message: string,
  at: Problem['at'] = 'value',
): Problem {
  return { severity: 'warning', rule, path, message, at };
}
