// The umbrella installs from a clean checkout with no network and no `helm dependency build`:
// its dependencies are committed symlinks (charts/<chart>/charts/<dep> -> ../../<dep>) that Helm's
// loader follows. These tests use what git would check out (git archive of HEAD), a packaged
// archive, and a stray `helm dependency build`, each rendering every subchart exactly once.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mustRun, render, repoRoot, type K8sObject } from './helpers';

const SERVICES = ['frontend', 'product-api', 'order-api'];

function deploymentNames(objects: K8sObject[]): string[] {
  return objects
    .filter((o) => o.kind === 'Deployment')
    .map((o) => o.metadata.name)
    .sort();
}

function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tc-charts-'));
}

describe('umbrella dependencies without a dependency build', () => {
  it('commits each dependency as a symlink to its sibling chart', () => {
    const deps = ['common', 'frontend', 'product-api', 'order-api', 'monitoring'];
    for (const dep of deps) {
      const link = path.join(repoRoot, 'charts/techcommerce/charts', dep);
      expect(`${dep}: ${fs.lstatSync(link).isSymbolicLink()} ${fs.readlinkSync(link)}`).toBe(
        `${dep}: true ../../${dep}`,
      );
    }
  });

  it('renders every service from a clean checkout of HEAD (git archive) with the staging values', () => {
    const dir = scratch();
    const archive = execFileSync('git', ['archive', '--format=tar', 'HEAD', 'charts', 'values'], {
      cwd: repoRoot,
      maxBuffer: 64 * 1024 * 1024,
    });
    execFileSync('tar', ['-x', '-C', dir], { input: archive });
    const objects = render(path.join(dir, 'charts/techcommerce'), {
      values: [path.join(dir, 'values/staging.yaml')],
    });
    expect(deploymentNames(objects)).toEqual(SERVICES.map((s) => `techcommerce-${s}`).sort());
    expect(objects.some((o) => o.kind === 'PrometheusRule')).toBe(true);
  });

  it('packages into a self-contained archive that renders on its own', () => {
    const dir = scratch();
    mustRun('helm', ['package', 'charts/techcommerce', '--destination', dir]);
    const archive = path.join(dir, 'techcommerce-0.1.0.tgz');
    const listing = execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' });
    for (const s of SERVICES) expect(listing).toContain(`techcommerce/charts/${s}/Chart.yaml`);
    expect(listing).toContain('techcommerce/charts/product-api/charts/common/templates/_pod.tpl');
    expect(listing).not.toMatch(/\/tests\/.*_test\.yaml/);
    expect(deploymentNames(render(archive))).toEqual(SERVICES.map((s) => `techcommerce-${s}`).sort());
  });

  it('still renders each subchart once after a stray `helm dependency build` (archives are ignored)', () => {
    const dir = scratch();
    fs.cpSync(path.join(repoRoot, 'charts'), path.join(dir, 'charts'), {
      recursive: true,
      verbatimSymlinks: true,
    });
    mustRun('helm', ['dependency', 'build', path.join(dir, 'charts/techcommerce')]);
    const built = fs
      .readdirSync(path.join(dir, 'charts/techcommerce/charts'))
      .filter((f) => f.endsWith('.tgz'));
    expect(built.length).toBeGreaterThan(0);
    expect(deploymentNames(render(path.join(dir, 'charts/techcommerce')))).toEqual(
      SERVICES.map((s) => `techcommerce-${s}`).sort(),
    );
  });
});
