// `kubectl apply --dry-run=server` of the rendered umbrella for every environment: the API
// server's own validation, defaulting and admission (PodSecurity restricted, enforced on the
// hook and test pods, warned about for every workload) accept each manifest, without warnings.
import fs from 'node:fs';
import path from 'node:path';
import {
  clusterEnv,
  deleteNamespace,
  kubectl,
  mustHelm,
  repoRoot,
  restrictedNamespace,
  UMBRELLA,
} from './helpers';

const NS = 'release-dry-run';
const environments = [
  'chart defaults',
  ...fs
    .readdirSync(path.join(repoRoot, 'values'))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => `values/${f}`),
];

describe('server-side dry run of the rendered umbrella (kwok cluster: real API server and admission)', () => {
  beforeAll(async () => {
    await restrictedNamespace(NS);
  }, 120_000);

  afterAll(async () => {
    await deleteNamespace(NS);
  }, 150_000);

  it.each(environments)(
    '%s: kubectl apply --dry-run=server is clean (no error, no warning)',
    async (env) => {
      const values = env === 'chart defaults' ? [] : ['-f', path.join(repoRoot, env)];
      const manifest = await mustHelm('helm', ['template', 'techcommerce', UMBRELLA, '-n', NS, ...values]);
      const r = await kubectl().run(['apply', '--dry-run=server', '-n', NS, '-f', '-'], {
        input: manifest,
        env: clusterEnv(),
      });
      expect({ status: r.status, stderr: r.stderr.trim() }).toEqual({ status: 0, stderr: '' });
      expect(r.stdout).toMatch(/deployment\.apps\/\S+ created \(server dry run\)/);
    },
    120_000,
  );
});
