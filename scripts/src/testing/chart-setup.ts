// jest globalSetup of the projects that hand chart folders to helm, ct and untt (charts,
// monitoring): the charts' file:// dependencies are built once, before any worker starts.
import path from 'node:path';
import { ensureChartDependencies } from '../charts/dependencies';

export const UMBRELLA_DIR = path.resolve(__dirname, '../../../charts/techcommerce');

export default function chartSetup(): void {
  // The umbrella depends on every other chart, so this builds all of them (leaves first).
  ensureChartDependencies(UMBRELLA_DIR, { log: (line) => process.stderr.write(`[charts setup] ${line}\n`) });
}
