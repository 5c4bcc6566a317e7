// The database rules give the same verdict in the values CLI and in `helm template` (the schema
// and the charts' _validate.tpl): every shared case goes through both, with real helm v3 and v4.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadChart } from '../../src/values/chart';
import { validate } from '../../src/values/validate';
import { toolEnv } from '../../src/tools/env';
import { databaseCases, overProduction } from './database-cases';
import { helmBinary, repoRoot, scratchDir } from './helpers';

const run = promisify(execFile);
const chartDir = path.join(repoRoot, 'charts', 'techcommerce');
const chart = loadChart(chartDir, 'charts/techcommerce');
const productionFile = path.join(repoRoot, 'values', 'production.yaml');
const scratch = scratchDir('values-database-verdicts');
afterAll(() => scratch.remove());

async function helmVerdict(major: 3 | 4, files: string[]): Promise<{ refused: boolean; stderr: string }> {
  const args = ['template', 'shop', chartDir, '--namespace', 'store'];
  for (const f of files) args.push('-f', f);
  try {
    await run(helmBinary(major), args, { env: toolEnv(), maxBuffer: 64 << 20 });
    return { refused: false, stderr: '' };
  } catch (err) {
    const e = err as { stderr?: string };
    if (e.stderr === undefined) throw err;
    return { refused: true, stderr: e.stderr };
  }
}

describe.each([3, 4] as const)('helm v%s and the values CLI agree on the database rules', (major) => {
  test.each(databaseCases)('$name', async ({ name, refusedBy, yaml }) => {
    const file = scratch.write(`${major}-${databaseCases.findIndex((c) => c.name === name)}.yaml`, yaml);
    const files = [...(overProduction.has(name) ? [productionFile] : []), file];
    const cli = validate({ chart, files: files.map((f) => ({ path: f, display: path.basename(f) })) });
    const helm = await helmVerdict(major, files);
    // Both refuse or both accept, and the case says which.
    expect({ helm: helm.refused, cli: cli.errors > 0 }).toEqual({
      helm: refusedBy !== null,
      cli: refusedBy !== null,
    });
    if (refusedBy === 'connections')
      expect(helm.stderr).toMatch(/can open \d+ connections|server connections/);
    if (refusedBy === 'database') expect(helm.stderr).toMatch(/remove it|must be on|postgresql\.databases\./);
  });
});
