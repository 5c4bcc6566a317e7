// One finding of a validation run, and how its path is written for people.
import type { Origin } from './model';

export type Severity = 'error' | 'warning';
export type Segment = string | number;

export interface Problem {
  severity: Severity;
  /** `schema`, `merge`, or the id of a semantic rule (`resources`, `pdb`, …). */
  rule: string;
  /** Path in the umbrella's merged values. */
  path: Segment[];
  message: string;
  /** Point at the key (unknown or missing keys) or at the value (wrong values). */
  at: 'key' | 'value';
}

/** `a.b[0].c`, with dots inside keys escaped as --set expects (`nginx\.ingress…`). */
export function formatPath(path: readonly Segment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const escaped = seg.replace(/([\\.,[\]=])/g, '\\$1');
      out += out ? `.${escaped}` : escaped;
    }
  }
  return out || '(top level)';
}

/** Words for a value in a message: `"abc"`, `5`, `null`, `a mapping`, `a list`. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  return String(v);
}

export function originLabel(o: Origin | undefined): string {
  if (!o) return '';
  if (o.argument !== undefined) return `--set ${o.argument}`;
  const p = o.value ?? o.key;
  return p ? `${o.file}:${p.line}:${p.col}` : o.file;
}
