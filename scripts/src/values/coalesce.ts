// Helm v3's value coalescing (pkg/chartutil/coalesce.go), re-expressed step for step because
// its rules are the behaviour users rely on:
//  - a chart's defaults fill in what the values did not set; values win;
//  - a null in the values deletes the key when coalescing (not when merging). At a chart's top
//    level any null deletes; below it, only a null over a non-null default deletes, otherwise
//    the null stays (Helm 3.22);
//  - the tables under a subchart's key are merged (nulls kept) at the parent's level, so a null
//    set by the parent still removes the subchart's default when the subchart is coalesced;
//  - `global` is copied from the parent into each subchart (parent wins) before the subchart's
//    own defaults are coalesced; nested global tables are shared one level down, exactly as Go's
//    shallow copyMap shares them (so a subchart's global defaults can surface in the parent's).
// Helm 4 differs in one place: when coalescing, nulls in a chart's defaults are dropped instead
// of reaching the templates (`helmMajor: 4`).
// Conformance tests (scripts/test/values/helm-conformance.test.ts) compare this with real helm.
import type { Chart } from './chart';
import {
  deepCopy,
  isTable,
  newTable,
  type Origin,
  originOf,
  put,
  remove,
  setOrigin,
  shallowCopy,
  type Table,
  type Value,
} from './model';

/** What Helm would log while coalescing (it only prints these; we keep them as warnings). */
export interface MergeNote {
  path: string[];
  message: string;
  table: Table;
  key: string;
}

export type HelmMajor = 3 | 4;

export class Coalescer {
  readonly notes: MergeNote[] = [];

  constructor(private readonly helmMajor: HelmMajor = 3) {}

  private note(prefix: string[], key: string, table: Table, message: string): void {
    this.notes.push({ path: [...prefix, key], message, table, key });
  }

  /** CoalesceValues (merge=false) or MergeValues (merge=true) on a copy of `values`. */
  values(chart: Chart, values: Table | null, merge: boolean): Table {
    const copy = values ? deepCopy(values) : newTable();
    return this.coalesce(chart, copy, [], merge);
  }

  private coalesce(chart: Chart, dest: Table, prefix: string[], merge: boolean): Table {
    this.coalesceValues(chart, dest, prefix, merge);
    return this.coalesceDeps(chart, dest, prefix, merge);
  }

  private coalesceDeps(chart: Chart, dest: Table, prefix: string[], merge: boolean): Table {
    for (const sub of chart.subcharts) {
      if (!(sub.name in dest)) {
        put(dest, sub.name, newTable(), helmMade(chart));
      } else if (!isTable(dest[sub.name])) {
        throw new TypeMismatch([...prefix, sub.name], dest, sub.name);
      }
      const dv = dest[sub.name] as Table;
      const subPrefix = [...prefix, sub.name];
      this.coalesceGlobals(dv, dest, subPrefix);
      const out = this.coalesce(sub, dv, subPrefix, merge);
      dest[sub.name] = out;
    }
    return dest;
  }

  /** Copies the parent's globals into the subchart's table; the parent's win. */
  private coalesceGlobals(dest: Table, src: Table, prefix: string[]): void {
    let dg: Table;
    let sg: Table;
    if (!('global' in dest)) dg = newTable();
    else if (isTable(dest.global)) dg = dest.global;
    else {
      this.note(prefix, 'global', dest, 'is not a mapping, so globals were not passed down');
      return;
    }
    if (!('global' in src)) sg = newTable();
    else if (isTable(src.global)) sg = src.global;
    else {
      this.note(prefix, 'global', src, 'is not a mapping, so globals were not passed down');
      return;
    }
    for (const key of Object.keys(sg)) {
      const val = sg[key] as Value;
      if (isTable(val)) {
        const vv = shallowCopy(val);
        const destv = dg[key];
        if (!(key in dg)) put(dg, key, vv, originOf(sg, key));
        else if (!isTable(destv)) {
          this.note(
            [...prefix, 'global'],
            key,
            dg,
            "is not a mapping; the parent chart's global mapping was skipped",
          );
        } else {
          this.tables(vv, destv, [...prefix, 'global', key], true);
          put(dg, key, vv, originOf(sg, key));
        }
      } else if (key in dg && isTable(dg[key])) {
        this.note([...prefix, 'global'], key, dg, "is a mapping; the parent chart's value was skipped");
      } else {
        put(dg, key, val, originOf(sg, key));
      }
    }
    if (dest.global !== dg) put(dest, 'global', dg, originOf(src, 'global') ?? originOf(dest, 'global'));
  }

  /** The chart's defaults under the values `v` (v wins). */
  private coalesceValues(chart: Chart, v: Table, prefix: string[], merge: boolean): void {
    const vc = deepCopy(chart.values);
    for (const key of Object.keys(vc)) {
      const val = vc[key] as Value;
      if (key in v) {
        const value = v[key] as Value;
        if (value === null && !merge) {
          remove(v, key, originOf(v, key));
        } else if (isTable(value)) {
          if (!isTable(val)) {
            if (val !== null) this.note(prefix, key, v, "is a mapping here but not in the chart's defaults");
          } else {
            const childMerge = chart.subcharts.some((s) => s.name === key) || merge;
            if (this.helmMajor === 4 && !childMerge) dropNulls(val);
            this.tables(value, val, [...prefix, key], childMerge);
          }
        }
      } else {
        if (this.helmMajor === 4 && !merge) {
          if (val === null) continue;
          if (isTable(val)) dropNulls(val);
        }
        put(v, key, val, originOf(vc, key));
      }
    }
  }

  /** coalesceTablesFullKey: src fills in dst; dst is authoritative. */
  tables(dst: Table, src: Table, prefix: string[], merge: boolean): Table {
    const srcNonNil = new Set(Object.keys(src).filter((k) => src[k] !== null));
    for (const key of Object.keys(dst)) {
      if (dst[key] === null) {
        src[key] = null;
        setOrigin(src, key, originOf(dst, key));
      }
    }
    for (const key of Object.keys(src)) {
      const val = src[key] as Value;
      const has = key in dst;
      const dv = dst[key];
      if (has && !merge && dv === null && srcNonNil.has(key)) {
        remove(dst, key, originOf(dst, key));
      } else if (!has) {
        put(dst, key, val, originOf(src, key));
      } else if (isTable(val)) {
        if (isTable(dv)) this.tables(dv, val, [...prefix, key], merge);
        else if (dv !== null)
          this.note(prefix, key, dst, 'is not a mapping, so the mapping it replaces was ignored');
      } else if (isTable(dv) && val !== null) {
        this.note(
          prefix,
          key,
          dst,
          'is a mapping where the chart has a single value; the chart value was ignored',
        );
      }
    }
    return dst;
  }
}

/** Helm refuses values where a subchart's key is not a mapping ("type mismatch on …"). */
export class TypeMismatch extends Error {
  override name = 'TypeMismatch';
  constructor(
    readonly path: string[],
    readonly table: Table,
    readonly key: string,
  ) {
    super(`must be a mapping: it holds the values of the ${key} chart`);
  }
}

/** Helm 4's cleanNilValues. */
function dropNulls(t: Table): void {
  for (const k of Object.keys(t)) {
    const v = t[k];
    if (v === null) delete t[k];
    else if (isTable(v)) dropNulls(v);
  }
}

function helmMade(chart: Chart): Origin {
  return { file: chart.valuesFile, kind: 'helm' };
}
