// The shape of the pipeline in ci.yaml, deploy.yaml and rollback.yaml: every jest project runs
// in CI; each service image is built once, and the archive Trivy scanned is what kind runs and
// what is pushed (no second build); pushes happen only after every check passed and are attested;
// deploys verify the attestations, get the environment's secrets and use the images by digest.
import fs from 'node:fs';
import path from 'node:path';
import { imageServices } from '../../src/ci/charts';
import { TEST_GROUPS } from '../../src/ci/test-groups';
import { actionFiles, find, jobs, repoRoot, steps, workflowFiles, type GhFile, type Json } from './helpers';

const SERVICES = imageServices(repoRoot);
const workflows = workflowFiles();
const actions = actionFiles();
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
const jobSteps = (id: string) => steps([ci]).filter((x) => x.where.includes(` jobs.${id} `));
const matrixOf = (id: string, key: string) =>
  ((job(ci, id).strategy as Json).matrix as Json)[key] as string[];

describe('tests in CI', () => {
  it('the image services are the ones with a chart', () => {
    expect(SERVICES).toEqual(['frontend', 'order-api', 'product-api']);
  });

  it('runs every jest project exactly once, by the groups of scripts/src/ci/test-groups.ts', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const config = require(path.join(repoRoot, 'jest.config.js')) as { projects: { displayName: string }[] };
    const existing = config.projects.map((p) => p.displayName);
    const grouped = Object.values(TEST_GROUPS).flat();
    expect(existing).toContain('workflows');
    expect(existing.filter((p) => !grouped.includes(p))).toEqual([]);
    expect(grouped.length).toBe(new Set(grouped).size);
    expect([...matrixOf('test', 'group')].sort()).toEqual(Object.keys(TEST_GROUPS).sort());
  });

  it('names only projects that jest.config.js declares (a typo would select nothing)', () => {
    const source = fs.readFileSync(path.join(repoRoot, 'jest.config.js'), 'utf8');
    const declared = [...source.matchAll(/project\('([^']+)'/g)].map((m) => m[1]);
    expect(
      Object.values(TEST_GROUPS)
        .flat()
        .filter((p) => !declared.includes(p)),
    ).toEqual([]);
  });

  it('gives the tests a PostgreSQL service container through TEST_DATABASE_URL', () => {
    const t = job(ci, 'test');
    expect(Object.keys(t.services as Json)).toEqual(['postgres']);
    expect((t.env as Json).TEST_DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
  });
});

describe('images: built once, scanned, and the scanned bytes shipped', () => {
  it('builds one archive per service from services/Dockerfile with SERVICE=<service>', () => {
    expect([...matrixOf('images', 'service')].sort()).toEqual(SERVICES);
    const build = steps([find(actions, '.github/actions/build-image/action.yaml')]).filter((s) =>
      String(s.step.uses).startsWith('docker/build-push-action@'),
    );
    expect(build).toHaveLength(1);
    expect(build[0]!.step.with).toMatchObject({
      context: '.',
      file: 'services/Dockerfile',
      'build-args': 'SERVICE=${{ inputs.service }}',
      outputs: 'type=docker,dest=${{ inputs.archive }}',
    });
    expect((build[0]!.step.with as Json).push).toBeUndefined();
    expect(fs.existsSync(path.join(repoRoot, 'services/Dockerfile'))).toBe(true);
  });

  it('scans the archive it built and uploads that same file', () => {
    const s = jobSteps('images');
    const built = s.find((x) => x.step.uses === './.github/actions/build-image')!;
    const scan = s.find((x) => x.step.uses === './.github/actions/trivy')!;
    const upload = s.find((x) => String(x.step.uses).startsWith('actions/upload-artifact@'))!;
    const archive = (built.step.with as Json).archive;
    expect((scan.step.with as Json).target).toBe(archive);
    expect((upload.step.with as Json).path).toBe(archive);
    expect(s.indexOf(scan)).toBeGreaterThan(s.indexOf(built));
    expect(s.indexOf(upload)).toBeGreaterThan(s.indexOf(scan));
  });

  it('only the images job builds: kind and publish use its artifact', () => {
    const builders = jobs(ci)
      .filter(([id]) => jobSteps(id).some((x) => x.step.uses === './.github/actions/build-image'))
      .map(([id]) => id);
    expect(builders).toEqual(['images']);
    for (const id of ['kind', 'publish']) {
      expect(needs(job(ci, id))).toContain('images');
      const dl = jobSteps(id).find((x) => String(x.step.uses).startsWith('actions/download-artifact@'));
      expect(JSON.stringify(dl?.step.with)).toMatch(/image-/);
    }
  });

  it('publishes only after every check passed, only on pushes to main or v* tags', () => {
    const checks = jobs(ci)
      .filter(([id]) => !['publish', 'digests', 'chart', 'staging', 'production'].includes(id))
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
    walk('publish');
    expect(checks.filter((c) => !closure.has(c))).toEqual([]);
    const cond = String(job(ci, 'publish').if);
    expect(cond).toContain("github.event_name == 'push'");
    expect(cond).toContain("github.ref == 'refs/heads/main'");
    expect(cond).toContain("startsWith(github.ref, 'refs/tags/v')");
  });

  it('pushes the downloaded archive and attests provenance and SBOM by the pushed digest', () => {
    const s = jobSteps('publish');
    const dl = s.find((x) => String(x.step.uses).startsWith('actions/download-artifact@'))!;
    const pub = s.find((x) => x.step.uses === './.github/actions/publish-image')!;
    expect(String((pub.step.with as Json).archive)).toContain(String((dl.step.with as Json).path));
    const action = steps([find(actions, '.github/actions/publish-image/action.yaml')]);
    const attests = action.filter((x) => String(x.step.uses).startsWith('actions/attest@'));
    expect(attests.map((a) => (a.step.with as Json)['subject-digest'])).toEqual([
      '${{ steps.push.outputs.digest }}',
      '${{ steps.push.outputs.digest }}',
    ]);
    expect(attests.map((a) => Boolean((a.step.with as Json)['sbom-path']))).toEqual([false, true]);
    expect(action.find((x) => x.step.id === 'push')?.step.run).toMatch(/^npm run pipeline -- push-image /);
  });

  it('the publish job may sign keyless: id-token and attestations, with packages', () => {
    expect(job(ci, 'publish').permissions).toMatchObject({
      packages: 'write',
      'id-token': 'write',
      attestations: 'write',
    });
  });
});

describe('chart', () => {
  it('is published on v* tags only, after the images, and attested', () => {
    const c = job(ci, 'chart');
    expect(String(c.if)).toContain("startsWith(github.ref, 'refs/tags/v')");
    expect(needs(c)).toContain('publish');
    const action = steps([find(actions, '.github/actions/publish-chart/action.yaml')]);
    expect(action[0]!.step.run).toMatch(/^npm run pipeline -- chart-publish --ref "\$GITHUB_REF"/);
    expect(action.some((x) => String(x.step.uses).startsWith('actions/attest@'))).toBe(true);
  });

  it('ct install runs on the charts the lint job picked, with --upgrade from the base branch', () => {
    const install = jobSteps('kind').find((x) => String(x.step.run ?? '').includes('chart-install'))!;
    expect((install.step.env as Json).CHARTS).toBe('${{ needs.chart-lint.outputs.install }}');
    expect(String(install.step.run)).toContain('--upgrade-from "$BASE_BRANCH"');
  });
});

describe('deploys', () => {
  it('staging then production, on main only, both with the digests job output', () => {
    for (const id of ['staging', 'production']) {
      const j = job(ci, id);
      expect(j.uses).toBe('./.github/workflows/deploy.yaml');
      expect(String(j.if)).toContain("github.ref == 'refs/heads/main'");
      expect(needs(j)).toContain('digests');
      expect((j.with as Json).images).toBe('${{ needs.digests.outputs.images }}');
    }
    expect((job(ci, 'staging').with as Json).environment).toBe('staging');
    expect((job(ci, 'production').with as Json).environment).toBe('production');
    expect(needs(job(ci, 'production'))).toContain('staging');
  });

  it('every call of a reusable workflow that reads secrets passes them on (secrets: inherit)', () => {
    // Without it the environment's KUBE_CONFIG arrives empty in deploy.yaml.
    const calls = workflows.flatMap((w) =>
      jobs(w)
        .filter(([, j]) => typeof j.uses === 'string' && String(j.uses).startsWith('./'))
        .map(([id, j]) => ({ id, j, callee: find(workflows, String(j.uses).slice(2)) })),
    );
    expect(calls.map((c) => c.id).sort()).toEqual(['production', 'staging']);
    for (const { id, j, callee } of calls) {
      const text = fs.readFileSync(path.join(repoRoot, callee.rel), 'utf8');
      const used = [...text.matchAll(/secrets\.([A-Z_]+)/g)]
        .map((m) => m[1])
        .filter((s) => s !== 'GITHUB_TOKEN');
      expect(used.length).toBeGreaterThan(0);
      expect({ id, secrets: j.secrets }).toEqual({ id, secrets: 'inherit' });
    }
  });

  it('deploy.yaml verifies the attestations before the kubeconfig exists, then deploys by digest', () => {
    const d = job(deploy, 'deploy');
    expect(d.environment).toBe('${{ inputs.environment }}');
    const s = steps([deploy]);
    const verify = s.findIndex((x) => String(x.step.run ?? '').includes('verify-images'));
    const kube = s.findIndex((x) => x.step.uses === './.github/actions/kubeconfig');
    const run = s.findIndex((x) => String(x.step.run ?? '').includes('npm run deploy'));
    expect(verify).toBeGreaterThan(-1);
    expect(kube).toBeGreaterThan(verify);
    expect(run).toBeGreaterThan(kube);
    expect((s[kube]!.step.with as Json)['kubeconfig-base64']).toBe('${{ secrets.KUBE_CONFIG }}');
    expect((s[run]!.step.env as Json).IMAGES).toBe('${{ inputs.images }}');
    expect(String(s[run]!.step.run)).toContain('--images "$IMAGES"');
    expect(String(s[run]!.step.run)).not.toContain('--create-namespace');
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

describe('concurrency', () => {
  it('pushes run in a group of their own; pull requests cancel their older run', () => {
    const c = ci.js.concurrency as Json;
    expect(c.group).toBe("ci-${{ github.event_name == 'pull_request' && github.ref || github.run_id }}");
  });
});
