// Values as Helm sees them (JSON-like data), plus where each key got its value.
// Origins live in side tables keyed by the container object, so the merge code can move and
// share tables exactly as Helm's Go maps do and every key still knows which file line set it.

export type Scalar = string | number | boolean | null;
export type Value = Scalar | Value[] | Table;
export interface Table {
  [key: string]: Value;
}
type Container = Table | Value[];

export interface Position {
  line: number; // 1-based
  col: number; // 1-based
}

export interface Origin {
  /** Path as shown to people: `values/staging.yaml`, `charts/product-api/values.yaml`, `--set`. */
  file: string;
  /** user: a -f file or --set; chart: a chart's values.yaml; helm: made by Helm itself. */
  kind: 'user' | 'chart' | 'helm';
  key?: Position;
  value?: Position;
  /** For --set: the whole argument, so the message can quote it. */
  argument?: string;
}

/** Tables are prototype-less so user keys such as `__proto__` or `constructor` are plain keys. */
export function newTable(): Table {
  return Object.create(null) as Table;
}

export function isTable(v: unknown): v is Table {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const origins = new WeakMap<Container, Map<string, Origin>>();
const tombstones = new WeakMap<Table, Map<string, Origin>>();

export function originOf(container: Container, key: string | number): Origin | undefined {
  return origins.get(container)?.get(String(key));
}

export function setOrigin(container: Container, key: string | number, origin: Origin | undefined): void {
  let m = origins.get(container);
  if (!origin) {
    m?.delete(String(key));
    return;
  }
  if (!m) {
    m = new Map();
    origins.set(container, m);
  }
  m.set(String(key), origin);
}

/** Sets `table[key]` and records where the value came from. */
export function put(table: Table, key: string, value: Value, origin: Origin | undefined): void {
  table[key] = value;
  setOrigin(table, key, origin);
  tombstones.get(table)?.delete(key);
}

/** Deletes `table[key]` because a null at `by` asked for it (kept to explain a missing key later). */
export function remove(table: Table, key: string, by: Origin | undefined): void {
  delete table[key];
  setOrigin(table, key, undefined);
  if (!by) return;
  let m = tombstones.get(table);
  if (!m) {
    m = new Map();
    tombstones.set(table, m);
  }
  m.set(key, by);
}

/** The null that removed `key` from `table`, if one did. */
export function removedBy(table: Table, key: string): Origin | undefined {
  return tombstones.get(table)?.get(key);
}

/** A deep copy (Helm's copystructure.Copy) that keeps every origin. */
export function deepCopy<T extends Value>(value: T): T {
  if (Array.isArray(value)) {
    const out = value.map((v) => deepCopy(v));
    copyOrigins(value, out);
    return out as T;
  }
  if (isTable(value)) {
    const out = newTable();
    for (const k of Object.keys(value)) out[k] = deepCopy(value[k] as Value);
    copyOrigins(value, out);
    const t = tombstones.get(value);
    if (t) tombstones.set(out, new Map(t));
    return out as T;
  }
  return value;
}

/** A one-level copy (Helm's copyMap): nested tables stay shared. */
export function shallowCopy(table: Table): Table {
  const out = newTable();
  for (const k of Object.keys(table)) out[k] = table[k] as Value;
  copyOrigins(table, out);
  return out;
}

function copyOrigins(from: Container, to: Container): void {
  const m = origins.get(from);
  if (m) origins.set(to, new Map(m));
}

/** Plain JSON form (for output and comparisons). */
export function toPlain(value: Value): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}
