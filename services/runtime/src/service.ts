// A service = name + config schema + secrets + routes + readiness checks + shutdown hooks.
// createService() assembles one without listening (tests); runService() is a main.js: listen,
// log readiness, and shut down gracefully on SIGTERM/SIGINT.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { DestinationStream, Logger } from 'pino';
import { ConfigError, loadConfig, readSecrets, type Env, type Secrets } from './config';
import type { ReadinessCheck } from './health';
import { createApp, type App } from './http/app';
import type { RequestListener } from './http/fallback';
import type { OpenApiDocument } from './http/openapi';
import type { HelmetOptions } from './http/security-headers';
import type { Route } from './http/types';
import { createLogger } from './logger';
import { createRegistry, type Registry } from './metrics';
import type { BaseConfig } from './settings';

export interface SetupContext<C, S extends string> {
  config: C;
  secrets: Secrets<S>;
  logger: Logger;
  registry: Registry;
  env: Env;
}

export interface ServiceParts {
  routes: Route[];
  checks?: ReadinessCheck[];
  /** When given: served at /openapi.json and used to validate every route's requests. */
  openapi?: OpenApiDocument;
  /** Run after the last request finished, in reverse order (e.g. close the database pool). */
  onShutdown?: (() => Promise<void> | void)[];
  /** Serves every request no route matches (an Express app of HTML pages); see http/fallback.ts. */
  fallback?: RequestListener;
}

export interface ServiceDefinition<C extends BaseConfig, S extends string = never> {
  name: string;
  /** Self-contained JSON Schema of the config (src/generated/config.schema.json). */
  configSchema: object;
  /** Secret names read from env NAME or the file in NAME_FILE. */
  secrets?: readonly S[];
  securityHeaders?: HelmetOptions;
  setup(ctx: SetupContext<C, S>): Promise<ServiceParts> | ServiceParts;
}

export interface CreateOptions {
  env?: Env;
  /** Use this config instead of reading CONFIG_FILE (tests). */
  config?: unknown;
  logDestination?: DestinationStream;
}

export interface ServiceInstance<C> {
  name: string;
  config: C;
  logger: Logger;
  registry: Registry;
  app: App;
  /**
   * Listens on the port (default config.server.port; 0 picks a free one), and with
   * server.managementPort the management server on managementPort (default that setting; 0 picks
   * one; see managementAddress()).
   */
  listen(port?: number, host?: string, managementPort?: number): Promise<AddressInfo>;
  /** Where /healthz, /readyz and /metrics are served when they have their own port. */
  managementAddress(): AddressInfo | undefined;
  /**
   * Graceful shutdown: readiness fails, (after the drain delay) the listener closes, in-flight
   * requests finish, keep-alive connections close, hooks run. Resolves true when everything
   * finished within server.shutdownTimeoutSeconds, false when it had to cut connections.
   */
  shutdown(options?: { drainDelayMs?: number }): Promise<boolean>;
}

export async function createService<C extends BaseConfig, S extends string = never>(
  def: ServiceDefinition<C, S>,
  options: CreateOptions = {},
): Promise<ServiceInstance<C>> {
  const env = options.env ?? process.env;
  const config = loadConfig<C>({ service: def.name, schema: def.configSchema, env, config: options.config });
  const secrets = readSecrets(def.secrets ?? [], env);
  const logger = createLogger({
    service: def.name,
    settings: config.log,
    destination: options.logDestination,
  });
  const registry = createRegistry();
  const parts = await def.setup({ config, secrets, logger, registry, env });
  const hooks = parts.onShutdown ?? [];
  let app: App;
  try {
    app = createApp({
      service: def.name,
      server: config.server,
      log: config.log,
      logger,
      registry,
      routes: parts.routes,
      checks: parts.checks,
      openapi: parts.openapi,
      securityHeaders: def.securityHeaders,
      fallback: parts.fallback,
    });
  } catch (err) {
    await runHooks(hooks, logger);
    throw err;
  }

  let shuttingDown: Promise<boolean> | undefined;
  const shutdownTimeoutMs = (config.server.shutdownTimeoutSeconds ?? 20) * 1000;

  async function drainAndClose(drainDelayMs: number): Promise<boolean> {
    const deadline = Date.now() + shutdownTimeoutMs;
    app.readiness.startDraining();
    // Responses now carry Connection: close, so keep-alive clients reconnect (to pods that stay)
    // during the drain delay instead of idling on a connection the listener's close would cut.
    app.startClosing();
    logger.info({ drainDelayMs, inFlight: app.inFlight() }, 'shutdown: readiness now fails; draining');
    if (drainDelayMs > 0) await sleep(Math.min(drainDelayMs, shutdownTimeoutMs));
    const closed = new Promise<void>((resolve) => {
      if (!app.server.listening) return resolve();
      app.server.close(() => resolve());
    });
    // Idle keep-alive connections close now; busy ones close after their response (Connection: close).
    app.server.closeIdleConnections();
    const remaining = Math.max(0, deadline - Date.now());
    const inTime = await Promise.race([closed.then(() => true), sleep(remaining).then(() => false)]);
    if (!inTime) {
      logger.error({ inFlight: app.inFlight() }, 'shutdown: timed out; closing the remaining connections');
      app.server.closeAllConnections();
    }
    // Probes and Prometheus saw "draining" until now; nothing is served any more.
    app.managementServer?.close();
    app.managementServer?.closeAllConnections();
    const hooksInTime = await runHooks(hooks, logger, deadline);
    const clean = inTime && hooksInTime;
    logger.info({ clean }, 'shutdown: done');
    return clean;
  }

  return {
    name: def.name,
    config,
    logger,
    registry,
    app,
    async listen(port = config.server.port, host?: string, managementPort = config.server.managementPort) {
      const address = await listenOn(app.server, port, host);
      if (app.managementServer) await listenOn(app.managementServer, managementPort ?? 0, host);
      return address;
    },
    managementAddress() {
      return (app.managementServer?.address() ?? undefined) as AddressInfo | undefined;
    },
    shutdown(opts = {}) {
      shuttingDown ??= drainAndClose(opts.drainDelayMs ?? 0);
      return shuttingDown;
    },
  };
}

function listenOn(server: Server, port: number, host: string | undefined): Promise<AddressInfo> {
  return new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * Runs the hooks in reverse order, each within what is left until `deadline` (ms since the epoch):
 * a hook still running then is logged and left behind, so a stuck pool or background round cannot
 * hold the process past the shutdown deadline. False when one was left behind.
 */
async function runHooks(
  hooks: (() => Promise<void> | void)[],
  logger: Logger,
  deadline = Number.POSITIVE_INFINITY,
): Promise<boolean> {
  let inTime = true;
  for (const [i, hook] of [...hooks].reverse().entries()) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      logger.error({ skipped: hooks.length - i }, 'shutdown: deadline passed; remaining hooks skipped');
      return false;
    }
    try {
      const run = Promise.resolve().then(hook);
      const finished = await Promise.race([run.then(() => true), sleep(remaining).then(() => false)]);
      if (!finished) {
        logger.error({ hook: hooks.length - 1 - i }, 'shutdown hook did not finish by the deadline');
        inTime = false;
        run.catch(() => undefined);
      }
    } catch (err) {
      logger.error({ err }, 'shutdown hook failed');
    }
  }
  return inTime;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/**
 * The body of a service's main.js. Exits 1 with a readable message when the config is invalid,
 * 0 after a clean graceful shutdown, 1 when the shutdown timed out.
 */
export async function runService<C extends BaseConfig, S extends string>(
  def: ServiceDefinition<C, S>,
): Promise<void> {
  let service: ServiceInstance<C>;
  try {
    service = await createService(def);
    const addr = await service.listen();
    service.logger.info(
      {
        port: addr.port,
        managementPort: service.managementAddress()?.port,
        startupMs: Math.round(performance.now()),
        pid: process.pid,
      },
      `${def.name} ready`,
    );
  } catch (err) {
    exitOnStartupError(def.name, err);
    return;
  }
  const { logger } = service;
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      logger.warn({ signal }, 'second signal: exiting now');
      logger.flush();
      process.exit(1);
    }
    logger.info({ signal }, 'shutdown requested');
    // Kubernetes sends SIGTERM while it is still removing the pod from Service endpoints: keep
    // serving for the drain delay. Ctrl-C (SIGINT) on a laptop needs no such wait.
    const drainDelayMs = signal === 'SIGTERM' ? (service.config.server.drainDelaySeconds ?? 3) * 1000 : 0;
    void service.shutdown({ drainDelayMs }).then((clean) => exit(logger, clean ? 0 : 1));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled promise rejection');
    exit(logger, 1);
  });
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    exit(logger, 1);
  });
}

function exit(logger: Logger, code: number): void {
  logger.flush(() => process.exit(code));
  setTimeout(() => process.exit(code), 1000).unref();
}

/** Config problems print as they are (they are written for people); anything else with its stack. */
export function exitOnStartupError(name: string, err: unknown): void {
  if (err instanceof ConfigError) console.error(err.message);
  else
    console.error(
      `${name}: start-up failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
  // stderr is synchronous for files and pipes, so the message is out before the exit. Exit now:
  // a half-opened pool or embedded database would otherwise keep the process alive.
  process.exit(1);
}
