// `--help` and `-h` for every npm script: called first thing in each entry point, before anything
// is read, built or written, it prints the script's usage and exits 0. Arguments after a bare
// `--` belong to a program the script runs (jest, helm) and are left to it.
import fs from 'node:fs';

export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const own = end < 0 ? argv : argv.slice(0, end);
  return own.includes('--help') || own.includes('-h');
}

/** Prints `usage` and exits 0 when `argv` asks for help; returns otherwise. */
export function answerHelp(argv: readonly string[], usage: string): void {
  if (!wantsHelp(argv)) return;
  // Written synchronously: process.exit would cut an asynchronous write to a pipe short.
  fs.writeSync(1, usage.endsWith('\n') ? usage : `${usage}\n`);
  process.exit(0);
}
