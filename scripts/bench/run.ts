// `npm run bench -- <product-api|order-api|middleware> [--duration=10] [--connections=50] [--rounds=1]`
// --rounds: run each scenario that many times, interleaved, and keep the best (other processes
// on the machine only ever slow a run down).
// Benchmarks are measurements, not tests: they print a table and write .reports/bench-<name>.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { reportsDir, stopBenchDatabase, type BenchOptions } from './context';
import { benchMiddleware } from './middleware';
import { benchOrderApi } from './order-api';
import { benchProductApi } from './product-api';
import type { Row } from './service';
import { requireWrk } from './wrk';

const suites: Record<string, (o: BenchOptions) => Promise<Row[]>> = {
  'product-api': benchProductApi,
  'order-api': benchOrderApi,
  middleware: benchMiddleware,
};

function option(argv: string[], name: string, fallback: number): number {
  const a = argv.find((x) => x.startsWith(`--${name}=`));
  const n = a ? Number(a.split('=')[1]) : fallback;
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

async function main(argv: string[]): Promise<number> {
  const names = argv.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !suites[n]);
  if (names.length === 0 || unknown.length) {
    console.error(
      `usage: npm run bench -- <${Object.keys(suites).join('|')}> [--duration=10] [--connections=50] [--rounds=1]`,
    );
    return 2;
  }
  requireWrk();
  const o: BenchOptions = {
    durationSec: option(argv, 'duration', 10),
    connections: option(argv, 'connections', 50),
    rounds: option(argv, 'rounds', 1),
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
