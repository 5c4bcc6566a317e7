// Which subcharts take part (Helm's processDependencyEnabled: aliases, tags, conditions) and
// import-values (processDependencyImportValues), as `helm install|upgrade|template` run them
// before the final coalesce: after this the parent's defaults already contain its subcharts'
// defaults, with nulls kept.
import type { Chart } from './chart';
import { Coalescer, type HelmMajor } from './coalesce';
import { versionMatches } from './version-range';
import { deepCopy, isTable, newTable, type Table, type Value } from './model';

export interface DependencyNote {
  chart: string;
  message: string;
}

export function processDependencies(chart: Chart, values: Table, helm: HelmMajor): DependencyNote[] {
  const notes: DependencyNote[] = [];
  processEnabled(chart, values, '', notes, helm);
  processImportValues(chart, notes, helm);
  return notes;
}

function processEnabled(c: Chart, v: Table, path: string, notes: DependencyNote[], helm: HelmMajor): void {
  if (c.dependencies.length === 0) return;
  // Subcharts under charts/ that Chart.yaml does not list are kept as they are.
  const kept: Chart[] = c.subcharts.filter(
    (sub) => !c.dependencies.some((d) => d.name === sub.name && versionMatches(d.version, sub.version)),
  );
  for (const dep of c.dependencies) {
    const sub = c.subcharts.find((s) => s.name === dep.name && versionMatches(dep.version, s.version));
    if (sub) kept.push(dep.alias ? { ...sub, name: dep.alias } : sub);
    if (dep.alias) dep.name = dep.alias;
  }
  c.subcharts = kept;
  for (const dep of c.dependencies) dep.enabled = true;
  const cvals = new Coalescer(helm).values(c, v, false);
  applyTags(c, cvals, notes);
  applyConditions(c, cvals, path, notes);
  const off = new Set(c.dependencies.filter((d) => !d.enabled).map((d) => d.name));
  const on = c.subcharts.filter((s) => !off.has(s.name));
  for (const sub of on) processEnabled(sub, cvals, `${path}${sub.name}.`, notes, helm);
  c.dependencies = c.dependencies.filter((d) => !off.has(d.name));
  c.subcharts = on;
}

function applyTags(c: Chart, cvals: Table, notes: DependencyNote[]): void {
  const tags = cvals.tags;
  if (!isTable(tags)) return;
  for (const dep of c.dependencies) {
    let hasTrue = false;
    let hasFalse = false;
    for (const t of dep.tags) {
      if (!(t in tags)) continue;
      const b = tags[t];
      if (typeof b === 'boolean') {
        if (b) hasTrue = true;
        else hasFalse = true;
      } else notes.push({ chart: dep.name, message: `tag ${t} is not true or false, so it was ignored` });
    }
    if (!hasTrue && hasFalse) dep.enabled = false;
    else dep.enabled = true;
  }
}

function applyConditions(c: Chart, cvals: Table, path: string, notes: DependencyNote[]): void {
  for (const dep of c.dependencies) {
    for (const cond of (dep.condition ?? '').trim().split(',')) {
      if (!cond) continue;
      const found = pathValue(cvals, `${path}${cond}`);
      if (!found.ok) continue;
      if (typeof found.value === 'boolean') {
        dep.enabled = found.value;
        break;
      }
      notes.push({ chart: dep.name, message: `condition ${cond} is not true or false, so it was ignored` });
    }
  }
}

/** Values.PathValue: a non-table value at a dotted path. */
export function pathValue(v: Table, dotted: string): { ok: true; value: Value } | { ok: false } {
  const parts = dotted.split('.');
  const key = parts.pop() as string;
  let t: Table = v;
  for (const p of parts) {
    const next = t[p];
    if (!isTable(next)) return { ok: false };
    t = next;
  }
  if (key in t && !isTable(t[key])) return { ok: true, value: t[key] as Value };
  return { ok: false };
}

function processImportValues(c: Chart, notes: DependencyNote[], helm: HelmMajor): void {
  for (const sub of c.subcharts) processImportValues(sub, notes, helm);
  if (c.dependencies.length === 0) return;
  const coalescer = new Coalescer(helm);
  const cvals = coalescer.values(c, null, true);
  let imported = newTable();
  for (const dep of c.dependencies) {
    for (const iv of dep.importValues) {
      let child: string;
      let parent: string;
      if (isTable(iv as Value)) {
        child = String((iv as Table).child);
        parent = String((iv as Table).parent);
      } else if (typeof iv === 'string') {
        child = `exports.${iv}`;
        parent = '.';
      } else continue;
      const table = tableAt(cvals, `${dep.name}.${child}`);
      if (!table) {
        notes.push({ chart: dep.name, message: `import-values: ${child} is not a mapping in ${dep.name}` });
        continue;
      }
      const placed = parent === '.' ? deepCopy(table) : nest(parent.split('.'), deepCopy(table));
      imported = coalescer.tables(imported, placed, [], true);
    }
  }
  c.values = coalescer.tables(deepCopy(cvals), imported, [], true);
}

function tableAt(v: Table, dotted: string): Table | undefined {
  let t: Table = v;
  for (const p of dotted.split('.')) {
    const next = t[p];
    if (!isTable(next)) return undefined;
    t = next;
  }
  return t;
}

function nest(path: string[], leaf: Table): Table {
  let cur = leaf;
  for (let i = path.length - 1; i >= 0; i--) {
    const t = newTable();
    t[path[i] as string] = cur;
    cur = t;
  }
  return cur;
}
