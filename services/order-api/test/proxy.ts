// A real HTTP proxy between order-api and product-api that a test scripts per request: pass it on,
// answer in its place, never answer, cut the connection, hold the request back before product-api
// sees it, or hold product-api's answer back after product-api has acted on the request. Faults are injected on the wire, not by mocking fetch.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Behaviour =
  | { kind: 'pass' }
  | { kind: 'answer'; status: number; body?: unknown }
  | { kind: 'hang' }
  | { kind: 'reset' }
  /** Forward, let product-api act, then hold its answer back this long. */
  | { kind: 'late'; ms: number }
  /** Hold the request back this long, then forward it. */
  | { kind: 'delayed'; ms: number };

export interface Seen {
  method: string;
  path: string;
  requestId?: string;
}

export class FaultProxy {
  /** Decides per request; `pass` unless a test says otherwise. */
  rule: (req: Seen) => Behaviour = () => ({ kind: 'pass' });
  readonly seen: Seen[] = [];
  private server?: http.Server;
  private readonly agent = new http.Agent({ keepAlive: true });

  constructor(private readonly target: string) {}

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  count(method: string, prefix: string): number {
    return this.seen.filter((s) => s.method === method && s.path.startsWith(prefix)).length;
  }

  async close(): Promise<void> {
    this.agent.destroy();
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const rid = req.headers['x-request-id'];
    const seen = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      requestId: typeof rid === 'string' ? rid : undefined,
    };
    this.seen.push(seen);
    const b = this.rule(seen);
    if (b.kind === 'hang') return;
    if (b.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (b.kind === 'answer') {
      const text = JSON.stringify(b.body ?? { type: 'about:blank', title: 'Injected', status: b.status });
      res.writeHead(b.status, {
        'content-type': 'application/problem+json',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
      return;
    }
    const upstream = http.request(
      new URL(seen.path, this.target),
      { method: seen.method, headers: req.headers, agent: this.agent },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const send = () => {
            if (res.destroyed) return;
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(chunks));
          };
          if (b.kind === 'late') setTimeout(send, b.ms);
          else send();
        });
      },
    );
    upstream.on('error', () => res.destroy());
    if (b.kind !== 'delayed') {
      req.pipe(upstream);
      return;
    }
    const body: Buffer[] = [];
    req.on('data', (c: Buffer) => body.push(c));
    req.on('end', () => setTimeout(() => upstream.end(Buffer.concat(body)), b.ms));
  }
}
