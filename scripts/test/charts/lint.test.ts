// `helm lint --strict` of every chart with each of its values files, under helm v3 and helm v4:
// one test per chart and Helm major, listing every values file that failed.
import { CHARTS, HELMS, runTool, valuesFilesFor } from './helpers';

describe.each(HELMS)('$label lint --strict', ({ bin }) => {
  it.each(CHARTS.map((chart) => ({ chart, files: valuesFilesFor(chart) })))(
    'charts/$chart with its defaults and every values file it is deployed with',
    ({ chart, files }) => {
      const failures: string[] = [];
      for (const file of files) {
        const args = ['lint', '--strict', `charts/${chart}`, ...(file ? ['-f', file] : [])];
        const r = runTool(bin, args);
        if (r.status !== 0) failures.push(`${file ?? 'defaults'}:\n${r.stdout}${r.stderr}`);
        else expect(r.stdout).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
      }
      expect(failures).toEqual([]);
    },
  );
});
