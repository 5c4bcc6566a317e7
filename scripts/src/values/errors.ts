// Errors that stop a run before any validation: the CLI prints them and exits 2.
import type { Position } from './model';

/** Bad command line (unknown flag, missing argument, bad --set syntax). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A file that cannot be used as input: missing, unreadable, bad YAML, not a mapping. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly position?: Position,
  ) {
    super(`${file}${position ? `:${position.line}:${position.col}` : ''}: ${detail}`);
  }
}
