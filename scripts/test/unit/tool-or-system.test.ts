import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toolOrSystem } from '../../src/tools/paths';

describe('toolOrSystem (deploy uses the user’s kubectl when the toolchain has none)', () => {
  const saved = { cache: process.env.TECHCOMMERCE_CACHE, PATH: process.env.PATH };
  let tmp: string;
  const exe = (dir: string, name: string) => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, name), '#!/bin/sh\n', { mode: 0o755 });
    return path.join(dir, name);
  };

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-tool-'));
    process.env.TECHCOMMERCE_CACHE = path.join(tmp, 'cache');
    process.env.PATH = path.join(tmp, 'system');
  });
  afterEach(() => {
    process.env.TECHCOMMERCE_CACHE = saved.cache;
    process.env.PATH = saved.PATH;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('prefers the toolchain binary', () => {
    exe(path.join(tmp, 'system'), 'kubectl');
    const cached = exe(path.join(tmp, 'cache', 'bin'), 'kubectl');
    expect(toolOrSystem('kubectl')).toBe(cached);
  });

  it('falls back to the one on PATH', () => {
    const system = exe(path.join(tmp, 'system'), 'kubectl');
    expect(toolOrSystem('kubectl')).toBe(system);
  });

  it('names `npm run tools` when neither exists', () => {
    expect(() => toolOrSystem('kubectl')).toThrow(/npm run tools/);
  });
});
