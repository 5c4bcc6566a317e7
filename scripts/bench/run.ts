// `npm run bench -- <product-api|order-api|middleware> [--duration=10] [--connections=50] [--rounds=1]
//   [--compare=<checkout> [--compare-config=<json>]]`
// `npm run bench -- values [--rounds=15] [--iterations=50]`: the values CLI (scripts/bench/values.ts).`
// --rounds: run each scenario that many times, interleaved, and keep the best (other processes
// on the machine only ever slow a run down).
// --compare (order-api): also measure another checkout of the repository whose services are built
// (e.g. `git archive <commit>` into a folder, then `tsc -b`), in the same interleaved rounds;
// --compare-config: JSON merged into that checkout's order-api config.
// Benchmarks are measurements, not tests: they print a table and write .reports/bench-<name>.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { reportsDir, stopBenchDatabase, type BenchOptions } from './context';
import { benchMiddleware } from './middleware';
import { benchOrderApi } from './order-api';
import { benchProductApi } from './product-api';
import type { Row } from './service';
import { answerHelp } from '../src/cli/help';
import { main as benchValues } from './values';
import { requireWrk } from './wrk';

const suites: Record<string, (o: BenchOptions) => Promise<Row[]>> = {
  'product-api': benchProductApi,
  'order-api': benchOrderApi,
  middleware: benchMiddleware,
};

function compareOption(argv: string[]): BenchOptions['compare'] {
  const dirs = argv.filter((a) => a.startsWith('--compare=')).map((a) => a.slice('--compare='.length));
  const raw = argv.find((a) => a.startsWith('--compare-config='))?.slice('--compare-config='.length);
  let config: Record<string, unknown> = {};
  if (raw !== undefined) {
    try {
      config = JSON.parse(raw) as Record<string, unknown>;
    } catch (err) {
      throw new Error(`--compare-config is not JSON: ${(err as Error).message}`);
    }
  }
  return dirs.map((d) => {
    const checkout = path.resolve(d);
    if (!fs.existsSync(path.join(checkout, 'services', 'order-api', 'dist', 'main.js')))
      throw new Error(`--compare=${d}: no built services/order-api/dist/main.js there (run tsc -b in it)`);
    return { checkout, config };
  });
}

function usage(): string {
  return `usage: npm run bench -- <${Object.keys(suites).join('|')}> [--duration=10] [--connections=50] [--rounds=1] [--compare=<checkout> [--compare-config=<json>]]
       npm run bench -- values [--rounds=15] [--iterations=50]
Measurements, not tests: each prints a table with the load average and writes .reports/bench-<name>.json.`;
}

function option(argv: string[], name: string, fallback: number): number {
  const a = argv.find((x) => x.startsWith(`--${name}=`));
  const n = a ? Number(a.split('=')[1]) : fallback;
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

async function main(argv: string[]): Promise<number> {
  answerHelp(argv, usage());
  const names = argv.filter((a) => !a.startsWith('--'));
  // The values CLI is measured as processes started from a shell, not with wrk.
  if (names.length === 1 && names[0] === 'values') return benchValues(argv);
  const unknown = names.filter((n) => !suites[n]);
  if (names.length === 0 || unknown.length) {
    console.error(usage());
    return 2;
  }
  requireWrk();
  const o: BenchOptions = {
    durationSec: option(argv, 'duration', 10),
    connections: option(argv, 'connections', 50),
    rounds: option(argv, 'rounds', 1),
    compare: compareOption(argv),
  };
  fs.mkdirSync(reportsDir, { recursive: true });
  try {
    for (const name of names) {
      // Other work on the machine skews every number: record how busy it was.
      const loadBefore = os.loadavg()[0]!.toFixed(2);
      const rows = await suites[name]!(o);
      const loadAfter = os.loadavg()[0]!.toFixed(2);
      const when = new Date().toISOString();
      const cores = os.cpus().length;
      console.log(
        `\n${name} (${o.connections} connections, ${o.durationSec} s, wrk; ${cores} cores, load ${loadBefore} -> ${loadAfter}; ${when})`,
      );
      console.table(rows);
      const file = path.join(reportsDir, `bench-${name}.json`);
      const report = { options: o, when, cores, loadAverage: { before: loadBefore, after: loadAfter }, rows };
      fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
      console.log(`written: ${path.relative(process.cwd(), file)}`);
    }
  } finally {
    stopBenchDatabase();
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: Error) => {
    console.error(`bench: ${err.message}`);
    stopBenchDatabase();
    process.exitCode = 1;
  },
);
