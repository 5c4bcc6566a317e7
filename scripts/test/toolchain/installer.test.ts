// The installer's decisions (cached, built, rebuilt when stale, adopted from PATH, failed) with
// scratch tools: small shell scripts stand in for the real binaries, so this runs in a second.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../src/tools/exec';
import { install } from '../../src/tools/installer';
import { aptStep } from '../../src/tools/steps/debian';
import { type Context, link, type Step, toolDir } from '../../src/tools/tool';

function scratchContext(extraPath: string[] = []): Context {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-installer-'));
  const bin = path.join(cache, 'bin');
  return {
    cache,
    bin,
    tools: path.join(cache, 'tools'),
    env: { ...process.env, PATH: [bin, ...extraPath, '/usr/bin', '/bin'].join(path.delimiter) },
    isRoot: false,
  };
}

function script(file: string, prints: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `#!/bin/sh\necho "${prints}"\n`, { mode: 0o755 });
  return file;
}

/** A step that "builds" a script printing `prints` and counts its builds. */
function scratchStep(
  name: string,
  version: string,
  opts: { prints?: string; flags?: string; adopt?: boolean } = {},
) {
  const step: Step & { builds: number; flags: string } = {
    name,
    version,
    bins: [name],
    builds: 0,
    flags: opts.flags ?? '-s -w',
    adoptFromPath: opts.adopt,
    inputs() {
      return { flags: step.flags };
    },
    probes: [{ bin: name, args: ['--version'] }],
    install(ctx) {
      step.builds += 1;
      link(ctx, name, script(path.join(toolDir(ctx, step), name), `${name} ${opts.prints ?? version}`));
    },
  };
  return step;
}

const quiet = () => undefined;
const statuses = (ctx: Context, steps: Step[]) =>
  install(ctx, steps, quiet).map((o) => `${o.step}:${o.status}`);

describe('installer with scratch tools (shell scripts standing in for binaries)', () => {
  it('builds once, then reports cached without building again', () => {
    const ctx = scratchContext();
    const tool = scratchStep('tool', 'v1.2.3');
    expect(statuses(ctx, [tool])).toEqual(['tool:built']);
    expect(statuses(ctx, [tool])).toEqual(['tool:cached']);
    expect(tool.builds).toBe(1);
  });

  it('rebuilds when the installed binary no longer reports the pinned version', () => {
    const ctx = scratchContext();
    const tool = scratchStep('tool', 'v1.2.3');
    install(ctx, [tool], quiet);
    script(path.join(toolDir(ctx, tool), 'tool'), 'tool v1.2.2');
    expect(statuses(ctx, [tool])).toEqual(['tool:built']);
    expect(tool.builds).toBe(2);
    expect(run('test', path.join(ctx.bin, 'tool'), ['--version']).trim()).toBe('tool v1.2.3');
  });

  it('rebuilds when a build input changes (e.g. ldflags), even though the version still matches', () => {
    const ctx = scratchContext();
    const tool = scratchStep('tool', 'v1.2.3');
    install(ctx, [tool], quiet);
    tool.flags = '-s -w -X main.version=v1.2.3';
    expect(statuses(ctx, [tool])).toEqual(['tool:built']);
    expect(tool.builds).toBe(2);
  });

  it('links a tool already on PATH when it is exactly the pinned version, and builds otherwise', () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-path-'));
    script(path.join(elsewhere, 'good'), 'good v2.0.0');
    script(path.join(elsewhere, 'old'), 'old v1.9.0');
    const ctx = scratchContext([elsewhere]);
    const good = scratchStep('good', 'v2.0.0', { adopt: true });
    const old = scratchStep('old', 'v2.0.0', { adopt: true });
    expect(statuses(ctx, [good, old])).toEqual(['good:on PATH', 'old:built']);
    expect(fs.readlinkSync(path.join(ctx.bin, 'good'))).toBe(path.join(elsewhere, 'good'));
    expect(good.builds).toBe(0);
  });

  it('reports a failing command with its output tail, and still installs the next tool', () => {
    const ctx = scratchContext();
    const broken: Step = {
      ...scratchStep('broken', 'v1.0.0'),
      install: () => void run('broken', 'sh', ['-c', 'echo compiling; echo "undefined: foo" >&2; exit 2']),
    };
    const lines: string[] = [];
    const outcomes = install(ctx, [broken, scratchStep('next', 'v1.0.0')], (l) => lines.push(l));
    expect(outcomes.map((o) => o.status)).toEqual(['failed', 'built']);
    const report = lines.join('\n');
    expect(report).toMatch(/^broken v1\.0\.0 failed \d+s$/m);
    expect(report).toContain('broken: `sh -c \'echo compiling; echo "undefined: foo" >&2; exit 2\'` failed');
    expect(report).toContain('exited 2');
    expect(report).toContain('undefined: foo');
  });

  it('fails a build whose result does not report the pinned version (e.g. missing ldflags)', () => {
    const ctx = scratchContext();
    const [outcome] = install(ctx, [scratchStep('kube', 'v1.34.4', { prints: 'v0.0.0-master' })], quiet);
    expect(outcome?.status).toBe('failed');
    expect(outcome?.error).toContain('kube reports 0.0.0-master, pinned 1.34.4');
  });

  it('prints one progress line per tool: name, version, cached|built, seconds', () => {
    const ctx = scratchContext();
    const tool = scratchStep('tool', 'v1.2.3');
    install(ctx, [tool], quiet);
    const lines: string[] = [];
    install(ctx, [tool], (l) => lines.push(l));
    expect(lines).toEqual(['tool v1.2.3 cached 0s']);
  });
});

describe('Debian package step', () => {
  it('when the package is missing and this is not root, fails naming the sudo apt-get command', () => {
    const ctx = scratchContext();
    const [outcome] = install(ctx, [aptStep('tc-no-such-package', [])], quiet);
    expect(outcome?.status).toBe('failed');
    expect(outcome?.error).toContain('`sudo apt-get install -y tc-no-such-package` failed');
    expect(outcome?.error).toContain('this is not root');
  });

  it('counts an installed package as cached without a stamp', () => {
    const ctx = scratchContext();
    // dpkg itself is installed on every Debian system this runs on.
    expect(statuses(ctx, [aptStep('dpkg', [])])).toEqual(['dpkg:cached']);
  });
});
