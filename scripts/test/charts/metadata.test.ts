// Chart.yaml as a registry and Artifact Hub read it: the project's facts (charts/metadata.yaml,
// written into every Chart.yaml by `npm run generate`), a LICENSE that matches them, and an
// `artifacthub.io/images` list that names exactly the images the chart renders.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CHARTS, chartsDir, render, repoRoot, UMBRELLA, type K8sObject } from './helpers';

interface ChartYaml {
  kubeVersion?: string;
  home?: string;
  icon?: string;
  sources?: string[];
  maintainers?: { name: string; email?: string }[];
  annotations?: Record<string, string>;
}

const chartYaml = (chart: string) =>
  parse(fs.readFileSync(path.join(chartsDir, chart, 'Chart.yaml'), 'utf8')) as ChartYaml;

function renderedImages(objects: K8sObject[]): string[] {
  const images = new Set<string>();
  for (const o of objects) {
    const spec = (o.spec as { template?: { spec?: unknown } } | undefined)?.template?.spec ?? o.spec;
    const pod = spec as
      { containers?: { image: string }[]; initContainers?: { image: string }[] } | undefined;
    for (const c of [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])]) images.add(c.image);
  }
  return [...images].sort();
}

describe('Chart.yaml metadata', () => {
  it.each(CHARTS)('charts/%s has kubeVersion, https home, icon and sources, and maintainers', (chart) => {
    const c = chartYaml(chart);
    expect(c.kubeVersion).toMatch(/^>=1\.\d+\.\d+-0$/);
    expect(c.home).toMatch(/^https:\/\//);
    expect(c.icon).toMatch(/^https:\/\/.+\.svg$/);
    expect(c.sources?.length).toBeGreaterThan(0);
    for (const s of c.sources ?? []) expect(s).toMatch(/^https:\/\//);
    expect(c.maintainers?.[0]?.name).toBeTruthy();
  });

  it.each(CHARTS)('charts/%s carries the artifacthub license, links and changes annotations', (chart) => {
    const a = chartYaml(chart).annotations ?? {};
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      license: string;
    };
    expect(a['artifacthub.io/license']).toBe(pkg.license);
    const links = parse(a['artifacthub.io/links'] ?? '') as { name: string; url: string }[];
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) expect(l.url).toMatch(/^https:\/\//);
    const changes = parse(a['artifacthub.io/changes'] ?? '') as { kind: string; description: string }[];
    expect(changes.length).toBeGreaterThan(0);
    for (const c of changes)
      expect(['added', 'changed', 'deprecated', 'removed', 'fixed', 'security']).toContain(c.kind);
  });

  it('the icon the charts name is committed at the path its URL points to', () => {
    const icon = chartYaml(UMBRELLA).icon ?? '';
    const rel = icon.replace(/^https:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\/main\//, '');
    expect(fs.readFileSync(path.join(repoRoot, rel), 'utf8')).toMatch(/^<svg /);
  });

  it('the repository has the Apache-2.0 LICENSE that package.json and the charts name', () => {
    const text = fs.readFileSync(path.join(repoRoot, 'LICENSE'), 'utf8');
    expect(text).toMatch(/Apache License\s+Version 2\.0, January 2004/);
    expect(text).toMatch(/END OF TERMS AND CONDITIONS/);
  });

  // The chart defaults only: values/local-cluster.yaml swaps every image for the locally built one.
  it.each([['the defaults', []]])(
    'artifacthub.io/images of the umbrella lists exactly the images it renders with %s',
    (_, values) => {
      const listed = (
        parse(chartYaml(UMBRELLA).annotations?.['artifacthub.io/images'] ?? '') as { image: string }[]
      )
        .map((i) => i.image)
        .sort();
      // Hooks (the migration Jobs) and the helm test pod included: `helm template` renders them. Every
      // subchart is on in the defaults (staging leaves the bundled PostgreSQL off).
      const objects = render(`charts/${UMBRELLA}`, { values: values as string[] });
      expect(renderedImages(objects)).toEqual(listed);
    },
  );
});
