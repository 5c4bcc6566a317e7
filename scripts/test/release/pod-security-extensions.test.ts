// Restricted Pod Security with every extension point in use (sidecars, init containers, extra
// env and volumes, extraObjects; fixtures/extensions/values.yaml): the API server's PodSecurity
// admission on a namespace that enforces `restricted` accepts the rendered umbrella without a
// warning, because added containers get the restricted security context. A sidecar that asks
// for privilege escalation is refused, so the check can fail.
import fs from 'node:fs';
import os from 'node:os';
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

const NS = 'release-pss-extensions';
const EXTENSIONS = path.join(repoRoot, 'scripts/test/charts/fixtures/extensions/values.yaml');

async function serverDryRun(
  values: string[],
): Promise<{ status: number | null; stderr: string; stdout: string }> {
  const manifest = await mustHelm('helm', ['template', 'techcommerce', UMBRELLA, '-n', NS, ...values]);
  return kubectl().run(['apply', '--dry-run=server', '-n', NS, '-f', '-'], {
    input: manifest,
    env: clusterEnv(),
  });
}

describe('restricted Pod Security with sidecars and init containers (kwok cluster: real API server and admission)', () => {
  beforeAll(async () => {
    await restrictedNamespace(NS);
  }, 120_000);

  afterAll(async () => {
    await deleteNamespace(NS);
  }, 150_000);

  it('accepts every extension point at once with no PodSecurity warning', async () => {
    const r = await serverDryRun(['-f', EXTENSIONS]);
    expect({ status: r.status, stderr: r.stderr.trim() }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toMatch(/deployment\.apps\/techcommerce-product-api created \(server dry run\)/);
  }, 120_000);

  it('warns about a sidecar whose own securityContext allows privilege escalation', async () => {
    const override = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tc-pss-')), 'escalating.yaml');
    fs.writeFileSync(
      override,
      [
        'product-api:',
        '  extraContainers:',
        '    - name: escalating',
        '      image: example.com/escalating:1.0',
        '      securityContext:',
        '        allowPrivilegeEscalation: true',
      ].join('\n'),
    );
    const r = await serverDryRun(['-f', EXTENSIONS, '-f', override]);
    expect(r.stderr).toMatch(
      /would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false \(container "escalating"/,
    );
  }, 120_000);
});
