// An upgrade from the previous chart version (kube-prometheus-stack's pattern: install the last
// released chart, upgrade to the one under test). "Previous" is the chart as committed at the
// newest commit that changed charts/ before the working tree's version (a clean tree: the
// commit before the last chart change; uncommitted chart changes: HEAD's). Override it with
// RELEASE_TEST_PREVIOUS_REF (a tag or commit) once releases are tagged.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureChartDependencies } from '../../src/charts/dependencies';
import { expectReleaseMatchesValues } from './expectations';
import { install, prepareEnvironment, valuesFile } from './environment';
import { deleteNamespace, history, mustHelm, repoRoot, restrictedNamespace } from './helpers';

const NS = 'release-previous';
const RELEASE = 'techcommerce';

function git(args: string[]): string {
  return execFileSync('git', ['-C', repoRoot, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

function previousChartRef(): string {
  const override = process.env.RELEASE_TEST_PREVIOUS_REF;
  if (override) return git(['rev-parse', '--verify', `${override}^{commit}`]).trim();
  const commits = git(['log', '--format=%H', '-n', '2', '--', 'charts']).trim().split('\n').filter(Boolean);
  const dirty = git(['status', '--porcelain', '--', 'charts']).trim() !== '';
  const ref = dirty ? commits[0] : commits[1];
  if (!ref)
    throw new Error(
      'no earlier commit changed charts/: nothing to upgrade from (set RELEASE_TEST_PREVIOUS_REF)',
    );
  return ref;
}

/** charts/ and values/ as they were at `ref`, the charts' file:// dependencies built. */
function extract(ref: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-previous-chart-'));
  const tar = path.join(dir, 'previous.tar');
  execFileSync('git', ['-C', repoRoot, 'archive', '--format=tar', '-o', tar, ref, 'charts', 'values']);
  execFileSync('tar', ['-xf', tar, '-C', dir]);
  fs.rmSync(tar);
  ensureChartDependencies(path.join(dir, 'charts', 'techcommerce'));
  return dir;
}

describe('upgrade from the previous chart version (kwok: simulated nodes, no containers)', () => {
  const ref = previousChartRef();
  let previous = '';

  beforeAll(async () => {
    previous = extract(ref);
    await restrictedNamespace(NS);
    await prepareEnvironment(NS, valuesFile('staging'));
  }, 120_000);

  afterAll(async () => {
    if (previous) fs.rmSync(previous, { recursive: true, force: true });
    await deleteNamespace(NS);
  }, 150_000);

  it(`installs the chart of ${ref.slice(0, 12)} with its own values/staging.yaml, then upgrades to the working tree with --atomic`, async () => {
    const oldValues = path.join(previous, 'values', 'staging.yaml');
    await install(RELEASE, NS, {
      chart: path.join(previous, 'charts', 'techcommerce'),
      values: fs.existsSync(oldValues) ? [oldValues] : [],
    });
    await install(RELEASE, NS, { values: [valuesFile('staging')] });
    const h = await history('helm', RELEASE, NS);
    expect(h.map((r) => [r.revision, r.status])).toEqual([
      [1, 'superseded'],
      [2, 'deployed'],
    ]);
    await expectReleaseMatchesValues('helm', RELEASE, NS);
    const out = await mustHelm('helm', ['test', RELEASE, '-n', NS, '--timeout', '2m']);
    expect(out).toMatch(/Phase:\s+Succeeded/);
  }, 420_000);
});
