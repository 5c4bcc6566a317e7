// `npm run tools [-- --only helm,untt]`: installs the pinned toolchain into <cache> (see
// docs/toolchain.md). Exit 1 when any tool failed, after trying all of them.
import os from 'node:os';
import path from 'node:path';
import { answerHelp } from '../cli/help';
import { select } from './catalog';
import { binDir, cacheDir, toolEnv } from './env';
import { install } from './installer';
import type { Context } from './tool';

function parseOnly(argv: string[]): string | undefined {
  const i = argv.findIndex((a) => a === '--only' || a.startsWith('--only='));
  if (i < 0) return undefined;
  const arg = argv[i] as string;
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[i + 1];
}

function main(argv: string[]): number {
  answerHelp(argv, 'usage: npm run tools [-- --only name,name] [-- --list]');
  if (argv.includes('--list')) {
    for (const s of select(undefined))
      console.log(`${s.name} ${s.version} → ${s.bins.join(' ') || '(files)'}`);
    return 0;
  }
  const steps = select(parseOnly(argv));
  const ctx: Context = {
    cache: cacheDir(),
    bin: binDir(),
    tools: path.join(cacheDir(), 'tools'),
    env: toolEnv(),
    isRoot: os.userInfo().uid === 0,
  };
  const started = Date.now();
  console.log(`tools: ${steps.length} tool(s) into ${ctx.cache}`);
  const outcomes = install(ctx, steps);
  const count = (s: string) => outcomes.filter((o) => o.status === s).length;
  const failed = outcomes.filter((o) => o.status === 'failed');
  const secs = Math.round((Date.now() - started) / 1000);
  console.log(
    `tools: ${outcomes.length - failed.length} ready (${count('built')} built, ${count('cached')} cached, ${count('on PATH')} on PATH) in ${secs}s`,
  );
  if (failed.length > 0) {
    console.error(`tools: FAILED: ${failed.map((f) => f.step).join(', ')} (details above)`);
    return 1;
  }
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  console.error(`tools: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
}
