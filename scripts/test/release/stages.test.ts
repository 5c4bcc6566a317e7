// The cluster's own kwok Stages, one behaviour each: a pod becomes Ready after a short delay;
// a pod annotated kwok.techcommerce.dev/never-ready stays NotReady; Job pods and helm test pods
// (restartPolicy Never) reach Succeeded; a deleted pod goes at once; `kubectl logs` says there
// is no container. Pods here are restricted-compliant: the namespace enforces it.
import { waitFor } from '../../src/cluster/command';
import { SIMULATED_LOG_LINE } from '../../src/cluster/kwokctl-config';
import { deleteNamespace, kubectl, NEVER_READY, restrictedNamespace } from './helpers';

const NS = 'release-stages';

interface Pod {
  status: { phase?: string; podIP?: string; conditions?: { type: string; status: string }[] };
}

const securityContext = {
  runAsNonRoot: true,
  runAsUser: 10001,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

function podSpec(restartPolicy = 'Always') {
  return { restartPolicy, containers: [{ name: 'main', image: 'example.invalid/none:1', securityContext }] };
}

function pod(name: string, opts: { annotations?: Record<string, string>; restartPolicy?: string } = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, annotations: opts.annotations ?? {} },
    spec: podSpec(opts.restartPolicy),
  };
}

async function getPod(name: string): Promise<Pod> {
  return kubectl().json<Pod>(['get', 'pod', name, '-n', NS]);
}

const ready = (p: Pod) => p.status.conditions?.find((c) => c.type === 'Ready')?.status;

describe('kwok Stages of the local cluster (kwok: simulated nodes, no containers)', () => {
  beforeAll(async () => {
    await restrictedNamespace(NS);
  }, 120_000);

  afterAll(async () => {
    await deleteNamespace(NS);
  }, 150_000);

  it('PodSecurity admission rejects a pod that breaks the restricted standard (real admission, not kwok)', async () => {
    // No securityContext: runs as root as far as admission can tell.
    const bad = { ...pod('root'), spec: { containers: [{ name: 'main', image: 'example.invalid/none:1' }] } };
    const r = await kubectl().run(['apply', '-f', '-'], { input: JSON.stringify(bad) });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/violates PodSecurity "restricted:latest"/);
  }, 30_000);

  it('a pod gets an IP and becomes Ready within a few seconds', async () => {
    await kubectl().apply(JSON.stringify(pod('plain')));
    const started = Date.now();
    const p = await waitFor(
      'pod plain Ready',
      async () => ((x) => (ready(x) === 'True' ? x : undefined))(await getPod('plain')),
      {
        timeoutMs: 15_000,
      },
    );
    expect(p.status.phase).toBe('Running');
    expect(p.status.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 30_000);

  it(`a pod annotated ${NEVER_READY}: "true" runs but stays NotReady, with an Unhealthy event`, async () => {
    await kubectl().apply(JSON.stringify(pod('never', { annotations: { [NEVER_READY]: 'true' } })));
    await waitFor(
      'pod never Running',
      async () => ((await getPod('never')).status.phase === 'Running' ? true : undefined),
      {
        timeoutMs: 15_000,
      },
    );
    // Several times the Ready delay: it must still not be Ready.
    await new Promise((r) => setTimeout(r, 6000));
    const p = await getPod('never');
    expect([p.status.phase, ready(p)]).toEqual(['Running', 'False']);
    const events = await kubectl().json<{ items: { reason: string; message: string }[] }>([
      'get',
      'events',
      '-n',
      NS,
      '--field-selector=involvedObject.name=never',
    ]);
    expect(events.items.map((e) => e.reason)).toContain('Unhealthy');
  }, 40_000);

  it('a pod that is not restarted (restartPolicy Never, as helm test pods) reaches Succeeded', async () => {
    await kubectl().apply(JSON.stringify(pod('once', { restartPolicy: 'Never' })));
    await waitFor(
      'pod once Succeeded',
      async () => ((await getPod('once')).status.phase === 'Succeeded' ? true : undefined),
      {
        timeoutMs: 20_000,
      },
    );
  }, 30_000);

  it('a Job completes (its pod reaches Succeeded)', async () => {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'job', namespace: NS },
      spec: { backoffLimit: 0, template: { spec: podSpec('Never') } },
    };
    await kubectl().apply(JSON.stringify(job));
    await kubectl().must(['wait', '--for=condition=Complete', 'job/job', '-n', NS, '--timeout=30s']);
  }, 45_000);

  it('kubectl logs answers that no container runs', async () => {
    const logs = await kubectl().must(['logs', 'plain', '-n', NS]);
    expect(logs.trim()).toBe(SIMULATED_LOG_LINE);
  }, 30_000);

  it('a deleted pod is gone within seconds (no grace period is waited out)', async () => {
    const started = Date.now();
    await kubectl().must(['delete', 'pod', 'plain', '-n', NS, '--wait=true', '--timeout=20s']);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 30_000);
});
