#!/usr/bin/env node
// Entry point of the `techcommerce-values` bin (scripts/package.json `bin`, linked by `npm ci`;
// `npm run values` calls it): compiled JavaScript run by node, no TypeScript loader at run time.
import path from 'node:path';
import { ensureFresh } from '../cli/fresh-build';
import type { run as Run } from './cli';

function main(): void {
  // npm runs scripts from the package root; INIT_CWD is where the user typed the command.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const dist = path.dirname(__dirname);
  try {
    // Only the compiled bin (dist/values/main.js) can be older than its sources.
    if (path.basename(dist) === 'dist') ensureFresh(dist, ['values', 'cli']);
  } catch (err) {
    process.stderr.write(`values: ${(err as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  // Loaded after the freshness check, so a rebuilt checkout runs the new code.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { run } = require('./cli') as { run: typeof Run };
  run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd, env: process.env }).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`values: ${String((err as Error)?.message ?? err)}\n`);
      process.exitCode = 2;
    },
  );
}

if (require.main === module) main();
