// Request bodies: JSON (APIs) or HTML form posts (the storefront), size-limited while streaming (a lying or missing Content-Length
// cannot get past the limit), parse errors reported without echoing internals.
import type { IncomingMessage } from 'node:http';
import { HttpError, problemType } from './problem';

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    req.once('error', reject);
    // A client that goes away mid-body must not leave the request (and a graceful shutdown) waiting.
    req.once('close', () => {
      if (!req.complete)
        reject(new HttpError(400, 'the client closed the connection before the body was complete'));
    });
  });
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, `request body is larger than the limit of ${limit} bytes`, {
    type: problemType('body-too-large'),
    extensions: { limit },
  });
}

export function parseJsonBody(req: IncomingMessage, raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const type = req.headers['content-type'] ?? '';
  const mediaType = type.split(';', 1)[0]!.trim().toLowerCase();
  // An HTML form post: fields become an object of strings (arrays for repeated names).
  if (mediaType === 'application/x-www-form-urlencoded') return parseQuery(raw.toString('utf8'));
  if (mediaType !== 'application/json' && !mediaType.endsWith('+json')) {
    throw new HttpError(
      415,
      `send the body as application/json or application/x-www-form-urlencoded (got ${JSON.stringify(type || 'no Content-Type')})`,
    );
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new HttpError(400, `request body is not valid JSON: ${(err as Error).message}`, {
      type: problemType('malformed-json'),
      title: 'Malformed JSON',
    });
  }
}

/** a=1&b=x&b=y -> { a: '1', b: ['x', 'y'] } */
export function parseQuery(qs: string): Record<string, unknown> {
  // No prototype: a "__proto__" parameter stays an ordinary key.
  const out: Record<string, unknown> = Object.create(null);
  if (!qs) return out;
  for (const [k, v] of new URLSearchParams(qs)) {
    const prev = out[k];
    if (prev === undefined) out[k] = v;
    else if (Array.isArray(prev)) prev.push(v);
    else out[k] = [prev, v];
  }
  return out;
}
