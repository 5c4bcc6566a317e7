// What each piece of the request pipeline costs: one server per variant (middleware-server.ts),
// same JSON body, same wrk load. Compare each row with "bare".
import path from 'node:path';
import { bestOf, freePort, root, scratchDir, type BenchOptions } from './context';
import { startProcess } from './proc';
import { toRow, type Row } from './service';
import { runWrk } from './wrk';

export const VARIANTS = [
  'bare',
  'request-id',
  'helmet-per-request',
  'helmet-precomputed',
  'helmet-precomputed-flat-list',
  'histogram-label-object',
  'histogram-cached-child',
  'pino-http',
  'hand-written-log',
  'runtime-logs-off',
  'runtime-logs-on',
];

export async function benchMiddleware(o: BenchOptions): Promise<Row[]> {
  // BENCH_VARIANTS=bare,pino-http limits the run to those variants.
  const only = process.env.BENCH_VARIANTS?.split(',');
  const variants = only ? VARIANTS.filter((v) => only.includes(v)) : VARIANTS;
  const dir = scratchDir('middleware');
  const rows: Row[] = [];
  for (let round = 0; round < o.rounds; round++)
    for (const variant of variants) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}/products`;
      const server = await startProcess({
        command: process.execPath,
        // tsx as a loader in the server's own process (its CLI would add a parent process).
        args: ['--import', 'tsx', path.join(__dirname, 'middleware-server.ts'), variant, String(port)],
        cwd: root,
        env: {
          PATH: process.env.PATH ?? '',
          NODE_ENV: 'production',
          TSX_TSCONFIG_PATH: path.join(root, 'tsconfig.tests.json'),
        },
        readyUrl: url,
        logFile: path.join(dir, 'server.log'),
      });
      try {
        await runWrk({ url, connections: o.connections, durationSec: 2 });
        // RSS is not reported here: tsx compiles in the server process and dominates its memory.
        const w = await runWrk({ url, connections: o.connections, durationSec: o.durationSec });
        const row = toRow(variant, w);
        console.log(JSON.stringify(row));
        rows.push(row);
      } finally {
        await server.stop();
      }
    }
  return bestOf(rows);
}
