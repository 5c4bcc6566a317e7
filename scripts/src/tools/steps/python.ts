// yamllint and yamale (ct shells out to both) from PyPI, in one virtualenv under the cache so
// the system Python is left alone; <cache>/bin links to the venv's console scripts, whose
// shebangs point at the venv's interpreter.
import fs from 'node:fs';
import path from 'node:path';
import { run, ToolError } from '../exec';
import { versions } from '../manifest';
import { type Context, link, type Step } from '../tool';

const venv = (ctx: Context) => path.join(ctx.tools, 'python-venv');
const python = (ctx: Context) => path.join(venv(ctx), 'bin', 'python');

function ensureVenv(ctx: Context, tool: string): void {
  if (fs.existsSync(python(ctx))) return;
  try {
    run(tool, 'python3', ['-m', 'venv', venv(ctx)], { env: ctx.env });
  } catch (e) {
    fs.rmSync(venv(ctx), { recursive: true, force: true });
    if (!(e instanceof ToolError)) throw e;
    // Debian splits venv support out of python3; say so instead of leaving ensurepip's riddle.
    throw new ToolError(tool, e.command, `${e.detail}\n(on Debian: apt-get install python3-venv)`);
  }
}

function pipInstall(ctx: Context, tool: string, requirement: string): void {
  ensureVenv(ctx, tool);
  run(tool, python(ctx), ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', requirement], {
    env: ctx.env,
  });
}

function pythonStep(name: 'yamllint' | 'yamale', version: string): Step {
  return {
    name,
    version,
    bins: [name],
    verb: 'installed',
    inputs: () => ({ requirement: `${name}==${version}` }),
    probes: [{ bin: name, args: ['--version'] }],
    install(ctx) {
      pipInstall(ctx, name, `${name}==${version}`);
      link(ctx, name, path.join(venv(ctx), 'bin', name));
    },
  };
}

export const yamllint = pythonStep('yamllint', versions.yamllint);
export const yamale = pythonStep('yamale', versions.yamale);
