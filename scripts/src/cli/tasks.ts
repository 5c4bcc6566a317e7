// `npm run build|typecheck|lint|format|clean`: each is one or a few tools run in order (stopping
// at the first that fails), named here once so that `--help` answers for them like every other
// script instead of reaching the tools (`tsc -b --help` would still build nothing, but
// `eslint . && prettier --check . --help` lints the whole tree first).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { answerHelp } from './help';

const root = path.resolve(__dirname, '../../..');

const TASKS: Record<string, { summary: string; steps: string[][] }> = {
  build: { summary: 'compile every workspace (incremental; emits dist/)', steps: [['tsc', '-b']] },
  lint: {
    summary: 'ESLint on the whole repository, then Prettier in check mode (`npm run format` fixes it)',
    steps: [
      ['eslint', '.'],
      ['prettier', '--check', '.'],
    ],
  },
  typecheck: {
    summary: 'tsc -b (every workspace, emits dist/), then the tests and benchmarks with tsconfig.tests.json',
    steps: [
      ['tsc', '-b'],
      ['tsc', '-p', 'tsconfig.tests.json'],
    ],
  },
  format: { summary: 'rewrite every file Prettier formats', steps: [['prettier', '--write', '.']] },
  clean: { summary: 'delete what build emitted', steps: [['tsc', '-b', '--clean']] },
};

function usage(name: string | undefined): string {
  const names = name && TASKS[name] ? [name] : Object.keys(TASKS);
  return names
    .map((n) => {
      const t = TASKS[n]!;
      return `usage: npm run ${n}\n  ${t.summary}\n  runs: ${t.steps.map((s) => s.join(' ')).join(' && ')}`;
    })
    .join('\n\n');
}

function main(argv: string[]): number {
  const [name, ...rest] = argv;
  answerHelp(rest, usage(name));
  const task = name ? TASKS[name] : undefined;
  if (!task || rest.length > 0) {
    console.error(usage(undefined));
    return 2;
  }
  for (const [tool, ...args] of task.steps) {
    const bin = path.join(root, 'node_modules', '.bin', tool!);
    const r = spawnSync(bin, args, { cwd: root, stdio: 'inherit' });
    if (r.error) throw r.error;
    if (r.status !== 0) return r.status ?? 1;
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
