// Which charts a change must test. A chart is changed when a file under its folder changed, and
// so is every chart that depends on it (through Chart.yaml dependencies with a file:// repository,
// transitively): a pull request that touches only charts/common or one service chart tests the
// umbrella too, which chart-testing's own detection (folders only) would miss.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export interface ChartInfo {
  /** Repository-relative folder, e.g. "charts/frontend" (ct's --charts form). */
  dir: string;
  name: string;
  type: 'application' | 'library';
  /** Folders of the local charts it depends on. */
  dependsOn: string[];
}

interface ChartYaml {
  name?: string;
  type?: string;
  dependencies?: { name: string; repository?: string }[];
}

/** The charts under `chartsDir` (one level, as ct's chart-dirs) of the repository at `root`. */
export function readCharts(root: string, chartsDir = 'charts'): ChartInfo[] {
  const base = path.join(root, chartsDir);
  return fs
    .readdirSync(base, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(base, d.name, 'Chart.yaml')))
    .map((d) => {
      const dir = path.posix.join(chartsDir, d.name);
      const y = parse(fs.readFileSync(path.join(base, d.name, 'Chart.yaml'), 'utf8')) as ChartYaml;
      const dependsOn = (y.dependencies ?? []).flatMap((dep) => {
        const repo = dep.repository ?? '';
        if (!repo.startsWith('file://')) return [];
        return [path.posix.normalize(path.posix.join(dir, repo.slice('file://'.length)))];
      });
      return {
        dir,
        name: y.name ?? d.name,
        type: y.type === 'library' ? ('library' as const) : ('application' as const),
        dependsOn,
      };
    })
    .sort((a, b) => a.dir.localeCompare(b.dir));
}

/** Files that make every chart's test run again: the shared chart-testing config. */
export const ALL_CHARTS_FILES = ['charts/ct.yaml'];

/**
 * The charts to test for a list of changed files: charts with a changed file, plus every chart
 * that depends on one of them, in folder order.
 */
export function chartsToTest(charts: readonly ChartInfo[], changedFiles: readonly string[]): ChartInfo[] {
  if (changedFiles.some((f) => ALL_CHARTS_FILES.includes(f))) return [...charts];
  const hit = new Set(
    charts.filter((c) => changedFiles.some((f) => f.startsWith(`${c.dir}/`))).map((c) => c.dir),
  );
  // Dependents, transitively: repeat until nothing new is added (the graph is small).
  for (let grew = true; grew;) {
    grew = false;
    for (const c of charts) {
      if (!hit.has(c.dir) && c.dependsOn.some((d) => hit.has(d))) {
        hit.add(c.dir);
        grew = true;
      }
    }
  }
  return charts.filter((c) => hit.has(c.dir));
}

/** Files changed on HEAD since it left `base` (`git diff --name-only base...HEAD`). */
export function changedFiles(root: string, base: string, head = 'HEAD'): string[] {
  const out = execFileSync('git', ['diff', '--name-only', '--no-renames', `${base}...${head}`], {
    cwd: root,
    encoding: 'utf8',
  });
  return out.split('\n').filter(Boolean);
}

/** Services with an image: a folder under services/ with a chart of the same name. */
export function imageServices(root: string): string[] {
  return fs
    .readdirSync(path.join(root, 'services'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(root, 'charts', d.name, 'Chart.yaml')))
    .map((d) => d.name)
    .sort();
}
