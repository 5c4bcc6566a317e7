// `npm run deploy` and `npm run rollback` as the workflows call them, against the local cluster:
// invalid values never reach the cluster; a deploy shows the server-side diff, installs, tests
// and summarizes (also as Markdown in $GITHUB_STEP_SUMMARY); a failed rollout and a failed
// `helm test` both end on the last good revision; rollback goes to a chosen or the last good
// revision. Nodes are simulated by kwok; a failing rollout uses the never-ready annotation and a
// failing `helm test` a ResourceQuota that leaves no room for the test pod.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCommand, type CommandResult } from '../../src/cluster/command';
import {
  clusterEnv,
  deleteNamespace,
  history,
  kubectl,
  NEVER_READY,
  repoRoot,
  restrictedNamespace,
  type HelmBin,
} from './helpers';

const LOCAL = 'values/local-cluster.yaml';
let tmp = '';

function npm(
  script: 'deploy' | 'rollback',
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CommandResult> {
  return runCommand('npm', ['run', '--silent', script, '--', ...args], {
    cwd: repoRoot,
    env: clusterEnv(env),
    timeoutMs: 600_000,
  });
}

function writeTmp(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

const out = (r: CommandResult) => `${r.stdout}${r.stderr}`;

async function revisions(bin: HelmBin, ns: string) {
  return (await history(bin, 'techcommerce', ns)).map((h) => [h.revision, h.status, h.description]);
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-deploy-test-'));
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('npm run deploy: command line', () => {
  it('an unknown environment exits 2 and lists the environments', async () => {
    const r = await npm('deploy', ['nowhere']);
    expect(r.status).toBe(2);
    expect(out(r)).toMatch(/unknown environment "nowhere".*environments: .*staging/);
  }, 60_000);

  it('a bad --timeout exits 2 naming the expected format', async () => {
    const r = await npm('deploy', ['staging', '--timeout', 'soon']);
    expect(r.status).toBe(2);
    expect(out(r)).toMatch(/--timeout must be a duration such as 10m/);
  }, 60_000);
});

describe('npm run deploy / rollback with helm v3 (kwok: simulated nodes, no containers)', () => {
  const ns = 'release-deploy';
  const summaryFile = () => path.join(tmp, 'step-summary.md');

  beforeAll(async () => {
    await deleteNamespace(ns);
  }, 150_000);

  afterAll(async () => {
    await deleteNamespace(ns);
  }, 150_000);

  it('invalid values are reported by the values toolkit and nothing reaches the cluster', async () => {
    const bad = writeTmp('bad.yaml', 'frontend:\n  replicaCount: three\n');
    const r = await npm('deploy', [LOCAL, '-f', bad, '--namespace', ns]);
    expect(r.status).toBe(1);
    expect(out(r)).toMatch(/frontend\.replicaCount/);
    expect(out(r)).toMatch(/nothing was sent to the cluster/);
    const get = await kubectl().run(['get', 'namespace', ns]);
    expect(get.status).not.toBe(0);
  }, 120_000);

  it('a first deploy shows what will be created, installs, passes helm test and writes the summary', async () => {
    await restrictedNamespace(ns);
    const r = await npm('deploy', [LOCAL, '--namespace', ns, '--timeout', '3m'], {
      GITHUB_STEP_SUMMARY: summaryFile(),
    });
    expect({ status: r.status, tail: out(r).slice(-1500) }).toMatchObject({ status: 0 });
    expect(r.stdout).toMatch(/== server-side diff/);
    expect(r.stdout).toMatch(/--atomic/);
    expect(r.stdout).toMatch(/deploy .*local-cluster.*: deployed, helm test passed/);
    expect(r.stdout).toMatch(/techcommerce-frontend\s+1\/1 ready\s+ghcr\.io\/techcommerce\/frontend:/);
    const md = fs.readFileSync(summaryFile(), 'utf8');
    expect(md).toMatch(/### ✅ deploy .*: deployed, helm test passed/);
    expect(md).toMatch(
      /\| techcommerce-product-api \| [12]\/[12] \| `ghcr\.io\/techcommerce\/product-api:[^`]+` \|/,
    );
    expect(await revisions('helm', ns)).toEqual([[1, 'deployed', 'Install complete']]);
  }, 300_000);

  it('the next deploy shows the server-side diff of the change', async () => {
    const r = await npm('deploy', [LOCAL, '--namespace', ns, '--set', 'product-api.config.log.level=warn']);
    expect({ status: r.status, tail: out(r).slice(-1500) }).toMatchObject({ status: 0 });
    const diff = r.stdout.slice(r.stdout.indexOf('== server-side diff'), r.stdout.indexOf('== helm upgrade'));
    expect(diff).toMatch(/^\+.*warn/m);
    expect(diff).toMatch(/v1\.ConfigMap\.release-deploy\.techcommerce-product-api/);
    expect(diff).not.toMatch(/techcommerce-frontend\b.*ConfigMap/);
    expect((await revisions('helm', ns)).at(-1)).toEqual([2, 'deployed', 'Upgrade complete']);
  }, 300_000);

  it('a rollout that never becomes ready fails (exit 1) and the release is back on revision 2', async () => {
    const never = writeTmp('never-ready.yaml', `frontend:\n  podAnnotations:\n    ${NEVER_READY}: "true"\n`);
    const r = await npm('deploy', [
      LOCAL,
      '--namespace',
      ns,
      '--set',
      'product-api.config.log.level=warn',
      '-f',
      never,
      '--timeout',
      '20s',
    ]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/failed; rolled back to revision 2/);
    expect((await revisions('helm', ns)).slice(-2)).toEqual([
      [3, 'failed', expect.stringMatching(/failed/)],
      [4, 'deployed', 'Rollback to 2'],
    ]);
  }, 300_000);

  it('a failing helm test after a good upgrade triggers an explicit rollback to the last good revision', async () => {
    // Real admission, not a simulation: a quota of exactly the running pods rejects the test pod.
    const running = await kubectl().json<{ items: unknown[] }>([
      'get',
      'pods',
      '-n',
      ns,
      '--field-selector=status.phase=Running',
    ]);
    await kubectl().apply(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: { name: 'no-room-for-tests', namespace: ns },
        spec: { hard: { pods: String(running.items.length) } },
      }),
    );
    try {
      // Changes only the test hook, so the upgrade itself needs no new pod.
      const r = await npm('deploy', [
        LOCAL,
        '--namespace',
        ns,
        '--set',
        'product-api.config.log.level=warn',
        '--set',
        'tests.attempts=4',
        '--timeout',
        '30s',
      ]);
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/helm test failed/);
      expect(r.stdout).toMatch(/explicit helm rollback to revision 4/);
      expect((await revisions('helm', ns)).slice(-2)).toEqual([
        [5, 'superseded', 'Upgrade complete'],
        [6, 'deployed', 'Rollback to 4'],
      ]);
    } finally {
      await kubectl().run(['delete', 'resourcequota', 'no-room-for-tests', '-n', ns]);
    }
  }, 300_000);

  it('npm run rollback -- <env> 1 goes back to revision 1 and passes helm test', async () => {
    const r = await npm('rollback', [LOCAL, '1', '--namespace', ns]);
    expect({ status: r.status, tail: out(r).slice(-1500) }).toMatchObject({ status: 0 });
    expect(r.stdout).toMatch(/rolled back to revision 1, helm test passed/);
    expect((await revisions('helm', ns)).at(-1)).toEqual([7, 'deployed', 'Rollback to 1']);
  }, 300_000);

  it('npm run rollback -- <env> without a revision goes to the newest earlier good one', async () => {
    const r = await npm('rollback', [LOCAL, '--namespace', ns]);
    expect({ status: r.status, tail: out(r).slice(-1500) }).toMatchObject({ status: 0 });
    expect((await revisions('helm', ns)).at(-1)).toEqual([8, 'deployed', 'Rollback to 6']);
    const bad = await npm('rollback', [LOCAL, '99', '--namespace', ns]);
    expect(bad.status).toBe(1);
    expect(out(bad)).toMatch(/revision 99 is not in the history/);
  }, 300_000);
});

describe('npm run deploy with helm v4 (HELM_BIN=helm4; kwok: simulated nodes, no containers)', () => {
  const ns = 'release-deploy-helm4';

  beforeAll(async () => {
    await restrictedNamespace(ns);
  }, 150_000);

  afterAll(async () => {
    await deleteNamespace(ns);
  }, 150_000);

  it('deploys with --rollback-on-failure, and a never-ready rollout ends back on revision 1', async () => {
    const ok = await npm('deploy', [LOCAL, '--namespace', ns], { HELM_BIN: 'helm4' });
    expect({ status: ok.status, tail: out(ok).slice(-1500) }).toMatchObject({ status: 0 });
    expect(ok.stdout).toMatch(/helm v4\.\d+\.\d+, --rollback-on-failure/);
    const never = writeTmp(
      'never-ready-4.yaml',
      `frontend:\n  podAnnotations:\n    ${NEVER_READY}: "true"\n`,
    );
    const r = await npm('deploy', [LOCAL, '--namespace', ns, '-f', never, '--timeout', '20s'], {
      HELM_BIN: 'helm4',
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/failed; rolled back to revision 1/);
    expect(await revisions('helm4', ns)).toEqual([
      [1, 'superseded', 'Install complete'],
      [2, 'failed', expect.stringMatching(/failed/)],
      [3, 'deployed', 'Rollback to 1'],
    ]);
  }, 300_000);
});
