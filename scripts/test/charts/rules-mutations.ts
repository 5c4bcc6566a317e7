// Mutations of an environment file (values/*.yaml) for the rules conformance test: each is an
// overlay given after the file (`-f env -f overlay`), aimed at one semantic rule (both sides of
// its boundary where there is one) or, drawn with a seeded generator, at the schema: a leaf of
// the file with the wrong type, or an unknown key in one of its mappings.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { random } from '../values/generate-inputs';
import { repoRoot } from './helpers';

export interface Mutation {
  name: string;
  overlay: Record<string, unknown>;
}

type Json = Record<string, unknown>;
const SERVICES = ['frontend', 'product-api', 'order-api'] as const;
const APIS = ['product-api', 'order-api'] as const;
const DIGEST = `sha256:${'0'.repeat(64)}`;

const isMap = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const readYaml = (file: string): Json => (parse(fs.readFileSync(file, 'utf8')) as Json | null) ?? {};

/** The chart's plaintext secret keys (its values.yaml `secrets` block, but existingSecret). */
function secretKeys(service: string): string[] {
  const values = readYaml(path.join(repoRoot, 'charts', service, 'values.yaml'));
  return Object.keys(isMap(values.secrets) ? values.secrets : {}).filter((k) => k !== 'existingSecret');
}

function dig(v: unknown, ...keys: string[]): unknown {
  return keys.reduce<unknown>((cur, k) => (isMap(cur) ? cur[k] : undefined), v);
}

/** `{a: {b: v}}` from a path and a value. */
function at(keys: readonly string[], value: unknown): Json {
  return keys.reduceRight<unknown>((inner, k) => ({ [k]: inner }), value) as Json;
}

function leaves(v: unknown, prefix: string[] = []): { path: string[]; value: unknown }[] {
  if (!isMap(v)) return prefix.length ? [{ path: prefix, value: v }] : [];
  return Object.entries(v).flatMap(([k, x]) => leaves(x, [...prefix, k]));
}

function mappings(v: unknown, prefix: string[] = []): string[][] {
  if (!isMap(v)) return [];
  return [prefix, ...Object.entries(v).flatMap(([k, x]) => mappings(x, [...prefix, k]))];
}

/** Rule-aimed and seeded schema mutations of one environment file. */
export function mutationsOf(envFile: string, seed: number, schemaCases = 2): Mutation[] {
  const env = readYaml(path.join(repoRoot, envFile));
  const environment = String(dig(env, 'global', 'environment') ?? 'development');
  const rand = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const out: Mutation[] = [];
  const add = (name: string, overlay: Json) => out.push({ name, overlay });
  /** One mutation of a service drawn from `among`, named after it. */
  const onOne = (among: readonly string[], name: string, overlay: (s: string) => Json) => {
    const s = pick(among);
    add(`${s}: ${name}`, overlay(s));
  };

  // grace: the boundary from both sides, and against the timeout's schema default (20 s).
  const g = pick(SERVICES);
  add(`${g}: grace period equal to the shutdown timeout`, {
    [g]: { terminationGracePeriodSeconds: 25, config: { server: { shutdownTimeoutSeconds: 25 } } },
  });
  add(`${g}: grace period one second above the shutdown timeout`, {
    [g]: { terminationGracePeriodSeconds: 26, config: { server: { shutdownTimeoutSeconds: 25 } } },
  });
  onOne(SERVICES, 'grace period equal to the default shutdown timeout', (s) =>
    at([s, 'terminationGracePeriodSeconds'], 20),
  );
  // autoscaling and pdb
  onOne(SERVICES, 'HPA minReplicas above maxReplicas', (s) =>
    at([s, 'autoscaling'], { enabled: true, minReplicas: 4, maxReplicas: 3 }),
  );
  onOne(SERVICES, 'pdb with minAvailable and maxUnavailable', (s) =>
    at([s, 'pdb'], { enabled: true, minAvailable: 1, maxUnavailable: 1 }),
  );
  onOne(SERVICES, 'pdb that never allows an eviction', (s) =>
    at([s], {
      replicaCount: 2,
      autoscaling: { enabled: false },
      pdb: { enabled: true, minAvailable: '100%', maxUnavailable: null },
    }),
  );
  // requests above limits, a second listener on the server port, a host name that is not one
  onOne(SERVICES, 'cpu request above its limit', (s) =>
    at([s, 'resources'], { requests: { cpu: '2' }, limits: { cpu: '1' } }),
  );
  onOne(SERVICES, 'sidecar on the server port', (s) => {
    const port =
      dig(env, s, 'config', 'server', 'port') ??
      dig(readYaml(path.join(repoRoot, 'charts', s, 'values.yaml')), 'config', 'server', 'port');
    const sidecar = { name: 'sidecar', image: 'busybox:1.36', ports: [{ containerPort: port }] };
    return at([s, 'extraContainers'], [sidecar]);
  });
  onOne(APIS, 'database host that is not a host name', (s) =>
    at([s, 'database', 'external', 'host'], 'Bad_Host.internal'),
  );
  // images: a digest alone pins; latest in any case never does; no tag and no digest
  onOne(SERVICES, 'image pinned by digest alone', (s) => at([s, 'image'], { tag: null, digest: DIGEST }));
  onOne(SERVICES, 'image tag LATEST', (s) => at([s, 'image', 'tag'], 'LATEST'));
  onOne(SERVICES, 'image without tag or digest', (s) => at([s, 'image', 'tag'], null));
  // secrets: a plaintext value next to existingSecret; one without it
  const s = pick(SERVICES);
  const key = pick(secretKeys(s));
  add(`${s}: plaintext secrets.${key} next to existingSecret`, {
    [s]: { secrets: { existingSecret: `${s}-credentials`, [key]: 'plaintext-value-0123456789abcdef0123' } },
  });
  add(`${s}: plaintext secrets.${key} without existingSecret`, {
    [s]: { secrets: { existingSecret: null, [key]: 'plaintext-value-0123456789abcdef0123' } },
  });
  // config values the chart writes from global
  const other = environment === 'staging' ? 'production' : 'staging';
  onOne(SERVICES, 'config.environment differs from global.environment', (x) =>
    at([x, 'config', 'environment'], other),
  );
  // the database: keys database.mode owns, and a pool too big for the server
  onOne(APIS, 'config.database.host under database.mode', (x) =>
    at([x, 'config', 'database', 'host'], 'db.example.internal'),
  );
  onOne(APIS, 'a pool too big for the server', (x) => at([x, 'config', 'database', 'poolMax'], 100));
  // the test-only fault switch
  add(`product-api: fault switch on`, at(['product-api', 'config', 'faults', 'enabled'], true));

  // schema: a leaf of the file with the wrong type, an unknown key in one of its mappings
  const all = leaves(env);
  for (let i = 0; i < schemaCases && all.length; i++) {
    const leaf = pick(all);
    const wrong =
      typeof leaf.value === 'string' ? 12345 : typeof leaf.value === 'number' ? 'twelve' : 'maybe';
    add(`${leaf.path.join('.')} set to ${JSON.stringify(wrong)}`, at(leaf.path, wrong));
  }
  const maps = mappings(env).filter((p) => p.length > 0);
  for (let i = 0; i < schemaCases && maps.length; i++) {
    const m = pick(maps);
    add(`unknown key under ${m.join('.')}`, at([...m, 'unknwnKey'], 1));
  }
  return out;
}
