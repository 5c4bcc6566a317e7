// The shape of the pipeline in ci.yaml, deploy.yaml and rollback.yaml: every jest project runs
// in CI, every service image is built, scanned, pushed and deployed by digest, only after all
// checks passed, and production gets the digests staging got.
import fs from 'node:fs';
import path from 'node:path';
import { actionFiles, find, jobs, repoRoot, steps, workflowFiles, type GhFile, type Json } from './helpers';

const SERVICES = ['frontend', 'order-api', 'product-api'];
const workflows = workflowFiles();
const ci = find(workflows, '.github/workflows/ci.yaml');
const deploy = find(workflows, '.github/workflows/deploy.yaml');
const rollback = find(workflows, '.github/workflows/rollback.yaml');
const job = (w: GhFile, id: string) => {
  const j = (w.js.jobs as Record<string, Json>)[id];
  if (!j) throw new Error(`${w.rel} has no job ${id}`);
  return j;
};
const needs = (j: Json): string[] =>
  j.needs === undefined ? [] : ([] as string[]).concat(j.needs as string);

describe('tests in CI', () => {
  const suites = (((job(ci, 'test').strategy as Json).matrix as Json).suite as { projects: string }[]).map(
    (s) => s.projects.split(' '),
  );
  const matrixProjects = suites.flat();

  it('runs every jest project exactly once', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const config = require(path.join(repoRoot, 'jest.config.js')) as { projects: { displayName: string }[] };
    const existing = config.projects.map((p) => p.displayName);
    expect(existing).toContain('workflows');
    expect(existing.filter((p) => !matrixProjects.includes(p))).toEqual([]);
    expect(matrixProjects.length).toBe(new Set(matrixProjects).size);
  });

  it('names only projects that jest.config.js declares (a typo would select nothing)', () => {
    const source = fs.readFileSync(path.join(repoRoot, 'jest.config.js'), 'utf8');
    const declared = [...source.matchAll(/project\('([^']+)'/g)].map((m) => m[1]);
    expect(matrixProjects.filter((p) => !declared.includes(p))).toEqual([]);
  });

  it('gives the tests a PostgreSQL service container through TEST_DATABASE_URL', () => {
    const t = job(ci, 'test');
    expect(Object.keys(t.services as Json)).toEqual(['postgres']);
    expect((t.env as Json).TEST_DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
  });
});

describe('images', () => {
  const images = job(ci, 'images');

  it('builds one image per service, each from services/Dockerfile with SERVICE=<service>', () => {
    const matrix = ((images.strategy as Json).matrix as Json).service as string[];
    expect([...matrix].sort()).toEqual(SERVICES);
    const build = steps([find(actionFiles(), '.github/actions/build-image/action.yaml')]).filter((s) =>
      String(s.step.uses).startsWith('docker/build-push-action@'),
    );
    expect(build).toHaveLength(1);
    expect(build[0]!.step.with).toMatchObject({
      context: '.',
      file: 'services/Dockerfile',
      'build-args': 'SERVICE=${{ inputs.service }}',
    });
    expect(fs.existsSync(path.join(repoRoot, 'services/Dockerfile'))).toBe(true);
  });

  it('pushes only after every check passed, only on pushes to main or v* tags', () => {
    const checks = jobs(ci)
      .filter(([id]) => !['images', 'digests', 'staging', 'production'].includes(id))
      // A pull-request-only job is skipped on pushes; needing it would skip the images.
      .filter(([, j]) => !String(j.if ?? '').includes("github.event_name == 'pull_request'"))
      .map(([id]) => id);
    const closure = new Set<string>();
    const walk = (id: string) => {
      for (const n of needs(job(ci, id))) {
        if (closure.has(n)) continue;
        closure.add(n);
        walk(n);
      }
    };
    walk('images');
    expect(checks.filter((c) => !closure.has(c))).toEqual([]);
    expect(String(images.if)).toContain("github.event_name == 'push'");
    expect(String(images.if)).toContain("github.ref == 'refs/heads/main'");
    expect(String(images.if)).toContain("startsWith(github.ref, 'refs/tags/v')");
  });

  it('scans the image before the push and attaches SBOM and provenance to the push', () => {
    const s = steps([ci]).filter((x) => x.where.includes('jobs.images '));
    const scan = s.findIndex((x) => x.step.uses === './.github/actions/trivy');
    const push = s.findIndex((x) => (x.step.with as Json | undefined)?.push === 'true');
    expect(scan).toBeGreaterThan(-1);
    expect(push).toBeGreaterThan(scan);
    expect(s[push]!.step.with).toMatchObject({ attest: 'true' });
  });

  it('the kind job builds, scans and loads every service image', () => {
    const s = steps([ci]).filter((x) => x.where.includes('jobs.kind '));
    const built = s
      .filter((x) => x.step.uses === './.github/actions/build-image')
      .map((x) => (x.step.with as Json).service);
    const scanned = s.filter((x) => x.step.uses === './.github/actions/trivy').length;
    expect([...built].sort()).toEqual(SERVICES);
    expect(scanned).toBe(SERVICES.length);
  });

  it('the digests job expects exactly the services the matrix builds', () => {
    const collect = steps([ci]).find((x) => x.where.includes('jobs.digests ') && x.step.id === 'collect');
    expect(
      String((collect!.step.env as Json).SERVICES)
        .split(' ')
        .sort(),
    ).toEqual(SERVICES);
  });
});

describe('deploys', () => {
  it('staging then production, on main only, both with the digests job output', () => {
    for (const id of ['staging', 'production']) {
      const j = job(ci, id);
      expect(j.uses).toBe('./.github/workflows/deploy.yaml');
      expect(String(j.if)).toContain("github.ref == 'refs/heads/main'");
      expect(needs(j)).toContain('digests');
      expect((j.with as Json).digests).toBe('${{ needs.digests.outputs.digests }}');
    }
    expect((job(ci, 'staging').with as Json).environment).toBe('staging');
    expect((job(ci, 'production').with as Json).environment).toBe('production');
    expect(needs(job(ci, 'production'))).toContain('staging');
  });

  it('deploy.yaml runs in the GitHub Environment, with its kubeconfig secret, through npm run deploy', () => {
    const d = job(deploy, 'deploy');
    expect(d.environment).toBe('${{ inputs.environment }}');
    const s = steps([deploy]);
    const kube = s.find((x) => x.step.uses === './.github/actions/kubeconfig');
    expect((kube!.step.with as Json)['kubeconfig-base64']).toBe('${{ secrets.KUBE_CONFIG }}');
    const run = s.find((x) => String(x.step.run ?? '').includes('npm run deploy'));
    expect((run!.step.env as Json).DIGESTS).toBe('${{ inputs.digests }}');
    expect(String(run!.step.run)).toContain('.image.digest=');
  });

  it('rollback.yaml is manual and offers exactly the environments that have a values file', () => {
    const on = rollback.js.on as Json;
    expect(Object.keys(on)).toEqual(['workflow_dispatch']);
    const inputs = (on.workflow_dispatch as Json).inputs as Record<string, Json>;
    expect(Object.keys(inputs).sort()).toEqual(['environment', 'revision']);
    const options = inputs.environment!.options as string[];
    expect(options).toEqual(['staging', 'production']);
    for (const env of options) expect(fs.existsSync(path.join(repoRoot, 'values', `${env}.yaml`))).toBe(true);
    expect(job(rollback, 'rollback').environment).toBe('${{ inputs.environment }}');
  });
});
