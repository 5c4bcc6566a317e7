// Runs the toolchain steps in order: each is cached (stamp current and the binary reports the
// pinned version), adopted from PATH, or built; one progress line each; failures are collected
// so one broken tool does not hide the state of the others.
import fs from 'node:fs';
import path from 'node:path';
import { ToolError } from './exec';
import { acquire } from './lock';
import { inputsHash, readStamp, stampIsCurrent, writeStamp } from './stamp';
import { type Context, link, type Step, verify } from './tool';

export interface Outcome {
  step: string;
  status: 'cached' | 'built' | 'on PATH' | 'failed';
  seconds: number;
  error?: string;
}

function stampFile(ctx: Context, step: Step): string {
  return path.join(ctx.cache, 'stamps', `${step.name}.json`);
}

/** Links a binary from PATH (outside <cache>/bin) when it is exactly the pinned version. */
function adopt(ctx: Context, step: Step): boolean {
  if (!step.adoptFromPath || step.bins.length !== 1) return false;
  const name = step.bins[0] as string;
  const dirs = (ctx.env.PATH ?? '').split(path.delimiter).filter((d) => d && path.resolve(d) !== ctx.bin);
  const found = dirs.map((d) => path.join(d, name)).find((f) => fs.existsSync(f));
  if (!found) return false;
  link(ctx, name, found);
  if (verify(ctx, step) === undefined) return true;
  fs.rmSync(path.join(ctx.bin, name), { force: true });
  return false;
}

function runStep(ctx: Context, step: Step, log: (line: string) => void): Outcome {
  const started = Date.now();
  const seconds = () => Math.round((Date.now() - started) / 1000);
  const release = acquire(path.join(ctx.cache, 'locks', `${step.name}.lock`), (pid) =>
    log(`${step.name} ${step.version} waiting for another npm run tools (pid ${pid})…`),
  );
  try {
    const inputs = inputsHash({ version: step.version, inputs: step.inputs(ctx) });
    const stamp = readStamp(stampFile(ctx, step));
    const current = step.stampless || stampIsCurrent(stamp, step.name, step.version, inputs);
    if (current && verify(ctx, step) === undefined) {
      return { step: step.name, status: 'cached', seconds: seconds() };
    }
    let how: Outcome['status'] = 'on PATH';
    if (!adopt(ctx, step)) {
      const doing = { built: 'building', installed: 'installing', generated: 'generating' }[
        step.verb ?? 'built'
      ];
      log(`${step.name} ${step.version} ${stamp ? `${doing} again (stale)` : doing}…`);
      step.install(ctx);
      const problem = verify(ctx, step);
      if (problem) throw new ToolError(step.name, 'check after install', problem);
      how = 'built';
    }
    writeStamp(stampFile(ctx, step), {
      tool: step.name,
      version: step.version,
      inputs,
      how,
      at: new Date().toISOString(),
    });
    return { step: step.name, status: how, seconds: seconds() };
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    return { step: step.name, status: 'failed', seconds: seconds(), error };
  } finally {
    release();
  }
}

export function install(ctx: Context, steps: Step[], log: (line: string) => void = console.log): Outcome[] {
  fs.mkdirSync(ctx.bin, { recursive: true });
  const outcomes: Outcome[] = [];
  for (const step of steps) {
    const outcome = runStep(ctx, step, log);
    const verb = outcome.status === 'built' ? (step.verb ?? 'built') : outcome.status;
    log(`${step.name} ${step.version} ${verb} ${outcome.seconds}s`);
    if (outcome.error) log(`  ${outcome.error.replace(/\n/g, '\n  ')}`);
    outcomes.push(outcome);
  }
  return outcomes;
}
