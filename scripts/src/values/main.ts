#!/usr/bin/env node
// Entry point of `npm run values` and of the `techcommerce-values` bin.
import { run } from './cli';

if (require.main === module) {
  // npm runs scripts from the package root; INIT_CWD is where the user typed the command.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd, env: process.env }).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`values: ${String((err as Error)?.message ?? err)}\n`);
      process.exitCode = 2;
    },
  );
}
