// Loopback port checks: a component that cannot bind its port fails minutes later in a log file,
// so the ports are tried before anything starts and a busy one is named.
import net from 'node:net';
import type { ClusterPorts } from './settings';

/** Resolves true when 127.0.0.1:port can be bound right now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Throws naming every busy port and the component that needs it. */
export async function assertPortsFree(ports: ClusterPorts): Promise<void> {
  const busy: string[] = [];
  for (const [component, port] of Object.entries(ports)) {
    if (!(await portIsFree(port))) busy.push(`127.0.0.1:${port} (${component})`);
  }
  if (busy.length > 0) {
    throw new Error(
      `port in use: ${busy.join(', ')}. Stop what listens there (\`ss -ltnp\` shows it), ` +
        'or pick other ports with TECHCOMMERCE_CLUSTER_PORT_BASE=<port> (six consecutive ports are used).',
    );
  }
}

/** A base port whose next six ports are all free (for throwaway clusters such as the tests'). */
export async function findFreePortBase(from = 47000, to = 60000): Promise<number> {
  // Start at a random step so two test runs at once rarely race for the same block.
  const steps = Math.floor((to - from) / 10);
  const first = Math.floor(Math.random() * steps);
  for (let i = 0; i < steps; i++) {
    const base = from + ((first + i) % steps) * 10;
    let ok = true;
    for (let p = base; p < base + 6 && ok; p++) ok = await portIsFree(p);
    if (ok) return base;
  }
  throw new Error(`no block of six free loopback ports between ${from} and ${to}`);
}
