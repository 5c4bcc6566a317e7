// The umbrella as people consume it: its file:// dependencies built by `helm dependency build`
// (scripts/src/charts/dependencies.ts), packaged by one command from a clean checkout, and quiet:
// no helm command prints a warning.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { ensureChartDependencies, STAMP_FILE } from '../../src/charts/dependencies';
import { HELMS, render, repoRoot, runTool, type K8sObject } from './helpers';

const SERVICES = ['frontend', 'product-api', 'order-api'];
const DEPENDENT = ['frontend', 'product-api', 'order-api', 'postgresql', 'monitoring', 'techcommerce'];

function deploymentNames(objects: K8sObject[]): string[] {
  return objects
    .filter((o) => o.kind === 'Deployment')
    .map((o) => o.metadata.name)
    .sort();
}

function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tc-charts-'));
}

/** charts/ and values/ as a fresh clone of this working tree has them (tracked and new files). */
function cleanCheckout(): string {
  const dir = scratch();
  const files = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', 'charts', 'values'],
    { cwd: repoRoot, encoding: 'utf8' },
  )
    .split('\0')
    .filter((f) => f && fs.existsSync(path.join(repoRoot, f)));
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(path.join(repoRoot, f), path.join(dir, f));
  }
  return dir;
}

/** What a helm command warned about: stderr lines that say so, and lint's [WARNING] lines. */
function warnings(r: { stdout: string; stderr: string }): string[] {
  return [
    ...r.stderr.split('\n').filter((l) => /warn/i.test(l)),
    ...r.stdout.split('\n').filter((l) => /^\[WARNING\]/.test(l)),
  ];
}

describe('file:// dependencies', () => {
  it('commits no subchart under charts/*/charts (no symlinks, no archives)', () => {
    const tracked = execFileSync('git', ['ls-files', '--', 'charts/*/charts/*'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(tracked).toBe('');
  });

  it.each(DEPENDENT)('charts/%s commits a Chart.lock that helm dependency build accepts as is', (chart) => {
    const dir = cleanCheckout();
    const lock = path.join(dir, 'charts', chart, 'Chart.lock');
    const before = fs.readFileSync(lock, 'utf8');
    const r = runTool('helm', ['dependency', 'build', path.join(dir, 'charts', chart)]);
    expect(`${r.status} ${r.stderr}`).toBe('0 ');
    expect(fs.readFileSync(lock, 'utf8')).toBe(before);
    const listed = (parse(before) as { dependencies: { name: string }[] }).dependencies.map((d) => d.name);
    const declared = (
      parse(fs.readFileSync(path.join(dir, 'charts', chart, 'Chart.yaml'), 'utf8')) as {
        dependencies: { name: string }[];
      }
    ).dependencies.map((d) => d.name);
    expect(listed).toEqual(declared);
  });

  it('builds leaves first, so the umbrella archive of each service holds its common archive', () => {
    const dir = cleanCheckout();
    const umbrella = path.join(dir, 'charts', 'techcommerce');
    const built = ensureChartDependencies(umbrella, { log: () => undefined });
    expect(built.map((b) => path.basename(b)).sort()).toEqual([...DEPENDENT].sort());
    const listing = execFileSync('tar', ['-tzf', path.join(umbrella, 'charts', 'product-api-0.1.0.tgz')], {
      encoding: 'utf8',
    });
    expect(listing).toContain('product-api/charts/common/templates/_pod.tpl');
    expect(listing).not.toContain(STAMP_FILE);
    expect(listing).not.toMatch(/\/tests\//);
  });

  it('does nothing the second time, and rebuilds what a changed subchart feeds into', () => {
    const dir = cleanCheckout();
    const umbrella = path.join(dir, 'charts', 'techcommerce');
    ensureChartDependencies(umbrella, { log: () => undefined });
    expect(ensureChartDependencies(umbrella, { log: () => undefined })).toEqual([]);

    const values = path.join(dir, 'charts', 'common', 'values.yaml');
    fs.appendFileSync(values, '\n# changed\n');
    // common feeds every chart: each is rebuilt, in dependency order (the umbrella last).
    const rebuilt = ensureChartDependencies(umbrella, { log: () => undefined }).map((b) => path.basename(b));
    expect(rebuilt.at(-1)).toBe('techcommerce');
    expect(rebuilt.sort()).toEqual([...DEPENDENT].sort());

    fs.rmSync(path.join(umbrella, 'charts', 'order-api-0.1.0.tgz'));
    expect(ensureChartDependencies(umbrella, { log: () => undefined }).map((b) => path.basename(b))).toEqual([
      'techcommerce',
    ]);
  });

  it('two processes building at once both end with complete archives', async () => {
    const dir = cleanCheckout();
    const umbrella = path.join(dir, 'charts', 'techcommerce');
    const script = `require(${JSON.stringify(path.join(repoRoot, 'scripts/src/charts/dependencies.ts'))}).ensureChartDependencies(${JSON.stringify(umbrella)}, { log: () => {} })`;
    const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
    const run = () =>
      new Promise<number | null>((resolve) => {
        const child = spawn(tsx, ['-e', script], { stdio: 'inherit' });
        child.on('exit', resolve);
      });
    expect(await Promise.all([run(), run()])).toEqual([0, 0]);
    expect(deploymentNames(render(umbrella))).toEqual(SERVICES.map((s) => `techcommerce-${s}`).sort());
  }, 60_000);
});

describe('npm run chart:package', () => {
  it('answers --help with exit 0 and writes nothing', () => {
    const dest = path.join(scratch(), 'out');
    const r = spawnSync('npm', ['run', '--silent', 'chart:package', '--', '--help', '--destination', dest], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/usage: npm run chart:package/);
    expect(fs.existsSync(dest)).toBe(false);
  });

  it('packages the umbrella from a clean checkout into a self-contained archive that renders on its own', () => {
    const dir = cleanCheckout();
    const dest = path.join(dir, 'out');
    const r = spawnSync(
      'npm',
      [
        'run',
        '--silent',
        'chart:package',
        '--',
        '--chart',
        path.join(dir, 'charts/techcommerce'),
        '--destination',
        dest,
      ],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    expect(
      `${r.status} ${r.stderr
        .split('\n')
        .filter((l) => /warn|error/i.test(l))
        .join('\n')}`,
    ).toBe('0 ');
    const archive = path.join(dest, 'techcommerce-0.1.0.tgz');
    expect(r.stdout.trim()).toBe(archive);
    const listing = execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' });
    for (const s of SERVICES) expect(listing).toContain(`techcommerce/charts/${s}/Chart.yaml`);
    expect(listing).toContain('techcommerce/charts/product-api/charts/common/templates/_pod.tpl');
    expect(listing).not.toMatch(/\/tests\/.*_test\.yaml/);
    expect(listing).not.toContain(STAMP_FILE);
    const objects = render(archive, { values: [path.join(dir, 'values/staging.yaml')] });
    expect(deploymentNames(objects)).toEqual(SERVICES.map((s) => `techcommerce-${s}`).sort());
    expect(objects.some((o) => o.kind === 'PrometheusRule')).toBe(true);
  });
});

describe.each(HELMS)('$label prints no warning for the umbrella', ({ bin }) => {
  const chart = 'charts/techcommerce';
  it.each([
    ['lint --strict', ['lint', '--strict', chart, '-f', 'values/staging.yaml']],
    ['template', ['template', 'shop', chart, '-f', 'values/staging.yaml']],
  ])('helm %s', (_, args) => {
    const r = runTool(bin, args);
    expect(r.status).toBe(0);
    expect(warnings(r)).toEqual([]);
  });

  it('helm dependency build (of a copy: the tests share charts/)', () => {
    const r = runTool(bin, ['dependency', 'build', path.join(cleanCheckout(), chart)]);
    expect(r.status).toBe(0);
    expect(warnings(r)).toEqual([]);
  });

  it('helm package', () => {
    const r = runTool(bin, ['package', chart, '--destination', scratch()]);
    expect(r.status).toBe(0);
    expect(warnings(r)).toEqual([]);
    expect(r.stdout).toMatch(/Successfully packaged chart/);
  });
});
