// Test helpers: a log sink that keeps the JSON lines, and a minimal config schema.
import { Writable } from 'node:stream';

export class LogSink extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    for (const l of chunk.toString('utf8').split('\n')) if (l.trim()) this.lines.push(JSON.parse(l));
    done();
  }
}

/** Mirrors a service schema built from schemas/defs (server + log). */
export const testSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    server: {
      type: 'object',
      additionalProperties: false,
      default: { port: 0 },
      properties: {
        port: { type: 'integer', minimum: 0, maximum: 65535 },
        bodyLimit: { type: 'string', default: '1kb' },
        shutdownTimeoutSeconds: { type: 'integer', default: 5 },
        drainDelaySeconds: { type: 'integer', default: 0 },
        readinessTimeoutMs: { type: 'integer', default: 200 },
      },
      required: ['port'],
    },
    log: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        level: { enum: ['debug', 'info', 'warn'], default: 'info' },
        requests: { type: 'boolean', default: true },
      },
    },
  },
  required: ['server'],
};

/** Database settings for a postgres:// URL from the test harness (trust auth: no password). */
export function postgresSettings(url: string) {
  const u = new URL(url);
  return {
    driver: 'postgres' as const,
    host: u.hostname,
    port: Number(u.port || 5432),
    name: u.pathname.slice(1),
    user: decodeURIComponent(u.username),
    poolMax: 10,
  };
}
