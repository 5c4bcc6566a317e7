// A failing upgrade rolls itself back: helm v3 with --atomic, helm v4 with --rollback-on-failure.
// The failure is simulated honestly: the upgrade changes the config and annotates the frontend's
// pods kwok.techcommerce.dev/never-ready=true, which the cluster's kwok Stage keeps NotReady (as a
// failing readiness probe would), so the rollout cannot finish within the timeout.
import path from 'node:path';
import { waitFor } from '../../src/cluster/command';
import type { KubeList } from '../../src/cluster/kubectl';
import { install, KWOK_NODES, upgradeArgs } from './environment';
import { expectReleaseMatchesValues } from './expectations';
import {
  deleteNamespace,
  helm,
  history,
  kubectl,
  NEVER_READY,
  releaseFingerprint,
  repoRoot,
  restrictedNamespace,
  waitRolledOut,
  type HelmBin,
} from './helpers';

const RELEASE = 'techcommerce';
// The local-cluster release on the kwok nodes, where the never-ready annotation works.
const LOCAL = [path.join(repoRoot, 'values', 'local-cluster.yaml'), KWOK_NODES];
const BREAK = [
  `frontend.podAnnotations.${NEVER_READY.replace(/\./g, '\\.')}=true`,
  'product-api.config.log.level=warn',
];

describe.each([
  { bin: 'helm' as HelmBin, flag: '--atomic', label: 'helm v3 --atomic' },
  { bin: 'helm4' as HelmBin, flag: '--rollback-on-failure', label: 'helm v4 --rollback-on-failure' },
])('a failing upgrade with $label (kwok, simulated: never-ready pods)', ({ bin, flag }) => {
  const ns = `release-failed-${bin}`;

  beforeAll(async () => {
    await restrictedNamespace(ns);
  }, 120_000);

  afterAll(async () => {
    await deleteNamespace(ns);
  }, 150_000);

  it(`returns non-zero, and the release is back on the previous revision with its objects unchanged (${flag})`, async () => {
    await install(RELEASE, ns, { bin, values: LOCAL });
    // Settled first: the HPA scales product-api to its minimum shortly after the install.
    await expectReleaseMatchesValues(bin, RELEASE, ns);
    const before = await releaseFingerprint(ns, RELEASE);

    // --set-string: the annotation value must stay the string "true".
    const args = upgradeArgs(RELEASE, ns, { bin, values: LOCAL, timeout: '20s' });
    const setString = BREAK.flatMap((s) => ['--set-string', s]);
    const r = await helm(bin, [...args, ...setString]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/UPGRADE FAILED/);
    expect(r.stderr).toMatch(/rolled back/);

    const h = await history(bin, RELEASE, ns);
    expect(h.map((x) => [x.revision, x.status])).toEqual([
      [1, 'superseded'],
      [2, 'failed'],
      [3, 'deployed'],
    ]);
    expect(h[2]?.description).toBe('Rollback to 1');

    await waitRolledOut(ns, RELEASE);
    expect(await releaseFingerprint(ns, RELEASE)).toEqual(before);
    // The never-ready pods of the failed revision are removed (kwok deletes them at once).
    await waitFor(
      'the never-ready pods to be gone',
      async () => {
        const pods = await kubectl().json<KubeList<{ metadata: { annotations?: Record<string, string> } }>>([
          'get',
          'pods',
          '-n',
          ns,
        ]);
        return pods.items.some((p) => p.metadata.annotations?.[NEVER_READY] === 'true') ? undefined : true;
      },
      { timeoutMs: 30_000 },
    );
  }, 300_000);
});
