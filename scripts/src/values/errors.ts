// Errors that stop a run before any validation. A UsageError or an unusable input (missing or
// unreadable path) exits 2; a file that is read but cannot be parsed (SourceErrors) is invalid
// values, reported like any other finding (exit 1).
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

/** One place in a file that cannot be read as values (YAML syntax, duplicate key, …). */
export interface Fault {
  file: string;
  line: number;
  col: number;
  message: string;
  /** The line and a caret under the column, for people. */
  frame: [string, string];
}

/** Every fault found in one file (not only the first), each with its own position. */
export class SourceErrors extends InputError {
  override name = 'SourceErrors';
  constructor(readonly faults: readonly Fault[]) {
    const first = faults[0] as Fault;
    super(first.file, first.message, { line: first.line, col: first.col });
    this.message = faults.map((f) => `${f.file}:${f.line}:${f.col}: ${f.message}`).join('\n');
  }
}
