// `npm test`: make sure the toolchain is installed (cached after the first run), then run every
// jest project once and print the summary line CI reads: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { answerHelp } from '../cli/help';
import { toolEnv } from '../tools/env';

const root = path.resolve(__dirname, '../../..');
const reports = path.join(root, '.reports');
const resultsFile = path.join(reports, 'jest.json');

const USAGE = `usage: npm test [-- <jest arguments>]      (or npm run test:unit: the same without the toolchain)
  Installs the pinned toolchain first (npm run tools; cached after the first run), then runs every
  jest project once and prints the summary line CI reads: "N passed, N failed".
  --skip-tools         do not install the toolchain (what test:unit passes)
  -- <jest arguments>  passed to jest, e.g. npm test -- --selectProjects values`;

function main(argv: string[]): number {
  answerHelp(argv, USAGE);
  const skipTools = argv.includes('--skip-tools');
  const jestArgs = argv.filter((a) => a !== '--skip-tools');
  const env = toolEnv();

  if (!skipTools) {
    const tools = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'scripts/src/tools/main.ts'], {
      cwd: root,
      env,
      stdio: 'inherit',
    });
    if (tools.status !== 0) {
      console.error('npm test: the toolchain could not be installed (see above); no tests were run.');
      console.log('0 passed, 1 failed');
      return 1;
    }
  }

  fs.mkdirSync(reports, { recursive: true });
  fs.rmSync(resultsFile, { force: true });
  const jest = spawnSync(
    process.execPath,
    [require.resolve('jest/bin/jest'), '--json', `--outputFile=${resultsFile}`, ...jestArgs],
    { cwd: root, env, stdio: 'inherit' },
  );

  if (!fs.existsSync(resultsFile)) {
    console.error('npm test: jest wrote no results file; counting the run as one failure.');
    console.log('0 passed, 1 failed');
    return jest.status || 1;
  }
  const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numRuntimeErrorTestSuites: number;
    success: boolean;
  };
  // A suite that fails to load has no tests to count: count it as a failure so it cannot hide.
  const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
  console.log(`${results.numPassedTests} passed, ${failed} failed`);
  return results.success && jest.status === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
