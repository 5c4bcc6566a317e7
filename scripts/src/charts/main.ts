// `npm run chart:deps` and `npm run chart:package`: build the charts' file:// dependencies, and
// package a chart (the umbrella by default) into an archive for `helm install` or a registry.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureChartDependencies } from './dependencies';
import { packageChart } from './package';

const repoRoot = path.resolve(__dirname, '../../..');
const UMBRELLA = path.join(repoRoot, 'charts', 'techcommerce');
const DEFAULT_DESTINATION = path.join(repoRoot, '.reports', 'charts');

const USAGE = {
  deps: `usage: npm run chart:deps -- [--chart DIR]
  Builds the file:// dependencies of a chart (default: charts/techcommerce, and through it every
  chart it depends on) with \`helm dependency build\`, offline; does nothing when they are current.
  --chart DIR      the chart (repeatable)
  --helm BIN       the helm binary (default: the toolchain's, else helm on PATH)`,
  package: `usage: npm run chart:package -- [--chart DIR] [--destination DIR]
  Builds the chart's dependencies, then \`helm package\`s it; prints the archive's path.
  --chart DIR         the chart (default: charts/techcommerce)
  --destination DIR   where the archive goes (default: .reports/charts)
  --version V         set the chart version (default: Chart.yaml's)
  --app-version V     set appVersion (default: Chart.yaml's)
  --helm BIN          the helm binary (default: the toolchain's, else helm on PATH)`,
};

type Command = keyof typeof USAGE;

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  if (command !== 'deps' && command !== 'package') {
    process.stderr.write(`${USAGE.deps}\n\n${USAGE.package}\n`);
    return command === '--help' || command === '-h' ? 0 : 2;
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        chart: { type: 'string', multiple: true },
        destination: { type: 'string' },
        version: { type: 'string' },
        'app-version': { type: 'string' },
        helm: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE[command as Command]}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE[command]}\n`);
    return 0;
  }
  const charts = (values.chart ?? [UMBRELLA]).map((c) => path.resolve(c));
  for (const chart of charts) {
    if (!fs.existsSync(path.join(chart, 'Chart.yaml'))) {
      process.stderr.write(`${chart}: not a chart (no Chart.yaml)\n`);
      return 2;
    }
  }
  if (command === 'deps') {
    for (const chart of charts) {
      const built = ensureChartDependencies(chart, { helm: values.helm });
      if (built.length === 0)
        process.stderr.write(`${path.relative(process.cwd(), chart)}: dependencies are current\n`);
    }
    return 0;
  }
  if (charts.length > 1) {
    process.stderr.write('package takes one --chart\n');
    return 2;
  }
  const archive = packageChart(charts[0] as string, {
    destination: path.resolve(values.destination ?? DEFAULT_DESTINATION),
    version: values.version,
    appVersion: values['app-version'],
    helm: values.helm,
  });
  process.stdout.write(`${archive}\n`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 1;
}
