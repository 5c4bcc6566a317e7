// The workflows' own run: steps, run here as the runner runs them (run-step.ts): the same npm
// scripts with the same flags, temporary GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_ENV /
// GITHUB_PATH files, and checks of what each wrote. What needs GitHub (GHCR, kind, Docker,
// attestations) is in named composite actions; their command lines are checked in
// pipeline-units.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { readCharts } from '../../src/ci/charts';
import { binDir } from '../../src/tools/paths';
import { actionFiles, find, repoRoot, workflowFiles } from './helpers';
import { findStep, runStep, scratchDir } from './run-step';

const workflows = workflowFiles();
const actions = actionFiles();
const ci = find(workflows, '.github/workflows/ci.yaml');
const deploy = find(workflows, '.github/workflows/deploy.yaml');
const DIGEST = (c: string) => `sha256:${c.repeat(64)}`;
const PREFIX = { IMAGE_PREFIX: 'ghcr.io/techcommerce' };

afterAll(() => {
  fs.rmSync(path.join(__dirname, '../../../.reports/workflow-steps'), { recursive: true, force: true });
});

describe('image digests: publish → digests job → deploy (ci.yaml)', () => {
  it('each publish leg records its digest and the digests job assembles exact JSON and a summary', () => {
    const cwd = scratchDir('digests');
    const record = findStep(ci, 'Record the digest', 'publish');
    const digests: Record<string, string> = { frontend: 'a', 'order-api': 'b', 'product-api': 'c' };
    for (const [service, c] of Object.entries(digests)) {
      const r = runStep(record, {
        cwd,
        env: PREFIX,
        expressions: { 'matrix.service': service, 'steps.publish.outputs.digest': DIGEST(c) },
      });
      expect({ service, status: r.status, out: r.status ? r.out : '' }).toEqual({
        service,
        status: 0,
        out: '',
      });
    }
    const collect = runStep(findStep(ci, 'collect', 'digests'), { cwd });
    expect({ status: collect.status, out: collect.status ? collect.out : '' }).toEqual({
      status: 0,
      out: '',
    });
    // The old step (printf '%s' + jq -R) glued lines; this must be exactly one JSON object.
    expect(JSON.parse(collect.outputs.images as string)).toEqual({
      frontend: `ghcr.io/techcommerce/frontend@${DIGEST('a')}`,
      'order-api': `ghcr.io/techcommerce/order-api@${DIGEST('b')}`,
      'product-api': `ghcr.io/techcommerce/product-api@${DIGEST('c')}`,
    });
    expect(collect.summary).toContain(`| order-api | \`ghcr.io/techcommerce/order-api@${DIGEST('b')}\` |`);
  }, 60_000);

  it('a missing or malformed digest fails the digests job with a message naming it', () => {
    const cwd = scratchDir('digests-bad');
    fs.mkdirSync(path.join(cwd, 'digests'));
    fs.writeFileSync(
      path.join(cwd, 'digests', 'frontend.json'),
      JSON.stringify({ service: 'frontend', image: 'ghcr.io/techcommerce/frontend', digest: 'sha256:abc' }),
    );
    const r = runStep(findStep(ci, 'collect', 'digests'), { cwd });
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/frontend\.json: digest "sha256:abc" is not sha256:<64 hex>/);
    expect(r.out).toMatch(/missing: frontend, order-api, product-api/);
    expect(r.outputs.images).toBeUndefined();
  }, 60_000);

  it('the record step refuses an empty digest (a push that printed none)', () => {
    const r = runStep(findStep(ci, 'Record the digest', 'publish'), {
      cwd: scratchDir('digests-empty'),
      env: PREFIX,
      expressions: { 'matrix.service': 'frontend', 'steps.publish.outputs.digest': '' },
    });
    expect(r.status).not.toBe(0);
  }, 60_000);
});

describe('charts (ci.yaml chart-lint job)', () => {
  it('changed-charts without a base branch (a push) picks every chart, libraries for lint only', () => {
    const r = runStep(findStep(ci, 'charts', 'chart-lint'), { expressions: { 'github.base_ref': '' } });
    expect(r.status).toBe(0);
    const charts = readCharts(repoRoot);
    expect(r.outputs).toEqual({
      lint: charts.map((c) => c.dir).join(','),
      install: charts
        .filter((c) => c.type === 'application')
        .map((c) => c.dir)
        .join(','),
      any: 'true',
    });
    expect(r.outputs.lint).toContain('charts/techcommerce');
    expect(r.outputs.install).not.toContain('charts/common');
    expect(r.summary).toMatch(/`charts\/common` \(lint only: library\)/);
  }, 60_000);

  it('ct lint with helm unittest passes for the umbrella (each chart runs only its own suites)', () => {
    // Before the fix helm-unittest also ran the subcharts' suites with the umbrella's values and
    // three of them failed (they expect http://product-api:5000).
    const r = runStep(findStep(ci, 'ct lint + helm unittest', 'chart-lint'), {
      expressions: { 'steps.charts.outputs.lint': 'charts/techcommerce' },
      timeoutMs: 300_000,
    });
    if (r.status !== 0) throw new Error(r.out.split('\n').slice(-60).join('\n'));
    expect(r.out).toMatch(/--with-subchart=false/);
    expect(r.out).toMatch(/Test Suites:\s+\d+ passed/);
    expect(r.out).toMatch(/All charts linted successfully/);
  }, 300_000);
});

describe('the setup action and the images job', () => {
  it('npm run tools for the listed tools puts the toolchain bin folder on GITHUB_PATH', () => {
    const setup = find(actions, '.github/actions/setup/action.yaml');
    const r = runStep(findStep(setup, 'npm run tools'), {
      expressions: { 'inputs.tools': 'helm' },
      timeoutMs: 600_000,
    });
    expect({ status: r.status, out: r.status ? r.out : '' }).toEqual({ status: 0, out: '' });
    expect(r.githubPath).toBe(`${binDir()}\n`);
  }, 600_000);

  it('image-ref names the image each service chart defaults to', () => {
    const r = runStep(findStep(ci, 'ref', 'images'), {
      env: PREFIX,
      expressions: { 'matrix.service': 'product-api' },
    });
    expect(r.status).toBe(0);
    expect(r.outputs.ref).toMatch(/^ghcr\.io\/techcommerce\/product-api:\d+\.\d+\.\d+$/);
  }, 60_000);

  it('the test matrix step refuses a group that does not exist', () => {
    const r = runStep(findStep(ci, "npm test (the group's jest projects)", 'test'), {
      expressions: { 'matrix.group': 'nope' },
    });
    expect(r.status).toBe(1);
    expect(r.out).toMatch(
      /unknown test group "nope" \(groups: services, tooling, charts, release-and-browser\)/,
    );
  }, 60_000);
});

describe('the secret scan (ci.yaml secret-scan job)', () => {
  it('gitleaks finds nothing in the git history but the reviewed entries', () => {
    const r = runStep(findStep(ci, 'gitleaks', 'secret-scan'), { timeoutMs: 300_000 });
    if (r.status !== 0) throw new Error(r.out);
    expect(r.out).toMatch(/no leaks found/);
  }, 300_000);
});

describe('the deploy kubeconfig (deploy.yaml and the kubeconfig action)', () => {
  const action = find(actions, '.github/actions/kubeconfig/action.yaml');
  const kubeconfig = 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n';

  it('writes the decoded secret to RUNNER_TEMP (mode 600), exports KUBECONFIG and prints nothing of it', () => {
    const b64 = Buffer.from(kubeconfig).toString('base64');
    const r = runStep(findStep(action, 'Write KUBECONFIG'), {
      expressions: { 'inputs.kubeconfig-base64': b64 },
    });
    expect(r.status).toBe(0);
    const file = path.join(r.runnerTemp, 'kubeconfig');
    expect(fs.readFileSync(file, 'utf8')).toBe(kubeconfig);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(r.githubEnv).toBe(`KUBECONFIG=${file}\n`);
    expect(r.out).not.toContain(b64);
    expect(r.out).not.toContain('kind: Config');
  }, 60_000);

  it('an empty secret (not passed on, or unset) and a non-kubeconfig fail with the fix', () => {
    const empty = runStep(findStep(action, 'Write KUBECONFIG'), {
      expressions: { 'inputs.kubeconfig-base64': '' },
    });
    expect(empty.status).toBe(1);
    expect(empty.out).toMatch(/::error::the KUBE_CONFIG secret is empty or missing/);
    const other = runStep(findStep(action, 'Write KUBECONFIG'), {
      expressions: { 'inputs.kubeconfig-base64': Buffer.from('hello: world\n').toString('base64') },
    });
    expect(other.status).toBe(1);
    expect(other.out).toMatch(/not a kubeconfig/);
    expect(other.githubEnv).toBe('');
  }, 60_000);

  it('the last step removes it', () => {
    const b64 = Buffer.from(kubeconfig).toString('base64');
    const written = runStep(findStep(action, 'Write KUBECONFIG'), {
      expressions: { 'inputs.kubeconfig-base64': b64 },
    });
    const file = path.join(written.runnerTemp, 'kubeconfig');
    expect(fs.existsSync(file)).toBe(true);
    const r = runStep(findStep(deploy, 'Remove the kubeconfig'), {
      env: { RUNNER_TEMP: written.runnerTemp },
    });
    expect(r.status).toBe(0);
    expect(fs.existsSync(file)).toBe(false);
  }, 60_000);
});
