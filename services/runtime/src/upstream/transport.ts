// One HTTP exchange on node:http with a keep-alive agent. Measured here, node:http costs about half
// the CPU per call of the global fetch (undici) for small JSON answers, and this is the hot path of
// every order: see services/runtime/README.md.
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';

export interface Exchange {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: Buffer;
  signal: AbortSignal;
  /** Answers larger than this are refused (a misbehaving upstream must not exhaust memory). */
  maxBodyBytes: number;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The answer was larger than maxBodyBytes. */
export class ResponseTooLarge extends Error {}

export function createAgent(url: URL, maxSockets: number): http.Agent {
  // lifo reuses the most recently used sockets, so idle ones age out instead of all staying warm;
  // idle sockets close after 30 s, well before a peer's keep-alive timeout (runtime servers: 65 s)
  // could close one under a request.
  const options = { keepAlive: true, maxSockets, scheduling: 'lifo' as const, timeout: 30_000 };
  return url.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
}

export function exchange(agent: http.Agent, x: Exchange): Promise<RawResponse> {
  const lib = x.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...x.headers };
    if (x.body) headers['content-length'] = x.body.length;
    const req = lib.request(x.url, { method: x.method, headers, agent, signal: x.signal }, (res) => {
      const declared = Number(res.headers['content-length']);
      if (declared > x.maxBodyBytes) {
        res.destroy();
        reject(new ResponseTooLarge(`answer of ${declared} bytes is over the ${x.maxBodyBytes} byte limit`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > x.maxBodyBytes) {
          res.destroy(new ResponseTooLarge(`answer is over the ${x.maxBodyBytes} byte limit`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks, size) }),
      );
      res.on('error', reject);
      res.on('close', () => {
        if (!res.complete) reject(Object.assign(new Error('the answer was cut off'), { code: 'ECONNRESET' }));
      });
    });
    req.on('error', reject);
    req.end(x.body);
  });
}
