// Where the toolchain lives and the environment that puts it first on PATH.
import os from 'node:os';
import path from 'node:path';

export function cacheDir(): string {
  return process.env.TECHCOMMERCE_CACHE ?? path.join(os.homedir(), '.cache', 'techcommerce');
}

export function binDir(): string {
  return path.join(cacheDir(), 'bin');
}

export function toolEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const PATH = [binDir(), base.PATH ?? ''].filter(Boolean).join(path.delimiter);
  return { ...base, PATH, TECHCOMMERCE_CACHE: cacheDir() };
}
