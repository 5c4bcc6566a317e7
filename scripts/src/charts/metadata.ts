// Chart.yaml metadata as well-kept charts carry it (kubeVersion, icon, home, sources, maintainers,
// Artifact Hub annotations), written from one file, charts/metadata.yaml, into every
// charts/*/Chart.yaml by `npm run generate` (and checked by `npm run generate -- --check`).
// Each Chart.yaml keeps its own keys and comments; the generated keys are replaced, and the
// keys are put in one order.
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, parse, parseDocument, Scalar, stringify, YAMLMap, type Pair } from 'yaml';

export interface Output {
  file: string;
  content: string;
}

interface Link {
  name: string;
  url: string;
}

interface Change {
  kind: 'added' | 'changed' | 'deprecated' | 'removed' | 'fixed' | 'security';
  description: string;
  charts?: string[];
}

export interface ProjectMetadata {
  home: string;
  kubeVersion: string;
  icon: string;
  license: string;
  maintainers: { name: string; email?: string; url?: string }[];
  links: Link[];
  changes: Change[];
}

interface ChartYaml {
  name: string;
  appVersion?: string;
  type?: string;
  dependencies?: { name: string; repository?: string }[];
}

/** The order of keys in every generated Chart.yaml (unknown keys keep their place after these). */
const KEY_ORDER = [
  'apiVersion',
  'name',
  'description',
  'type',
  'version',
  'appVersion',
  'kubeVersion',
  'home',
  'icon',
  'sources',
  'maintainers',
  'keywords',
  'annotations',
  'dependencies',
];

const ANNOTATION_PREFIX = 'artifacthub.io/';

export function readProjectMetadata(chartsDir: string): ProjectMetadata {
  return parse(fs.readFileSync(path.join(chartsDir, 'metadata.yaml'), 'utf8')) as ProjectMetadata;
}

function readChart(dir: string): ChartYaml {
  return parse(fs.readFileSync(path.join(dir, 'Chart.yaml'), 'utf8')) as ChartYaml;
}

/** Every `image: {repository, tag}` in a values tree (the chart's own images). */
function imagesIn(values: unknown, appVersion: string): string[] {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      const image = value as { repository?: unknown; registry?: unknown; tag?: unknown } | null;
      if (key === 'image' && image && typeof image.repository === 'string') {
        const repo =
          typeof image.registry === 'string' && image.registry
            ? `${image.registry}/${image.repository}`
            : image.repository;
        const tag = typeof image.tag === 'string' && image.tag ? image.tag : appVersion;
        out.push(`${repo}:${tag}`);
      } else walk(value);
    }
  };
  walk(values);
  return out;
}

/** The images a chart runs: those its values name, then its local dependencies', each once. */
export function chartImages(dir: string): string[] {
  const chart = readChart(dir);
  const valuesFile = path.join(dir, 'values.yaml');
  const own = fs.existsSync(valuesFile)
    ? imagesIn(parse(fs.readFileSync(valuesFile, 'utf8')), String(chart.appVersion ?? ''))
    : [];
  const deps = (chart.dependencies ?? [])
    .filter((d) => d.repository?.startsWith('file://'))
    .flatMap((d) => chartImages(path.resolve(dir, (d.repository as string).slice('file://'.length))));
  return [...new Set([...own, ...deps])];
}

function imageName(ref: string): string {
  const repo = ref.replace(/[:@].*$/, '');
  return repo.slice(repo.lastIndexOf('/') + 1);
}

function literal(value: string): Scalar {
  const s = new Scalar(value);
  s.type = Scalar.BLOCK_LITERAL;
  return s;
}

/** The generated keys of one chart. */
function generated(meta: ProjectMetadata, chartName: string, dir: string, repoRoot: string) {
  const chartPath = path.relative(repoRoot, dir).split(path.sep).join('/');
  const servicePath = path.join(repoRoot, 'services', chartName);
  const sources = [`${meta.home}/tree/main/${chartPath}`];
  if (fs.existsSync(path.join(servicePath, 'package.json')))
    sources.push(`${meta.home}/tree/main/services/${chartName}`);
  const images = chartImages(dir).map((image) => ({ name: imageName(image), image }));
  const changes = meta.changes
    .filter((c) => !c.charts || c.charts.includes(chartName))
    .map((c) => ({ kind: c.kind, description: c.description }));
  const annotations: [string, Scalar | string][] = [
    ['artifacthub.io/license', meta.license],
    ['artifacthub.io/links', literal(stringifyList(meta.links))],
  ];
  if (images.length > 0) annotations.push(['artifacthub.io/images', literal(stringifyList(images))]);
  if (changes.length > 0) annotations.push(['artifacthub.io/changes', literal(stringifyList(changes))]);
  return { sources, annotations };
}

/** A YAML list, as Artifact Hub reads its annotations (a string holding YAML). */
function stringifyList(items: object[]): string {
  return stringify(items, { lineWidth: 0 });
}

/** The Chart.yaml of the chart at `dir` with the project's metadata written in. */
export function chartYamlWithMetadata(dir: string, meta: ProjectMetadata, repoRoot: string): string {
  const file = path.join(dir, 'Chart.yaml');
  const doc = parseDocument(fs.readFileSync(file, 'utf8'));
  const root = doc.contents;
  if (!isMap(root)) throw new Error(`${file}: not a mapping`);
  const name = String(doc.get('name'));
  const { sources, annotations } = generated(meta, name, dir, repoRoot);

  doc.set('kubeVersion', meta.kubeVersion);
  doc.set('home', meta.home);
  doc.set('icon', meta.icon);
  doc.set('sources', doc.createNode(sources));
  doc.set('maintainers', doc.createNode(meta.maintainers));

  // Annotations of other prefixes (this project's own) stay, with their comments.
  let ann = doc.get('annotations');
  if (!isMap(ann)) {
    ann = new YAMLMap();
    doc.set('annotations', ann);
  }
  const annMap = ann as YAMLMap;
  annMap.items = annMap.items.filter(
    (p: Pair) => !String(isScalar(p.key) ? p.key.value : p.key).startsWith(ANNOTATION_PREFIX),
  );
  for (const [key, value] of annotations) annMap.set(key, value);

  const rank = (p: Pair) => {
    const i = KEY_ORDER.indexOf(String(isScalar(p.key) ? p.key.value : p.key));
    return i < 0 ? KEY_ORDER.length : i;
  };
  root.items.sort((a, b) => rank(a as Pair) - rank(b as Pair));
  // The width the hand-written descriptions are folded at.
  return doc.toString({ lineWidth: 100 });
}

/** One output per chart folder under charts/ (every folder with a Chart.yaml). */
export function chartMetadataOutputs(repoRoot: string): Output[] {
  const chartsDir = path.join(repoRoot, 'charts');
  const meta = readProjectMetadata(chartsDir);
  return fs
    .readdirSync(chartsDir)
    .filter((d) => fs.existsSync(path.join(chartsDir, d, 'Chart.yaml')))
    .sort()
    .map((d) => ({
      file: `charts/${d}/Chart.yaml`,
      content: chartYamlWithMetadata(path.join(chartsDir, d), meta, repoRoot),
    }));
}
