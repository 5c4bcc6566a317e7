// `npm run tools` a second time (npm test has just run it) builds nothing: every tool says cached.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { steps } from '../../src/tools/catalog';
import { toolEnv } from '../../src/tools/paths';

const root = path.resolve(__dirname, '../../..');

describe('npm run tools, run again', () => {
  it('reports every tool cached and builds nothing', () => {
    const r = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'scripts/src/tools/main.ts'], {
      cwd: root,
      env: toolEnv(),
      encoding: 'utf8',
      timeout: 110_000,
    });
    const output = `${r.stdout}${r.stderr}`;
    for (const step of steps) {
      expect(output).toMatch(new RegExp(`^${step.name} \\S+ cached \\d+s$`, 'm'));
    }
    expect(output).not.toMatch(/ (building|installing|generating)…$/m);
    expect(output).toMatch(
      new RegExp(`^tools: ${steps.length} ready \\(0 built, ${steps.length} cached, 0 on PATH\\)`, 'm'),
    );
    expect(r.status).toBe(0);
  }, 120_000);
});
