// The services find each other in a rendered umbrella, for every environment: each upstream URL
// in a service's config names a Service of the release on its port, that Service leads to the
// callee's container port, and the NetworkPolicies let the caller out and the callee in on that
// port. Also: the frontend's config.environment is the release's global.environment, and it is
// part of the config checksum, so changing the environment rolls the pods.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { environmentFiles, find, type K8sObject, render, repoRoot, UMBRELLA } from './helpers';

type Labels = Record<string, string>;
interface Peer {
  podSelector?: { matchLabels?: Labels };
  namespaceSelector?: unknown;
}
interface Rule {
  to?: Peer[];
  from?: Peer[];
  ports?: { port: number; protocol?: string }[];
}

const RELEASE = 'shop';
/** Who calls whom, and where in the caller's config the callee's URL is. */
const CALLS = [
  { caller: 'frontend', callee: 'product-api', key: ['apis', 'productApi', 'url'] },
  { caller: 'frontend', callee: 'order-api', key: ['apis', 'orderApi', 'url'] },
  { caller: 'order-api', callee: 'product-api', key: ['productApi', 'url'] },
];

const environments = [null, ...environmentFiles(), `charts/${UMBRELLA}/ci/default-values.yaml`];

const selects = (selector: Labels | undefined, labels: Labels) =>
  Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);

function configOf(objects: K8sObject[], service: string): Record<string, unknown> {
  const cm = find(objects, 'ConfigMap', `${RELEASE}-${service}`);
  return JSON.parse(cm.data?.['config.json'] ?? '{}') as Record<string, unknown>;
}

function dig(value: unknown, keys: string[]): unknown {
  return keys.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value);
}

function podOf(objects: K8sObject[], service: string) {
  const d = find(objects, 'Deployment', `${RELEASE}-${service}`);
  const template = (d.spec as { template: { metadata: { labels: Labels }; spec: unknown } }).template;
  const container = (template.spec as { containers: { ports: { name: string; containerPort: number }[] }[] })
    .containers[0];
  return { labels: template.metadata.labels, ports: container?.ports ?? [] };
}

/** Rules of the policies that select `labels`, in the given direction. */
function rulesFor(objects: K8sObject[], labels: Labels, direction: 'Ingress' | 'Egress'): Rule[] {
  return objects
    .filter((o) => o.kind === 'NetworkPolicy')
    .map(
      (o) =>
        o.spec as { podSelector: { matchLabels?: Labels }; policyTypes: string[] } & Record<string, Rule[]>,
    )
    .filter((s) => s.policyTypes.includes(direction) && selects(s.podSelector.matchLabels, labels))
    .flatMap((s) => s[direction === 'Ingress' ? 'ingress' : 'egress'] ?? []);
}

/** Whether one of the rules admits pods with `peer` labels (same namespace) on `port`. */
function admits(rules: Rule[], side: 'to' | 'from', peer: Labels, port: number): boolean {
  return rules.some(
    (r) =>
      (r[side] ?? []).some((p) => !p.namespaceSelector && selects(p.podSelector?.matchLabels, peer)) &&
      (r.ports === undefined || r.ports.some((p) => p.port === port && (p.protocol ?? 'TCP') === 'TCP')),
  );
}

describe.each(environments)('umbrella wiring with %s', (file) => {
  const objects = render(`charts/${UMBRELLA}`, { release: RELEASE, values: file ? [file] : [] });

  it.each(CALLS)('$caller reaches $callee through its Service, and the policies allow it', (call) => {
    const url = new URL(String(dig(configOf(objects, call.caller), call.key)));
    expect(url.hostname).toBe(`${RELEASE}-${call.callee}`);
    const service = find(objects, 'Service', url.hostname);
    const spec = service.spec as {
      selector: Labels;
      ports: { port: number; targetPort: number | string }[];
    };
    const servicePort = spec.ports.find((p) => p.port === Number(url.port || 80));
    expect(servicePort).toBeDefined();
    const callee = podOf(objects, call.callee);
    expect(selects(spec.selector, callee.labels)).toBe(true);
    const target = callee.ports.find(
      (p) => p.name === servicePort?.targetPort || p.containerPort === servicePort?.targetPort,
    );
    expect(target).toBeDefined();
    const port = target?.containerPort as number;
    const caller = podOf(objects, call.caller);
    expect(admits(rulesFor(objects, caller.labels, 'Egress'), 'to', callee.labels, port)).toBe(true);
    expect(admits(rulesFor(objects, callee.labels, 'Ingress'), 'from', caller.labels, port)).toBe(true);
  });

  it("gives the frontend the release's global.environment", () => {
    const values = file
      ? (parse(fs.readFileSync(path.join(repoRoot, file), 'utf8')) as { global?: { environment?: string } })
      : {};
    expect(configOf(objects, 'frontend').environment).toBe(values.global?.environment ?? 'development');
  });
});

it('rolls the frontend pods when global.environment changes (the environment is in the config checksum)', () => {
  const checksum = (environment: string) => {
    const objects = render(`charts/${UMBRELLA}`, {
      release: RELEASE,
      set: [
        `global.environment=${environment}`,
        `frontend.secrets.cookieSecret=${'a throwaway cookie key '.repeat(2)}`,
      ],
    });
    const d = find(objects, 'Deployment', `${RELEASE}-frontend`);
    return (d.spec as { template: { metadata: { annotations: Labels } } }).template.metadata.annotations[
      'checksum/config'
    ];
  };
  expect(checksum('ci')).not.toBe(checksum('staging'));
});
