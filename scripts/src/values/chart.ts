// Loads a chart the way Helm's loader does, as far as values are concerned: Chart.yaml (name,
// version, dependencies with condition, tags, alias, import-values), values.yaml with positions,
// values.schema.json, and every subchart under charts/ (directories, symlinks or .tgz archives).
// A `file://` dependency is read from the chart it points at, not from the archive that
// `helm dependency build` made of it: that is what the next build packages (an archive can be
// stale), needs no helm, and lets messages name the real file (charts/order-api/values.yaml:18).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { InputError } from './errors';
import { isTable, newTable, type Table } from './model';
import { versionMatches } from './version-range';
import { parseCached } from './parse-cache';

export interface Dependency {
  name: string;
  version: string;
  repository?: string;
  condition?: string;
  tags: string[];
  alias?: string;
  importValues: unknown[];
  enabled: boolean;
}

export interface Chart {
  /** Metadata name; an alias replaces it once dependencies are processed. */
  name: string;
  version: string;
  type: string;
  /** Chart.yaml annotations with string values (some carry facts the templates read too). */
  annotations: Record<string, string>;
  dependencies: Dependency[];
  values: Table;
  schema?: Record<string, unknown>;
  /** Where values.schema.json came from (shown in messages, key of the compiled-schema cache). */
  schemaFile?: string;
  schemaText?: string;
  /** Display path of the chart (`charts/product-api`). */
  display: string;
  valuesFile: string;
  subcharts: Chart[];
}

/** In-memory files of one chart, paths relative to the chart root. */
type Files = Map<string, Buffer>;

/**
 * `displayOf` names a subchart directory in messages; by default a symlinked subchart is shown
 * under the parent (charts/techcommerce/charts/x), with it the real place can be shown instead.
 */
export function loadChart(dir: string, display: string, displayOf?: (abs: string) => string): Chart {
  if (!fs.existsSync(path.join(dir, 'Chart.yaml'))) {
    throw new InputError(display, 'not a chart (no Chart.yaml)');
  }
  const real = displayOf ? (rel: string) => displayOf(fs.realpathSync(path.join(dir, rel))) : undefined;
  const local = (dep: Dependency) => localDependency(dir, display, dep, displayOf);
  return fromFiles(readDir(dir), display, real, local);
}

/** The chart a `file://` dependency names, unless charts/ holds an unpacked copy (Helm uses that). */
function localDependency(
  dir: string,
  display: string,
  dep: Dependency,
  displayOf?: (abs: string) => string,
): Chart | undefined {
  if (!dep.repository?.startsWith('file://')) return undefined;
  const unpacked = path.join(dir, 'charts', dep.name);
  if (fs.existsSync(unpacked) && fs.statSync(unpacked).isDirectory()) return undefined;
  const source = path.resolve(dir, dep.repository.slice('file://'.length));
  if (!fs.existsSync(path.join(source, 'Chart.yaml'))) return undefined;
  const shown = displayOf ? displayOf(fs.realpathSync(source)) : `${display}/charts/${dep.name}`;
  return loadChart(source, shown, displayOf);
}

const WANTED = /^(Chart\.yaml|values\.yaml|values\.schema\.json|charts\/.*)$/;

function readDir(root: string): Files {
  const files: Files = new Map();
  const walk = (rel: string, depth: number) => {
    if (depth > 20) throw new InputError(root, 'charts/ nested too deeply (a symlink loop?)');
    for (const entry of fs.readdirSync(path.join(root, rel))) {
      const r = rel ? `${rel}/${entry}` : entry;
      const abs = path.join(root, r);
      const stat = fs.statSync(abs); // follows symlinks, as Helm's loader does
      if (stat.isDirectory()) {
        if (r === 'charts' || r.startsWith('charts/')) walk(r, depth + 1);
      } else if (WANTED.test(r)) files.set(r, fs.readFileSync(abs));
    }
  };
  walk('', 0);
  return files;
}

/** For a chart read from disk: the display name of the directory at a path relative to it. */
type RealDisplay = (rel: string) => string;

function readAnnotations(meta: Table): Record<string, string> {
  const a = meta.annotations;
  if (!isTable(a)) return {};
  return Object.fromEntries(
    Object.entries(a).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as const] : [])),
  );
}

function fromFiles(
  files: Files,
  display: string,
  real?: RealDisplay,
  local?: (dep: Dependency) => Chart | undefined,
): Chart {
  const chartYaml = files.get('Chart.yaml');
  if (!chartYaml) throw new InputError(display, 'not a chart (no Chart.yaml)');
  const meta = parseCached(chartYaml.toString('utf8'), { display: `${display}/Chart.yaml`, kind: 'chart' });
  const name = typeof meta.name === 'string' ? meta.name : '';
  if (!name) throw new InputError(`${display}/Chart.yaml`, 'the chart has no name');
  const valuesFile = `${display}/values.yaml`;
  const valuesText = files.get('values.yaml');
  const values = valuesText
    ? parseCached(valuesText.toString('utf8'), { display: valuesFile, kind: 'chart' })
    : newTable();
  const chart: Chart = {
    name,
    version: String(meta.version ?? ''),
    type: String(meta.type ?? 'application'),
    annotations: readAnnotations(meta),
    dependencies: readDependencies(meta, `${display}/Chart.yaml`),
    values,
    display,
    valuesFile,
    subcharts: [],
  };
  const schemaText = files.get('values.schema.json')?.toString('utf8');
  if (schemaText !== undefined) {
    chart.schemaFile = `${display}/values.schema.json`;
    chart.schemaText = schemaText;
    try {
      chart.schema = JSON.parse(schemaText) as Record<string, unknown>;
    } catch (err) {
      throw new InputError(chart.schemaFile, `not valid JSON: ${(err as Error).message}`);
    }
  }
  const fromSource = chart.dependencies.flatMap((d) => local?.(d) ?? []);
  const packed = readSubcharts(files, `${display}/charts`, real).filter(
    (s) => !fromSource.some((l) => l.name === s.name),
  );
  chart.subcharts = [...fromSource, ...packed];
  checkDependencies(chart);
  return chart;
}

function readDependencies(meta: Table, file: string): Dependency[] {
  const deps = meta.dependencies;
  if (deps === undefined || deps === null) return [];
  if (!Array.isArray(deps)) throw new InputError(file, 'dependencies must be a list');
  return deps.map((d, i) => {
    if (!isTable(d) || typeof d.name !== 'string') {
      throw new InputError(file, `dependencies[${i}] needs a name`);
    }
    const tags = Array.isArray(d.tags) ? d.tags.map(String) : [];
    return {
      name: d.name,
      version: d.version === undefined || d.version === null ? '' : String(d.version),
      repository: typeof d.repository === 'string' ? d.repository : undefined,
      condition: typeof d.condition === 'string' ? d.condition : undefined,
      tags,
      alias: typeof d.alias === 'string' && d.alias ? d.alias : undefined,
      importValues: Array.isArray(d['import-values']) ? d['import-values'] : [],
      enabled: true,
    };
  });
}

function readSubcharts(files: Files, display: string, real?: RealDisplay): Chart[] {
  const groups = new Map<string, Files>();
  for (const [name, data] of files) {
    if (!name.startsWith('charts/')) continue;
    const rest = name.slice('charts/'.length);
    const slash = rest.indexOf('/');
    const top = slash < 0 ? rest : rest.slice(0, slash);
    if (top.startsWith('.') || top.startsWith('_')) continue;
    if (slash < 0) {
      if (top.endsWith('.tgz')) groups.set(top, untar(data, `${display}/${top}`));
      continue;
    }
    let g = groups.get(top);
    if (!g) groups.set(top, (g = new Map()));
    g.set(rest.slice(slash + 1), data);
  }
  return [...groups.keys()].sort().map((top) => {
    const files = groups.get(top) as Files;
    if (!real || top.endsWith('.tgz')) return fromFiles(files, `${display}/${top}`);
    const here = real(`charts/${top}`);
    return fromFiles(files, here, (rel) => real(`charts/${top}/${rel}`));
  });
}

/** A packaged chart: gzip'd tar whose entries all sit under `<chart>/`. */
function untar(gz: Buffer, display: string): Files {
  let tar: Buffer;
  try {
    tar = zlib.gunzipSync(gz);
  } catch {
    throw new InputError(display, 'not a gzip archive');
  }
  const files: Files = new Map();
  let longName: string | undefined;
  for (let off = 0; off + 512 <= tar.length;) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, len: number) =>
      header
        .subarray(start, start + len)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    const prefix = field(345, 155);
    let name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    longName = undefined;
    const body = tar.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = body.toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    if (type !== '0' && type !== '' && type !== '\0') continue;
    name = name.replace(/^\.\//, '');
    const rel = name.slice(name.indexOf('/') + 1);
    if (WANTED.test(rel)) files.set(rel, Buffer.from(body));
  }
  return files;
}

/** helm install refuses a chart whose Chart.yaml lists a dependency missing from charts/. */
function checkDependencies(chart: Chart): void {
  for (const dep of chart.dependencies) {
    if (!chart.subcharts.some((c) => c.name === dep.name && versionMatches(dep.version, c.version))) {
      throw new InputError(
        `${chart.display}/Chart.yaml`,
        `dependency ${dep.name} ${dep.version} is not in ${chart.display}/charts/ (helm would refuse to render)`,
      );
    }
  }
}

/** A copy that dependency processing may change (Helm mutates the loaded chart). */
export function cloneChart(chart: Chart): Chart {
  return {
    ...chart,
    dependencies: chart.dependencies.map((d) => ({ ...d, tags: [...d.tags] })),
    subcharts: chart.subcharts.map(cloneChart),
  };
}
