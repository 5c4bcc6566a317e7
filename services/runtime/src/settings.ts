// TypeScript shapes of the shared definitions in schemas/defs/runtime.schema.json. Each service's
// generated config type contains these blocks; passing `config.server` etc. to the runtime makes
// the compiler check that the two still agree.
export interface ServerSettings {
  port: number;
  managementPort?: number;
  bodyLimit?: string;
  shutdownTimeoutSeconds?: number;
  drainDelaySeconds?: number;
  readinessTimeoutMs?: number;
}

export interface LogSettings {
  level?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  requests?: boolean;
}

export interface DatabaseSettings {
  driver?: 'postgres' | 'pglite';
  host?: string;
  port?: number;
  name?: string;
  user?: string;
  sslMode?: 'disable' | 'require' | 'verify-full';
  sslRootCertFile?: string;
  poolMax?: number;
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
  migrateOnStart?: boolean;
  pgliteDataDir?: string;
}

/** What every service config has; services add their own blocks. */
export interface BaseConfig {
  server: ServerSettings;
  log?: LogSettings;
}

/** "100kb" -> 102400. The schema's pattern already guarantees the shape. */
export function parseByteSize(text: string): number {
  const m = /^([0-9]+)(b|kb|mb)$/.exec(text);
  if (!m) throw new Error(`not a byte size: ${JSON.stringify(text)} (expected e.g. 512b, 100kb, 1mb)`);
  const unit = m[2] === 'mb' ? 1024 * 1024 : m[2] === 'kb' ? 1024 : 1;
  return Number(m[1]) * unit;
}
