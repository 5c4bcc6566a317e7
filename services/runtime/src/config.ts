// Config = one JSON file (env CONFIG_FILE, the chart's ConfigMap) validated against the service's
// schema, with the schema's defaults filled in. Secrets never come from that file: each is read
// from env NAME or from the file named by env NAME_FILE (a mounted Kubernetes Secret key).
import Ajv, { type ErrorObject } from 'ajv';
import fs from 'node:fs';
import { describeAjvErrors } from './validation';

export type Env = Record<string, string | undefined>;

/** Start-up configuration is wrong: the message lists every problem, one per line. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface LoadConfigOptions {
  /** Service name, used in messages. */
  service: string;
  /** The service's self-contained config schema (src/generated/config.schema.json). */
  schema: object;
  env?: Env;
  /** Config given directly (tests); otherwise read from env CONFIG_FILE, or {} without it. */
  config?: unknown;
}

export function loadConfig<C>(options: LoadConfigOptions): C {
  const env = options.env ?? process.env;
  let source = 'defaults (CONFIG_FILE not set)';
  let data: unknown = {};
  if (options.config !== undefined) {
    source = 'the given config';
    data = structuredClone(options.config);
  } else if (env.CONFIG_FILE) {
    source = env.CONFIG_FILE;
    data = readJsonFile(options.service, env.CONFIG_FILE);
  }
  return validateConfig<C>(options.service, options.schema, data, source);
}

function readJsonFile(service: string, file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${service}: cannot read CONFIG_FILE ${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${service}: CONFIG_FILE ${file} is not valid JSON: ${(err as Error).message}`);
  }
}

const validators = new WeakMap<object, ReturnType<Ajv['compile']>>();

export function validateConfig<C>(service: string, schema: object, data: unknown, source: string): C {
  let validate = validators.get(schema);
  if (!validate) {
    const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true, allowUnionTypes: true });
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  if (!validate(data)) {
    const lines = formatErrors(validate.errors ?? []).map((l) => `  - ${l}`);
    throw new ConfigError(`${service}: invalid config in ${source}:\n${lines.join('\n')}`);
  }
  return data as C;
}

/** Ajv errors as "path: problem", one per bad path. */
export function formatErrors(errors: ErrorObject[]): string[] {
  return describeAjvErrors(errors).map((e) => `${e.field}: ${e.message}`);
}

/**
 * A secret from env NAME, or from the file named by env NAME_FILE (trailing newline removed).
 * Setting both is refused, so a stale value can never silently win.
 */
export function readSecret(name: string, env: Env = process.env): string | undefined {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if (direct && file) throw new ConfigError(`${name}: set either ${name} or ${name}_FILE, not both`);
  if (file) {
    let value: string;
    try {
      value = fs.readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      throw new ConfigError(`${name}_FILE=${file}: cannot read the secret: ${(err as Error).message}`);
    }
    if (!value) throw new ConfigError(`${name}_FILE=${file}: the secret file is empty`);
    return value;
  }
  return direct || undefined;
}

export type Secrets<N extends string> = Partial<Record<N, string>>;

export function readSecrets<N extends string>(names: readonly N[], env: Env = process.env): Secrets<N> {
  const out: Secrets<N> = {};
  for (const n of names) {
    const v = readSecret(n, env);
    if (v !== undefined) out[n] = v;
  }
  return out;
}
