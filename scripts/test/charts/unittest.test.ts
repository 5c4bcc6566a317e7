// helm-unittest (`untt`, standalone): one jest test per suite file, so a failing behaviour is
// named by its suite. Each suite must run at least one test and pass all of them.
import fs from 'node:fs';
import path from 'node:path';
import { CHARTS, chartsDir, runTool } from './helpers';

const suites = CHARTS.flatMap((chart) => {
  const dir = path.join(chartsDir, chart, 'tests');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('_test.yaml'))
    .sort()
    .map((file) => ({ chart, file }));
});

describe('helm-unittest', () => {
  it('has suites for every installable chart', () => {
    const covered = new Set(suites.map((s) => s.chart));
    expect(CHARTS.filter((c) => c !== 'common' && !covered.has(c))).toEqual([]);
  });

  it.each(suites)('charts/$chart/tests/$file', ({ chart, file }) => {
    // --with-subchart=false: the umbrella's subcharts are charts that run their own suites here.
    const r = runTool('untt', [
      '--strict',
      '--color=false',
      '--with-subchart=false',
      '-f',
      `tests/${file}`,
      `charts/${chart}`,
    ]);
    const summary = /Tests:\s+(?:(\d+) failed, )?(?:(\d+) errored, )?(\d+) passed, (\d+) total/.exec(
      r.stdout,
    );
    if (r.status !== 0 || !summary)
      throw new Error(`untt failed for charts/${chart}/tests/${file}:\n${r.stdout}${r.stderr}`);
    expect(Number(summary[4])).toBeGreaterThan(0);
    expect(Number(summary[3])).toBe(Number(summary[4]));
  });
});
