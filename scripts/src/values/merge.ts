// The values a release renders with, computed as `helm template|install|upgrade` does:
// 1. the -f files merged in order (later files win, a whole list is replaced), then each --set
//    written into the result (Helm's values.Options.MergeValues);
// 2. dependencies processed (conditions, tags, aliases, import-values);
// 3. the chart tree coalesced with those values (CoalesceValues).
import { type Chart, cloneChart } from './chart';
import { Coalescer, type HelmMajor, type MergeNote } from './coalesce';
import { type DependencyNote, processDependencies } from './dependencies';
import { type Fault, SourceErrors } from './errors';
import { isTable, newTable, originOf, put, type Table, type Value } from './model';
import { applySet } from './strvals';
import { readValuesFile } from './parse-cache';

export interface ValuesFile {
  /** Path to read. */
  path: string;
  /** Path shown in messages. */
  display: string;
}

/**
 * -f files then --set, as Helm merges them before looking at the chart. Every file is read before
 * giving up, so the faults of all of them are reported together.
 */
export function userValues(files: readonly ValuesFile[], sets: readonly string[] = []): Table {
  let base = newTable();
  const faults: Fault[] = [];
  for (const f of files) {
    try {
      base = mergeMaps(base, readValuesFile(f.path, { display: f.display, kind: 'user' }));
    } catch (err) {
      if (!(err instanceof SourceErrors)) throw err;
      faults.push(...err.faults);
    }
  }
  if (faults.length > 0) throw new SourceErrors(faults);
  for (const s of sets) applySet(s, base);
  return base;
}

/** Helm's mergeMaps: b over a, recursing only where both sides are mappings. */
export function mergeMaps(a: Table, b: Table): Table {
  const out = newTable();
  for (const k of Object.keys(a)) put(out, k, a[k] as Value, originOf(a, k));
  for (const k of Object.keys(b)) {
    const v = b[k] as Value;
    const bv = out[k];
    if (isTable(v) && k in out && isTable(bv)) {
      put(out, k, mergeMaps(bv, v), originOf(b, k));
      continue;
    }
    put(out, k, v, originOf(b, k));
  }
  return out;
}

export interface Rendered {
  /** The umbrella's .Values; each enabled subchart's .Values sits under its name. */
  values: Table;
  /** The chart tree with only the enabled subcharts (aliases applied). */
  chart: Chart;
  mergeNotes: MergeNote[];
  dependencyNotes: DependencyNote[];
}

export function renderValues(chart: Chart, user: Table, helm: HelmMajor = 3): Rendered {
  const c = cloneChart(chart);
  const dependencyNotes = processDependencies(c, user, helm);
  const coalescer = new Coalescer(helm);
  const values = coalescer.values(c, user, false);
  return { values, chart: c, mergeNotes: dedupe(coalescer.notes), dependencyNotes };
}

function dedupe(notes: MergeNote[]): MergeNote[] {
  const seen = new Set<string>();
  return notes.filter((n) => {
    const k = `${n.path.join('\0')}|${n.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
