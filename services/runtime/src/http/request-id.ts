// Request ids: accept the caller's x-request-id when it looks like an id (so one id follows a
// request across services), otherwise make one. Echoed on the response and forwarded downstream.
import { randomUUID } from 'node:crypto';
import type { RequestContext } from './types';

export const REQUEST_ID_HEADER = 'x-request-id';
const SAFE = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && SAFE.test(header) ? header : randomUUID();
}

/** Headers to add to an outgoing call made while serving ctx. */
export function forwardHeaders(ctx: Pick<RequestContext, 'requestId'>): Record<string, string> {
  return { [REQUEST_ID_HEADER]: ctx.requestId };
}

/** fetch() that carries the current request's id to the service it calls. */
export function fetchWithRequestId(
  ctx: Pick<RequestContext, 'requestId'>,
  input: string | URL,
  init: RequestInit = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set(REQUEST_ID_HEADER, ctx.requestId);
  return fetch(input, { ...init, headers });
}
