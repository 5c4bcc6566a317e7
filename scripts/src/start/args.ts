// `npm start [-- --port-offset N]`: the command line of the local stack.
import { DEFAULT_PORTS, SERVICES, type ServiceName } from './stack';

export const USAGE = `usage: npm start [-- --port-offset N]
  Builds the three services if needed, then starts product-api, order-api and the storefront on
  the embedded database (PGlite) with the demo catalog, each once the one it calls is ready, and
  prints their URLs. Ctrl-C stops all three.
  --port-offset N   add N to every port (default ports: ${SERVICES.map((s) => `${s} ${DEFAULT_PORTS[s]}`).join(', ')}),
                    to run beside something that already uses them
  -h, --help        this text`;

export class StartUsageError extends Error {
  override name = 'StartUsageError';
}

export interface StartArgs {
  ports: Record<ServiceName, number>;
}

export function parseStartArgs(argv: readonly string[]): StartArgs {
  let offset = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--port-offset' || a.startsWith('--port-offset=')) {
      const raw = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (raw === undefined || !/^\d+$/.test(raw)) {
        throw new StartUsageError(
          `--port-offset needs a whole number of 0 or more (got ${raw ?? 'nothing'})`,
        );
      }
      offset = Number(raw);
    } else {
      throw new StartUsageError(`unknown argument ${a}`);
    }
  }
  const ports = Object.fromEntries(SERVICES.map((s) => [s, DEFAULT_PORTS[s] + offset])) as Record<
    ServiceName,
    number
  >;
  const highest = Math.max(...Object.values(ports));
  if (highest > 65535) {
    throw new StartUsageError(`--port-offset ${offset} puts a port at ${highest}, above 65535`);
  }
  return { ports };
}
