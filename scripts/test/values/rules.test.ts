// The semantic rules, one describe block each, on a small fixture chart (fixtures/rules/shop)
// with no schema in the way: each case is a values file, and the findings of that rule.
import path from 'node:path';
import { loadChart } from '../../src/values/chart';
import { formatPath } from '../../src/values/problems';
import { validate } from '../../src/values/validate';
import { fixtures, repoRoot, scratchDir } from './helpers';

const chartDir = path.join(fixtures, 'rules', 'shop');
const rel = (abs: string) => path.relative(repoRoot, abs).split(path.sep).join('/');
const chart = loadChart(chartDir, rel(chartDir), rel);
const scratch = scratchDir('values-rules');
afterAll(() => scratch.remove());

let n = 0;
/** Findings of one rule as `severity path: message @line:col` (line:col only when in the file). */
function findings(rule: string, yaml: string, sets: string[] = []): string[] {
  const file = scratch.write(`case-${n++}.yaml`, yaml);
  const result = validate({ chart, files: [{ path: file, display: 'case.yaml' }], sets });
  return result.findings
    .filter((f) => f.rule === rule)
    .map((f) => {
      const where =
        f.location.file === 'case.yaml'
          ? ` @${f.location.line}:${f.location.col}`
          : ` @${f.location.file}:${f.location.line}`;
      return `${f.severity} ${formatPath(f.path)}: ${f.message}${f.location.argument !== undefined ? ' @--set' : where}`;
    });
}

const production = (rest = '') =>
  `global:\n  environment: production\napi:\n  image:\n    tag: "1.0.0"\n${rest}`;

describe('resources: requests ≤ limits', () => {
  test('a CPU request above its limit is an error at the request', () => {
    expect(findings('resources', 'api:\n  resources:\n    requests:\n      cpu: "2"\n')).toEqual([
      'error api.resources.requests.cpu: must be ≤ limits.cpu (500m): Kubernetes rejects a request above its limit @4:12',
    ]);
  });
  test('equal amounts in different units pass (0.5 = 500m, 1Gi = 1024Mi, 1e3 = 1k)', () => {
    const yaml =
      'api:\n  resources:\n    requests: {cpu: 0.5, memory: 1Gi, ephemeral-storage: 1e3}\n    limits: {cpu: 500m, memory: 1024Mi, ephemeral-storage: 1k}\n';
    expect(findings('resources', yaml)).toEqual([]);
  });
  test('decimal and binary suffixes are compared exactly (1.1G > 1Gi, 1G < 1Gi)', () => {
    expect(
      findings('resources', 'api:\n  resources:\n    requests: {memory: 1.1G}\n    limits: {memory: 1Gi}\n'),
    ).toEqual([
      'error api.resources.requests.memory: must be ≤ limits.memory (1Gi): Kubernetes rejects a request above its limit @3:24',
    ]);
    expect(
      findings('resources', 'api:\n  resources:\n    requests: {memory: 1G}\n    limits: {memory: 1Gi}\n'),
    ).toEqual([]);
  });
  test('every requests/limits pair is checked, the umbrella’s own included', () => {
    expect(findings('resources', 'tests:\n  resources:\n    limits: {cpu: 5m}\n')).toEqual(
      [
        'error tests.resources.requests.cpu: must be ≤ limits.cpu (5m): Kubernetes rejects a request above its limit @shop/values.yaml:7',
      ].map((s) => s.replace('@shop/', `@${rel(chartDir)}/`)),
    );
  });
  test('a value that is not a quantity is left to the schema', () => {
    expect(findings('resources', 'api:\n  resources:\n    requests: {cpu: lots}\n')).toEqual([]);
  });
});

describe('autoscaling: HPA bounds and fixed replicas', () => {
  test('minReplicas above maxReplicas is an error while the HPA is on', () => {
    expect(findings('autoscaling', 'api:\n  autoscaling:\n    enabled: true\n    minReplicas: 6\n')).toEqual([
      'error api.autoscaling.minReplicas: must be ≤ maxReplicas (5) @4:18',
    ]);
  });
  test('and a warning while it is off', () => {
    expect(findings('autoscaling', 'api:\n  autoscaling:\n    minReplicas: 6\n')).toEqual([
      'warning api.autoscaling.minReplicas: must be ≤ maxReplicas (5); harmless while autoscaling is off @3:18',
    ]);
  });
  test('a replicaCount written next to an enabled HPA is reported as ignored', () => {
    expect(findings('autoscaling', 'api:\n  replicaCount: 4\n  autoscaling:\n    enabled: true\n')).toEqual([
      'warning api.replicaCount: is ignored while autoscaling.enabled is true: the HPA owns the replica count (it keeps 2 to 5 replicas) @2:17',
    ]);
  });
  test('the chart’s default replicaCount is not the user’s doing', () => {
    expect(findings('autoscaling', 'api:\n  autoscaling:\n    enabled: true\n')).toEqual([]);
  });
});

describe('pdb: the budget allows an eviction at the lowest replica count', () => {
  test('with one replica the charts make no PDB, so anything goes', () => {
    expect(findings('pdb', 'api:\n  pdb:\n    maxUnavailable: null\n    minAvailable: 1\n')).toEqual([]);
  });
  test('minAvailable equal to the replica count blocks every drain', () => {
    expect(
      findings('pdb', 'api:\n  replicaCount: 2\n  pdb:\n    maxUnavailable: null\n    minAvailable: 2\n'),
    ).toEqual([
      'error api.pdb.minAvailable: must leave room for an eviction: 2 of 2 replicas must stay up, so a node drain can never evict one (use fewer than 2, or maxUnavailable) @5:19',
    ]);
  });
  test('percentages round up as the disruption controller rounds them (50% of 2 is 1, 51% is 2)', () => {
    const base = 'api:\n  replicaCount: 2\n  pdb:\n    maxUnavailable: null\n    minAvailable: ';
    expect(findings('pdb', `${base}50%\n`)).toEqual([]);
    expect(findings('pdb', `${base}51%\n`)).toEqual([
      'error api.pdb.minAvailable: must leave room for an eviction: 51% (2) of 2 replicas must stay up, so a node drain can never evict one (use fewer than 2, or maxUnavailable) @5:19',
    ]);
  });
  test('with the HPA on, its minimum is the replica count that matters', () => {
    const yaml =
      'api:\n  replicaCount: 10\n  autoscaling: {enabled: true, minReplicas: 3}\n  pdb: {maxUnavailable: null, minAvailable: 3}\n';
    expect(findings('pdb', yaml)).toEqual([
      'error api.pdb.minAvailable: must leave room for an eviction: 3 of 3 replicas must stay up, so a node drain can never evict one (use fewer than 3, or maxUnavailable) @4:45',
    ]);
  });
  test('maxUnavailable 0 blocks every drain; both keys set is refused', () => {
    expect(findings('pdb', 'api:\n  replicaCount: 3\n  pdb:\n    maxUnavailable: 0%\n')).toEqual([
      'error api.pdb.maxUnavailable: must allow at least one pod: with 0 no node drain can evict one @4:21',
    ]);
    expect(findings('pdb', 'api:\n  replicaCount: 3\n  pdb:\n    minAvailable: 1\n')).toEqual([
      'error api.pdb.minAvailable: set minAvailable or maxUnavailable, not both: maxUnavailable is 1 (set it to null) @4:19',
    ]);
  });
});

describe('images: production pins every image', () => {
  test('an empty tag from the chart defaults is an error at the chart’s values.yaml', () => {
    expect(findings('images', 'global:\n  environment: production\n')).toEqual([
      `error api.image.tag: must be set in production: an empty tag means the chart's appVersion, which is not a pin (or set digest) @${rel(chartDir)}/charts/api/values.yaml:15`,
    ]);
  });
  test('latest is an error; a digest alone is a pin', () => {
    expect(
      findings('images', 'global:\n  environment: production\napi:\n  image:\n    tag: latest\n'),
    ).toEqual(['error api.image.tag: must not be latest in production: pin an exact version @5:10']);
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(
      findings('images', `global:\n  environment: production\napi:\n  image:\n    digest: ${digest}\n`),
    ).toEqual([]);
  });
  test('a tag removed with null is reported at that null', () => {
    expect(findings('images', 'global:\n  environment: production\napi:\n  image:\n    tag: null\n')).toEqual(
      [
        "error api.image.tag: must be set in production: an empty tag means the chart's appVersion, which is not a pin (or set digest): the null here removes it @5:10",
      ],
    );
  });
  test('outside production anything goes', () => {
    expect(findings('images', 'api:\n  image:\n    tag: latest\n')).toEqual([]);
  });
});

describe('secrets: writeOnly schema properties', () => {
  test('a plaintext secret in production is an error (the schema marks it through a $ref)', () => {
    expect(findings('secrets', production('  secrets:\n    token: hunter2\n'))).toEqual([
      'error api.secrets.token: must not hold a plaintext secret in production: create the Secret outside Helm and name it in existingSecret @7:12',
    ]);
  });
  test('outside production a secret in a values file is a warning, from --set it is fine', () => {
    expect(findings('secrets', 'api:\n  secrets:\n    token: hunter2\n')).toEqual([
      'warning api.secrets.token: is a plaintext secret in a values file: prefer existingSecret, or --set it from a secret store @3:12',
    ]);
    expect(findings('secrets', 'api: {}\n', ['api.secrets.token=hunter2'])).toEqual([]);
  });
  test('empty and null secrets are no secret', () => {
    expect(
      findings('secrets', production('  secrets:\n    existingSecret: api-credentials\n    token: null\n')),
    ).toEqual([]);
  });
});

describe('ports: unique per pod', () => {
  test('a second listener on the container port is an error at the second', () => {
    expect(findings('ports', 'api:\n  config:\n    metrics:\n      port: 8080\n')).toEqual([
      'error api.config.metrics.port: must differ from config.server.port (8080): one pod cannot listen twice on a port @4:13',
    ]);
  });
  test('a port beside a host is where the service connects, not a listener', () => {
    expect(findings('ports', 'api:\n  config:\n    database:\n      port: 8080\n')).toEqual([]);
  });
  test('extra containers count', () => {
    const yaml = 'api:\n  extraContainers:\n    - name: proxy\n      ports:\n        - containerPort: 9090\n';
    expect(findings('ports', yaml)).toEqual([
      'error api.extraContainers[0].ports[0].containerPort: must differ from config.metrics.port (9090): one pod cannot listen twice on a port @5:26',
    ]);
  });
});

describe('hosts: RFC 1123 names', () => {
  test('an underscore in a database host', () => {
    expect(findings('hosts', 'api:\n  config:\n    database:\n      host: db_1.internal\n')).toEqual([
      'error api.config.database.host: is not a valid host name (RFC 1123): label "db_1" has "_"; labels use letters, digits and "-" @4:13',
    ]);
  });
  test('IP addresses and a trailing dot are fine for a host; templates are left to the chart', () => {
    for (const host of ['10.0.0.5', 'fd00::5', 'db.internal.', '"{{ .Release.Name }}-db"']) {
      expect(findings('hosts', `api:\n  config:\n    database:\n      host: ${host}\n`)).toEqual([]);
    }
  });
  test('ingress hosts: lower case only, a leading wildcard allowed', () => {
    expect(findings('hosts', 'ingress:\n  hosts: ["*.shop.example", Shop.example, -bad.example]\n')).toEqual([
      'error ingress.hosts[1]: is not a valid host name (RFC 1123): label "Shop" has upper-case letters; Kubernetes wants lower case @2:29',
      'error ingress.hosts[2]: is not a valid host name (RFC 1123): label "-bad" starts or ends with "-" @2:43',
    ]);
  });
  test('the host inside a URL', () => {
    expect(
      findings('hosts', 'api:\n  config:\n    upstream:\n      url: http://web..internal:8080\n'),
    ).toEqual([
      'error api.config.upstream.url: has host "web..internal", which is not a valid host name (RFC 1123): it has an empty label (two dots in a row, or a dot at an end) @4:12',
    ]);
  });
  test('a label longer than 63 characters', () => {
    const long = 'a'.repeat(64);
    expect(findings('hosts', `api:\n  config:\n    database:\n      host: ${long}.example\n`)).toEqual([
      `error api.config.database.host: is not a valid host name (RFC 1123): label "${'a'.repeat(20)}…" is 64 characters long, at most 63 are allowed @4:13`,
    ]);
  });
});

describe('grace: terminationGracePeriodSeconds > config.server.shutdownTimeoutSeconds', () => {
  const pod = (grace: number, shutdown?: number) =>
    `api:\n  terminationGracePeriodSeconds: ${grace}\n` +
    (shutdown === undefined ? '' : `  config:\n    server:\n      shutdownTimeoutSeconds: ${shutdown}\n`);
  test('a grace period equal to the shutdown timeout is an error at the grace period', () => {
    expect(findings('grace', pod(20, 20))).toEqual([
      'error api.terminationGracePeriodSeconds: must be greater than config.server.shutdownTimeoutSeconds (20), or Kubernetes kills the pod before in-flight requests finish @2:34',
    ]);
  });
  test('one second more passes', () => {
    expect(findings('grace', pod(21, 20))).toEqual([]);
  });
  test('without a timeout in the values or a default in the schema there is nothing to compare', () => {
    expect(findings('grace', pod(1))).toEqual([]);
  });
});

describe('faults: the test-only switch stays off in production', () => {
  test('on in production is an error', () => {
    expect(findings('faults', production('  config:\n    faults:\n      enabled: true\n'))).toEqual([
      'error api.config.faults.enabled: must be false in production: the fault switch is for alert tests only @8:16',
    ]);
  });
  test('on in staging is allowed (that is what it is for)', () => {
    expect(
      findings(
        'faults',
        'global:\n  environment: staging\napi:\n  config:\n    faults:\n      enabled: true\n',
      ),
    ).toEqual([]);
  });
  test('set with --set, the finding names the argument', () => {
    expect(findings('faults', production(), ['api.config.faults.enabled=true'])).toEqual([
      'error api.config.faults.enabled: must be false in production: the fault switch is for alert tests only @--set',
    ]);
  });
});

describe('merge: what Helm only logs while merging', () => {
  test('a mapping over a single value, and a single value over a mapping, are warnings where no schema speaks', () => {
    expect(findings('merge', 'api:\n  replicaCount: {a: 1}\n  resources:\n    requests: 5\n')).toEqual([
      'warning api.replicaCount: is a mapping where the chart has a single value; the chart value was ignored @2:17',
      'warning api.resources.requests: is not a mapping, so the mapping it replaces was ignored @4:15',
    ]);
  });
});
