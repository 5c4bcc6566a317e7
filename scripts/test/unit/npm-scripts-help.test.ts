// Every npm script in package.json answers --help and -h: exit 0, a usage text, and nothing
// changed in the working tree (before, `npm run generate -- --help` rewrote 16 files and
// `monitoring --help` and `bench --help` exited 2).
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, '../../..');
const commands = (
  JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;
const scripts = Object.keys(commands);
// -h for one script per program (the same program answers both flags through one helper).
const onePerProgram = [
  ...new Map(scripts.map((s) => [(commands[s] as string).split(' ').slice(0, 2).join(' '), s])).values(),
];
const gitStatus = () =>
  execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });

jest.setTimeout(300_000);

interface Answer {
  script: string;
  flag: string;
  code: number;
  stdout: string;
  stderr: string;
}

/** Two at a time: the machine has two cores, and each is an npm plus a node process. */
async function askAll(jobs: { script: string; flag: string }[]): Promise<Answer[]> {
  const answers: Answer[] = [];
  const worker = async () => {
    for (let job = jobs.shift(); job; job = jobs.shift()) {
      try {
        const r = await run('npm', ['run', '--silent', job.script, '--', job.flag], {
          cwd: repoRoot,
          env: { ...process.env, CI: 'true' },
          timeout: 120_000,
        });
        answers.push({ ...job, code: 0, stdout: r.stdout, stderr: r.stderr });
      } catch (err) {
        const e = err as { code?: number; stdout?: string; stderr?: string };
        answers.push({
          ...job,
          code: typeof e.code === 'number' ? e.code : -1,
          stdout: e.stdout ?? '',
          stderr: e.stderr ?? '',
        });
      }
    }
  };
  await Promise.all([worker(), worker()]);
  return answers;
}

test('package.json lists the scripts this test covers', () => {
  expect(scripts).toEqual(
    expect.arrayContaining(['start', 'test', 'generate', 'values', 'bench', 'monitoring', 'lint']),
  );
});

test('every npm script answers --help (and each program -h) with exit 0 and a usage text, changing nothing', async () => {
  const before = gitStatus();
  const jobs = [
    ...scripts.map((script) => ({ script, flag: '--help' })),
    ...onePerProgram.map((script) => ({ script, flag: '-h' })),
  ];
  const asked = jobs.length;
  const answers = await askAll(jobs);
  const wrong = answers
    .filter((a) => a.code !== 0 || !/usage/i.test(a.stdout))
    .map((a) => `npm run ${a.script} -- ${a.flag}: exit ${a.code}\n${a.stdout}${a.stderr}`.trim());
  expect(wrong).toEqual([]);
  expect(answers).toHaveLength(asked);
  expect(gitStatus()).toBe(before);
});
