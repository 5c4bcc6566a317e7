// Each service maps its own domain errors to problem responses (a function err -> HttpError, or
// err unchanged); this wraps a handler so whatever it throws passes through that mapping.
import type { Handler } from './types';

export const withProblemMapping =
  (toHttpError: (err: unknown) => unknown) =>
  (handler: Handler): Handler =>
  async (ctx) => {
    try {
      return await handler(ctx);
    } catch (err) {
      throw toHttpError(err);
    }
  };
