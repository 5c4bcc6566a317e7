// The parts of the pipeline that only GitHub can run (GHCR pushes, attestations, kind, ct
// install --upgrade against the base branch), checked here through the command lines and inputs
// they are given; and the changed-chart detection on a throwaway git repository.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chartsToTest, changedFiles, imageServices, readCharts } from '../../src/ci/charts';
import { ctInstallArgs, ctLintArgs, UNITTEST_COMMAND } from '../../src/ci/ct';
import { parseImages } from '../../src/ci/digests';
import { parseOutputs, setOutput } from '../../src/ci/github';
import { imageTags, verifyCommands } from '../../src/ci/images';
import { decodeKubeconfig } from '../../src/ci/kubeconfig';
import {
  checkOciRepository,
  checkReleaseVersion,
  pushedDigest,
  skopeoPush,
  skopeoTag,
} from '../../src/ci/publish';
import { parseDeployArgs, parseRollbackArgs } from '../../src/deploy/args';
import { actionFiles, find, repoRoot, steps, workflowFiles, type Json } from './helpers';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const D = `sha256:${'d'.repeat(64)}`;

describe('changed charts follow Chart.yaml dependencies (a temp git repository)', () => {
  let repo = '';
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
      cwd: repo,
      encoding: 'utf8',
    });
  const change = (file: string) => {
    fs.appendFileSync(path.join(repo, file), '# changed\n');
    git('commit', '-qam', `change ${file}`);
  };
  const picked = (base: string) => chartsToTest(readCharts(repo), changedFiles(repo, base)).map((c) => c.dir);

  beforeAll(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-changed-charts-'));
    // The repository's charts as they are: only Chart.yaml matters to the detection, plus a file each.
    for (const c of readCharts(repoRoot)) {
      fs.mkdirSync(path.join(repo, c.dir), { recursive: true });
      fs.copyFileSync(path.join(repoRoot, c.dir, 'Chart.yaml'), path.join(repo, c.dir, 'Chart.yaml'));
      fs.writeFileSync(path.join(repo, c.dir, 'values.yaml'), '{}\n');
    }
    fs.writeFileSync(path.join(repo, 'README.md'), 'x\n');
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-qm', 'base');
  });

  afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

  beforeEach(() => {
    git('checkout', '-q', 'main');
    git('checkout', '-q', '-B', 'pr');
  });

  it('reads the dependency graph from Chart.yaml (file:// repositories)', () => {
    const charts = readCharts(repo);
    const umbrella = charts.find((c) => c.dir === 'charts/techcommerce')!;
    expect(umbrella.dependsOn).toEqual(
      expect.arrayContaining(['charts/common', 'charts/frontend', 'charts/order-api', 'charts/product-api']),
    );
    // Every dependency resolves to a chart of the repository.
    const dirs = charts.map((c) => c.dir);
    expect(charts.flatMap((c) => c.dependsOn).filter((d) => !dirs.includes(d))).toEqual([]);
    expect(charts.find((c) => c.dir === 'charts/frontend')!.dependsOn).toEqual(['charts/common']);
  });

  it('a change to one service chart tests it and the umbrella', () => {
    change('charts/frontend/values.yaml');
    expect(picked('main')).toEqual(['charts/frontend', 'charts/techcommerce']);
  });

  it('a change to charts/common tests every chart that uses it, transitively', () => {
    change('charts/common/values.yaml');
    expect(picked('main')).toEqual(readCharts(repo).map((c) => c.dir));
  });

  it('a change outside the charts tests none; a change to ct.yaml tests all', () => {
    change('README.md');
    expect(picked('main')).toEqual([]);
    fs.writeFileSync(path.join(repo, 'charts/ct.yaml'), 'chart-dirs: [charts]\n');
    git('add', '.');
    git('commit', '-qm', 'ct');
    expect(picked('main')).toHaveLength(readCharts(repo).length);
  });

  it('compares with the merge base: a newer main does not count as the pull request changing it', () => {
    change('charts/order-api/values.yaml');
    git('checkout', '-q', 'main');
    change('charts/product-api/values.yaml');
    git('checkout', '-q', 'pr');
    expect(picked('main')).toEqual(['charts/order-api', 'charts/techcommerce']);
  });
});

describe('chart-testing command lines (the same locally and on GitHub)', () => {
  it('ct lint uses charts/ct.yaml, the toolchain etc files and helm unittest per chart', () => {
    const args = ctLintArgs({ charts: ['charts/techcommerce'] }, '/etc-dir');
    expect(args).toEqual([
      'lint',
      '--config',
      'charts/ct.yaml',
      '--charts',
      'charts/techcommerce',
      '--chart-yaml-schema',
      '/etc-dir/chart_schema.yaml',
      '--lint-conf',
      '/etc-dir/lintconf.yaml',
      '--additional-commands',
      UNITTEST_COMMAND,
    ]);
    expect(UNITTEST_COMMAND).toMatch(/--with-subchart=false \{\{ \.Path \}\}$/);
  });

  it('ct install leaves the library chart out and upgrades from the base branch when given', () => {
    expect(
      ctInstallArgs({ charts: ['charts/common', 'charts/frontend'] }, ['common'], { upgradeFrom: 'main' }),
    ).toEqual([
      'install',
      '--config',
      'charts/ct.yaml',
      '--charts',
      'charts/frontend',
      '--excluded-charts',
      'common',
      '--upgrade',
      '--target-branch',
      'main',
      '--helm-extra-args',
      '--timeout 600s',
    ]);
    expect(ctInstallArgs({ all: true }, ['common'])).not.toContain('--upgrade');
  });
});

describe('publishing (GitHub only: GHCR, skopeo, attestations)', () => {
  it('image tags: sha-<commit> and main on main; X.Y.Z and X.Y on a release tag; nothing elsewhere', () => {
    expect(imageTags('refs/heads/main', SHA)).toEqual([`sha-${SHA}`, 'main']);
    expect(imageTags('refs/tags/v1.4.2', SHA)).toEqual([`sha-${SHA}`, '1.4.2', '1.4']);
    expect(() => imageTags('refs/pull/3/merge', SHA)).toThrow(/main and vX\.Y\.Z tags only/);
    expect(() => imageTags('refs/heads/main', '')).toThrow(/not a commit SHA/);
  });

  it('skopeo pushes the scanned archive as it is, then tags the pushed digest registry to registry', () => {
    expect(skopeoPush('/t/frontend.tar', 'ghcr.io/o/frontend', `sha-${SHA}`, '/t/d')).toEqual([
      'copy',
      '--digestfile',
      '/t/d',
      'docker-archive:/t/frontend.tar',
      `docker://ghcr.io/o/frontend:sha-${SHA}`,
    ]);
    expect(skopeoTag('ghcr.io/o/frontend', D, 'main')).toEqual([
      'copy',
      '--preserve-digests',
      `docker://ghcr.io/o/frontend@${D}`,
      'docker://ghcr.io/o/frontend:main',
    ]);
    expect(() => skopeoPush('/t/x.tar', 'ghcr.io/O/frontend:tag', 'main', '/t/d')).toThrow(
      /not an image repository/,
    );
  });

  it('the publish-image action is given the archive the images job scanned and a repository without tag', () => {
    const ci = find(workflowFiles(), '.github/workflows/ci.yaml');
    const pub = steps([ci]).find((s) => s.step.uses === './.github/actions/publish-image')!;
    expect(pub.step.with).toEqual({
      archive: '${{ runner.temp }}/images/${{ matrix.service }}.tar',
      image: '${{ env.IMAGE_PREFIX }}/${{ matrix.service }}',
    });
    const kind = steps([ci]).find((s) => s.step.uses === './.github/actions/kind-cluster')!;
    const archives = String((kind.step.with as Json).archives);
    for (const s of imageServices(repoRoot)) expect(archives).toContain(`/images/${s}.tar`);
    const inputs = (find(actionFiles(), '.github/actions/publish-image/action.yaml').js.inputs ?? {}) as Json;
    expect(Object.keys(inputs).sort()).toEqual(['archive', 'image']);
  });

  it('the chart is published from a release tag whose version is the chart version', () => {
    const meta = { name: 'techcommerce', version: '1.2.0' };
    expect(() => checkReleaseVersion('refs/tags/v1.2.0', meta)).not.toThrow();
    expect(() => checkReleaseVersion('refs/tags/v1.3.0', meta)).toThrow(
      /does not match techcommerce's Chart\.yaml version 1\.2\.0/,
    );
    expect(() => checkReleaseVersion('refs/heads/main', meta)).toThrow(/release tags/);
    expect(checkOciRepository('oci://ghcr.io/techcommerce/charts')).toBe('oci://ghcr.io/techcommerce/charts');
    expect(() => checkOciRepository('ghcr.io/techcommerce/charts')).toThrow(/not an OCI repository/);
    expect(pushedDigest(`Pushed: ghcr.io/x/techcommerce:1.2.0\nDigest: ${D}\n`)).toBe(D);
    expect(() => pushedDigest('Pushed: x\n')).toThrow(/no digest/);
  });

  it('deploys verify provenance and SBOM, signed by this repository ci.yaml, by digest', () => {
    const [prov, sbom] = verifyCommands('ghcr.io/o/frontend', D, 'o/shop');
    expect(prov).toEqual([
      'attestation',
      'verify',
      `oci://ghcr.io/o/frontend@${D}`,
      '--repo',
      'o/shop',
      '--signer-workflow',
      'o/shop/.github/workflows/ci.yaml',
    ]);
    expect(sbom).toEqual([...prov!, '--predicate-type', 'https://cyclonedx.org/bom']);
    expect(() => verifyCommands('ghcr.io/o/frontend', 'latest', 'o/shop')).toThrow(/not an image digest/);
  });
});

describe('deploy arguments', () => {
  const images = {
    frontend: `ghcr.io/o/frontend@${D}`,
    'order-api': `ghcr.io/o/order-api@${D}`,
    'product-api': `ghcr.io/o/product-api@${D}`,
  };

  it('--images sets each service repository and digest', () => {
    const a = parseDeployArgs(['staging', '--images', JSON.stringify(images)]);
    expect(a.set).toEqual([
      'frontend.image.repository=ghcr.io/o/frontend',
      `frontend.image.digest=${D}`,
      'order-api.image.repository=ghcr.io/o/order-api',
      `order-api.image.digest=${D}`,
      'product-api.image.repository=ghcr.io/o/product-api',
      `product-api.image.digest=${D}`,
    ]);
    expect(a.createNamespace).toBe(false);
    expect(parseDeployArgs(['staging', '--create-namespace']).createNamespace).toBe(true);
  });

  it('a missing service, a tag or an unknown service is refused: nothing is deployed by tag', () => {
    const { frontend: _dropped, ...two } = images;
    expect(() => parseDeployArgs(['staging', '--images', JSON.stringify(two)])).toThrow(
      /no image for frontend/,
    );
    expect(() =>
      parseImages(
        JSON.stringify({ ...images, frontend: 'ghcr.io/o/frontend:main' }),
        imageServices(repoRoot),
      ),
    ).toThrow(/not repository@sha256/);
    expect(() =>
      parseImages(JSON.stringify({ ...images, cart: images.frontend }), imageServices(repoRoot)),
    ).toThrow(/unknown service "cart"/);
    expect(() => parseDeployArgs(['staging', '--images', ''])).toThrow(/--images needs a value/);
  });

  it('rollback takes the revision as a flag; empty (the workflow input left blank) means the last good one', () => {
    expect(parseRollbackArgs(['staging', '--revision', '']).revision).toBeUndefined();
    expect(parseRollbackArgs(['staging', '--revision', '7']).revision).toBe(7);
    expect(parseRollbackArgs(['staging', '7']).revision).toBe(7);
    expect(() => parseRollbackArgs(['staging', '7', '--revision', '8'])).toThrow(/once/);
    expect(() => parseRollbackArgs(['staging', '--revision', 'x'])).toThrow(/positive integer/);
  });
});

describe('GITHUB_OUTPUT and the kubeconfig secret', () => {
  it('a multi-line output uses a delimiter the value cannot contain', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tc-out-')), 'out');
    fs.writeFileSync(file, '');
    setOutput('one', 'a=b', { GITHUB_OUTPUT: file });
    setOutput('two', 'x\nEOF\ny', { GITHUB_OUTPUT: file });
    expect(parseOutputs(fs.readFileSync(file, 'utf8'))).toEqual({ one: 'a=b', two: 'x\nEOF\ny' });
    expect(() => setOutput('no spaces', 'x', { GITHUB_OUTPUT: file })).toThrow(/not an output name/);
  });

  it('decodeKubeconfig accepts base64 with line breaks and refuses what is not a kubeconfig', () => {
    const text = 'apiVersion: v1\nkind: Config\n';
    const wrapped = Buffer.from(text)
      .toString('base64')
      .replace(/(.{8})/g, '$1\n');
    expect(decodeKubeconfig(wrapped)).toBe(text);
    expect(() => decodeKubeconfig('not base64!')).toThrow(/not base64/);
    expect(() => decodeKubeconfig(undefined)).toThrow(/empty or missing/);
  });
});
