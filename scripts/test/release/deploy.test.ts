// `npm run deploy` and `npm run rollback` as the workflows call them, against the local cluster:
// invalid values never reach the cluster; a deploy shows the server-side diff, installs, tests
// and summarizes (also as Markdown in $GITHUB_STEP_SUMMARY); a failed rollout and a failed
// `helm test` both end on the last good revision; rollback goes to a chosen or the last good
// revision. Nodes are simulated by kwok; a failing rollout uses the never-ready annotation and a
// failing `helm test` a ValidatingAdmissionPolicy that refuses the test pod.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { runCommand, type CommandResult } from '../../src/cluster/command';
import { chartMeta } from '../../src/ci/publish';
import { podSecurityLabels } from '../../src/deploy/namespace';
import { startRegistry, type Registry } from '../../src/registry/registry';
import { actionFiles } from '../workflows/helpers';
import { find, workflowFiles } from '../workflows/helpers';
import { findStep, runStep } from '../workflows/run-step';
import {
  clusterEnv,
  deleteNamespace,
  history,
  kubeconfig,
  kubectl,
  NEVER_READY,
  repoRoot,
  environmentSecrets,
  restrictedNamespace,
  type HelmBin,
} from './helpers';
import { KWOK_NODES } from './environment';

const LOCAL = 'values/local-cluster.yaml';
let tmp = '';

function npm(
  script: 'deploy' | 'rollback' | 'namespace',
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CommandResult> {
  // The local-cluster release on the kwok nodes (these flows use never-ready pods and quotas).
  const kwok = script === 'deploy' && args[0] === LOCAL ? ['-f', KWOK_NODES] : [];
  return runCommand('npm', ['run', '--silent', script, '--', ...args, ...kwok], {
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
    expect(r.stdout).toMatch(/techcommerce-frontend\s+1\/1 ready\s+localhost\/techcommerce\/frontend:local/);
    const md = fs.readFileSync(summaryFile(), 'utf8');
    expect(md).toMatch(/### ✅ deploy .*: deployed, helm test passed/);
    expect(md).toMatch(
      /\| techcommerce-product-api \| [12]\/[12] \| `localhost\/techcommerce\/product-api:local` \|/,
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
    // Real admission, not a simulation: a ValidatingAdmissionPolicy bound to this namespace refuses
    // only helm's test pod, so the upgrade (migration Jobs, server pods) is untouched and good.
    const name = `${ns}-refuse-helm-tests`;
    const dryRunTestPod = () =>
      kubectl().run(['create', '-n', ns, '-f', '-', '--dry-run=server'], {
        input: JSON.stringify({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'probe', annotations: { 'helm.sh/hook': 'test' } },
          spec: {
            // Restricted, so the namespace's Pod Security admission lets it through to the policy.
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'c',
                image: 'localhost/none',
                securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
              },
            ],
          },
        }),
      });
    await kubectl().apply(
      [
        {
          apiVersion: 'admissionregistration.k8s.io/v1',
          kind: 'ValidatingAdmissionPolicy',
          metadata: { name },
          spec: {
            failurePolicy: 'Fail',
            matchConstraints: {
              resourceRules: [
                { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] },
              ],
            },
            validations: [
              {
                expression:
                  "!has(object.metadata.annotations) || !('helm.sh/hook' in object.metadata.annotations) || object.metadata.annotations['helm.sh/hook'] != 'test'",
                message: 'helm test pods are refused in this namespace (deploy.test.ts)',
              },
            ],
          },
        },
        {
          apiVersion: 'admissionregistration.k8s.io/v1',
          kind: 'ValidatingAdmissionPolicyBinding',
          metadata: { name },
          spec: {
            policyName: name,
            validationActions: ['Deny'],
            matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } },
          },
        },
      ]
        .map((o) => JSON.stringify(o))
        .join('\n---\n'),
    );
    try {
      // The API server picks a new policy up asynchronously: wait until a dry run is refused.
      let refused = '';
      for (let i = 0; i < 60 && !refused; i++) {
        const probe = await dryRunTestPod();
        if (probe.status !== 0) refused = probe.stderr;
        else await new Promise((r) => setTimeout(r, 500));
      }
      expect(refused).toMatch(/helm test pods are refused/);

      const r = await npm('deploy', [LOCAL, '--namespace', ns, '--set', 'product-api.config.log.level=warn']);
      expect({ status: r.status, tail: out(r).slice(-1500) }).toMatchObject({ status: 1 });
      expect(r.stdout).toMatch(/helm test failed/);
      expect(r.stdout).toMatch(/explicit helm rollback to revision 4/);
      expect((await revisions('helm', ns)).slice(-2)).toEqual([
        [5, 'superseded', 'Upgrade complete'],
        [6, 'deployed', 'Rollback to 4'],
      ]);
    } finally {
      await kubectl().run(['delete', 'validatingadmissionpolicybinding,validatingadmissionpolicy', name]);
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

/**
 * The identity docs/ci-cd.md gives the deploy job: a ServiceAccount bound to `admin` inside its
 * namespace (plus the monitoring objects), nothing at cluster scope; a kubeconfig with its token.
 */
async function deployerKubeconfig(ns: string): Promise<string> {
  const k = kubectl();
  await k.must(['create', 'serviceaccount', 'github-deployer', '-n', ns]);
  await k.must([
    'create',
    'rolebinding',
    'github-deployer',
    '-n',
    ns,
    '--clusterrole=admin',
    `--serviceaccount=${ns}:github-deployer`,
  ]);
  await k.apply(
    JSON.stringify({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'monitoring-objects' },
      rules: [
        {
          apiGroups: ['monitoring.coreos.com'],
          resources: ['servicemonitors', 'prometheusrules'],
          verbs: ['*'],
        },
      ],
    }),
  );
  await k.must([
    'create',
    'rolebinding',
    'github-deployer-monitoring',
    '-n',
    ns,
    '--clusterrole=monitoring-objects',
    `--serviceaccount=${ns}:github-deployer`,
  ]);
  const token = (await k.must(['create', 'token', 'github-deployer', '-n', ns, '--duration=1h'])).trim();
  const admin = parse(fs.readFileSync(kubeconfig(), 'utf8')) as {
    clusters: { cluster: Record<string, unknown> }[];
  };
  const file = path.join(tmp, `deployer-${ns}.kubeconfig`);
  fs.writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'target', cluster: admin.clusters[0]!.cluster }],
      users: [{ name: 'github-deployer', user: { token } }],
      contexts: [{ name: 'deploy', context: { cluster: 'target', user: 'github-deployer', namespace: ns } }],
      'current-context': 'deploy',
    }),
    { mode: 0o600 },
  );
  return file;
}

describe('the CI deployer: namespace-scoped RBAC, a namespace made beforehand (kwok: simulated nodes)', () => {
  // The namespace deploy.yaml's step uses for this environment (techcommerce-<env>).
  const ns = 'techcommerce-local-cluster';
  const other = 'release-deployer-missing';
  let deployer = '';

  beforeAll(async () => {
    await deleteNamespace(ns);
    await deleteNamespace(other);
  }, 150_000);

  afterAll(async () => {
    await deleteNamespace(ns);
  }, 150_000);

  it('npm run namespace (a cluster admin) creates the namespace with restricted Pod Security, and again only labels it', async () => {
    const first = await npm('namespace', ['local-cluster']);
    expect({ status: first.status, out: out(first) }).toMatchObject({ status: 0 });
    const labels = (
      await kubectl().json<{ metadata: { labels: Record<string, string> } }>(['get', 'namespace', ns])
    ).metadata.labels;
    expect(labels).toMatchObject(podSecurityLabels());
    expect(podSecurityLabels()).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
    // Labels removed by hand come back; nothing else changes.
    await kubectl().must(['label', 'namespace', ns, 'pod-security.kubernetes.io/enforce-']);
    const again = await npm('namespace', ['local-cluster']);
    expect(again.status).toBe(0);
    const after = (
      await kubectl().json<{ metadata: { labels: Record<string, string> } }>(['get', 'namespace', ns])
    ).metadata.labels;
    expect(after['pod-security.kubernetes.io/enforce']).toBe('restricted');
    await environmentSecrets(ns, 'techcommerce-tls');
    deployer = await deployerKubeconfig(ns);
  }, 180_000);

  it("deploy.yaml's deploy step, run as the deployer, installs the images by digest into that namespace", async () => {
    const deployWorkflow = find(workflowFiles(), '.github/workflows/deploy.yaml');
    const images = {
      frontend: `ghcr.io/techcommerce/frontend@sha256:${'a'.repeat(64)}`,
      'order-api': `ghcr.io/techcommerce/order-api@sha256:${'b'.repeat(64)}`,
      'product-api': `ghcr.io/techcommerce/product-api@sha256:${'c'.repeat(64)}`,
    };
    const r = runStep(findStep(deployWorkflow, 'npm run deploy (by digest)'), {
      env: { KUBECONFIG: deployer },
      expressions: { 'inputs.environment': 'local-cluster', 'inputs.images': JSON.stringify(images) },
      timeoutMs: 600_000,
    });
    expect({ status: r.status, tail: r.out.slice(-2500) }).toMatchObject({ status: 0 });
    expect(r.out).toMatch(/deployed, helm test passed/);
    expect(r.out).not.toMatch(/does not enforce the restricted Pod Security Standard/);
    // The chart keeps the tag beside the digest (repository:tag@digest); the digest decides.
    for (const image of Object.values(images)) {
      const [repo, digest] = image.split('@') as [string, string];
      expect(r.summary).toMatch(new RegExp(`\`${repo.replace(/\./g, '\\.')}(:[^@\`]+)?@${digest}\``));
    }
    const can = await runCommand('kubectl', ['auth', 'can-i', 'create', 'namespaces'], {
      env: clusterEnv({ KUBECONFIG: deployer }),
    });
    expect(can.stdout.trim()).toBe('no');
  }, 600_000);

  it('the deployer cannot create a namespace: a missing one stops the deploy before anything is sent', async () => {
    const r = await npm('deploy', [LOCAL, '--namespace', other], { KUBECONFIG: deployer });
    expect(r.status).toBe(1);
    expect(out(r)).toMatch(
      /namespace release-deployer-missing does not exist or this identity may not read it; nothing was sent to the cluster/,
    );
    expect(out(r)).toMatch(/npm run namespace -- .*local-cluster.* --namespace release-deployer-missing/);
    const asked = await npm('deploy', [LOCAL, '--namespace', other, '--create-namespace'], {
      KUBECONFIG: deployer,
    });
    expect(asked.status).toBe(1);
    expect(out(asked)).toMatch(/cannot create or label namespace release-deployer-missing[\s\S]*forbidden/);
    expect((await kubectl().run(['get', 'namespace', other])).status).not.toBe(0);
  }, 180_000);
});

describe('the chart as an OCI artifact: published to a throwaway registry, installed from oci:// (kwok: simulated nodes)', () => {
  const ns = 'release-oci';
  let registry: Registry | undefined;

  beforeAll(async () => {
    registry = await startRegistry();
    await restrictedNamespace(ns);
  }, 150_000);

  afterAll(async () => {
    await registry?.stop();
    await deleteNamespace(ns);
  }, 150_000);

  it("the publish-chart action's step packages and pushes the chart at its Chart.yaml version; helm upgrade --install takes it from oci://", async () => {
    const { version, name } = chartMeta(path.join(repoRoot, 'charts', 'techcommerce'));
    const action = find(actionFiles(), '.github/actions/publish-chart/action.yaml');
    const repository = `${registry!.url}/charts`;
    const wrongTag = runStep(findStep(action, 'push'), {
      env: { GITHUB_REF: 'refs/tags/v99.0.0' },
      expressions: { 'inputs.repository': repository },
    });
    expect(wrongTag.status).toBe(1);
    expect(wrongTag.out).toMatch(/tag v99\.0\.0 does not match techcommerce's Chart\.yaml version/);
    const r = runStep(findStep(action, 'push'), {
      env: { GITHUB_REF: `refs/tags/v${version}` },
      expressions: { 'inputs.repository': repository },
      timeoutMs: 300_000,
    });
    expect({ status: r.status, out: r.status ? r.out : '' }).toEqual({ status: 0, out: '' });
    expect(r.outputs.name).toBe(`${registry!.address}/charts/${name}`);
    expect(r.outputs.version).toBe(version);
    expect(r.outputs.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    const install = await runCommand(
      'helm',
      [
        'upgrade',
        '--install',
        'techcommerce',
        `${repository}/${name}`,
        '--version',
        version,
        '--plain-http',
        '-n',
        ns,
        '-f',
        path.join(repoRoot, LOCAL),
        '--atomic',
        '--timeout',
        '3m',
      ],
      { env: clusterEnv(), timeoutMs: 300_000 },
    );
    expect({ status: install.status, out: install.status ? out(install) : '' }).toEqual({
      status: 0,
      out: '',
    });
    const [rev] = await history('helm', 'techcommerce', ns);
    expect(rev).toMatchObject({ revision: 1, status: 'deployed', chart: `${name}-${version}` });
  }, 600_000);
});
