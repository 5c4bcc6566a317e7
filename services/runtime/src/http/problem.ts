// RFC 9457 problem details: every error a client sees is application/problem+json with a type,
// title, status and detail; never a stack trace.
import { STATUS_CODES } from 'node:http';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

/** Problem types specific to TechCommerce; plain HTTP errors use about:blank. */
export const problemType = (slug: string) => `urn:techcommerce:problem:${slug}`;

/** Throw from a handler to answer with a problem response. */
export class HttpError extends Error {
  readonly status: number;
  readonly problem: Problem;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    detail?: string,
    options: {
      type?: string;
      title?: string;
      extensions?: Record<string, unknown>;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(detail ?? STATUS_CODES[status] ?? `HTTP ${status}`);
    this.status = status;
    this.headers = options.headers ?? {};
    this.problem = {
      ...options.extensions,
      type: options.type ?? 'about:blank',
      title: options.title ?? STATUS_CODES[status] ?? 'Error',
      status,
      ...(detail === undefined ? {} : { detail }),
    };
  }
}

export interface FieldError {
  /** Where the bad value is: "query.limit", "body.items[0].quantity", "path.id". */
  field: string;
  message: string;
}

export function validationError(errors: FieldError[]): HttpError {
  const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  return new HttpError(400, detail, {
    type: problemType('validation'),
    title: 'Request is not valid',
    extensions: { errors },
  });
}
