// `values diff staging production`: the merged values (chart defaults included) that differ
// between two environments, one row per key with both values. A list is one value (Helm replaces
// lists whole); an empty mapping on one side whose keys the other side sets is not a row of its
// own, its keys are (each unset on the empty side).
import { isTable, type Value } from './model';
import { formatPath, type Segment } from './problems';

export interface Difference {
  path: Segment[];
  /** undefined: not set on that side. */
  left: Value | undefined;
  right: Value | undefined;
}

const UNSET = Symbol('unset');

export function diffValues(left: Value, right: Value): Difference[] {
  const a = leaves(left);
  const b = leaves(right);
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  const out: Difference[] = [];
  for (const k of keys) {
    const l = a.get(k) ?? { path: (b.get(k) as Leaf).path, value: UNSET };
    const r = b.get(k) ?? { path: l.path, value: UNSET };
    if (same(l.value, r.value)) continue;
    if (
      (isEmptyTable(l.value) && r.value === UNSET && hasKeysUnder(b, l.path)) ||
      (isEmptyTable(r.value) && l.value === UNSET && hasKeysUnder(a, r.path))
    )
      continue;
    out.push({
      path: l.path,
      left: l.value === UNSET ? undefined : (l.value as Value),
      right: r.value === UNSET ? undefined : (r.value as Value),
    });
  }
  return out.sort((x, y) => compareSegments(x.path, y.path));
}

interface Leaf {
  path: Segment[];
  value: Value | typeof UNSET;
}

function isEmptyTable(v: unknown): boolean {
  return isTable(v) && Object.keys(v).length === 0;
}

/** Whether `side` has a value strictly below `path`. */
function hasKeysUnder(side: Map<string, Leaf>, path: Segment[]): boolean {
  for (const leaf of side.values()) {
    if (leaf.path.length > path.length && path.every((seg, i) => leaf.path[i] === seg)) return true;
  }
  return false;
}

/** Every scalar, list and empty mapping by its path. */
function leaves(v: Value, path: Segment[] = [], out = new Map<string, Leaf>()): Map<string, Leaf> {
  if (isTable(v) && Object.keys(v).length > 0) {
    for (const k of Object.keys(v)) leaves(v[k] as Value, [...path, k], out);
  } else {
    out.set(JSON.stringify(path), { path, value: v });
  }
  return out;
}

function same(a: unknown, b: unknown): boolean {
  return a === b || (a !== UNSET && b !== UNSET && JSON.stringify(a) === JSON.stringify(b));
}

function compareSegments(a: Segment[], b: Segment[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as Segment;
    const y = b[i] as Segment;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x).localeCompare(String(y));
  }
  return a.length - b.length;
}

export function showValue(v: Value | undefined): string {
  if (v === undefined) return '(unset)';
  if (isTable(v)) return '{}';
  const text = JSON.stringify(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function formatDiff(diffs: Difference[], leftName: string, rightName: string): string {
  if (diffs.length === 0) return `no differences between ${leftName} and ${rightName}\n`;
  const width = Math.min(60, Math.max(...diffs.map((d) => formatPath(d.path).length)));
  const lines = diffs.map(
    (d) => `${formatPath(d.path).padEnd(width)}  ${showValue(d.left)} → ${showValue(d.right)}`,
  );
  return `${leftName} → ${rightName}: ${diffs.length} value${diffs.length === 1 ? '' : 's'} differ\n${lines.join('\n')}\n`;
}
