// `npm run pipeline -- <command> …`: every step of the GitHub workflows that is more than one
// npm script is a command here, so the workflows hold no logic of their own and each command runs
// (and is tested) on this machine too. Outputs go to $GITHUB_OUTPUT, tables to
// $GITHUB_STEP_SUMMARY; both only print outside a workflow.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureChartDependencies } from '../charts/dependencies';
import { packageChart } from '../charts/package';
import { binDir, prometheusOperatorCrdDir, requireTool, toolEnv } from '../tools/paths';
import { chartsToTest, changedFiles, imageServices, readCharts } from './charts';
import { ctInstallArgs, ctLintArgs, type Selection } from './ct';
import { collectDigests, digestsMarkdown, imagesJson, parseImages, recordDigest } from './digests';
import { addPath, appendSummary, errorAnnotation, setOutput } from './github';
import {
  chartMeta,
  checkOciRepository,
  checkReleaseVersion,
  pushedDigest,
  skopeoPush,
  skopeoTag,
} from './publish';
import { chartImageRef, imageTags, verifyCommands } from './images';
import { removeKubeconfig, writeKubeconfig } from './kubeconfig';
import { gitleaksArgs } from './secrets';
import { groupProjects } from './test-groups';
import { USAGE } from './usage';

export const REPO_ROOT = path.resolve(__dirname, '../../..');

class UsageError extends Error {}

/** A path argument as the caller meant it: npm run starts scripts in the repository root. */
function fromCwd(p: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), p);
}

function run(bin: string, args: readonly string[], env: NodeJS.ProcessEnv = toolEnv()): number {
  console.log(`$ ${[bin, ...args].map((a) => (/[\s'"{}]/.test(a) ? `'${a}'` : a)).join(' ')}`);
  const r = spawnSync(bin, args, { cwd: REPO_ROOT, env, stdio: 'inherit' });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

function capture(bin: string, args: readonly string[], input?: string): { status: number; out: string } {
  const r = spawnSync(bin, args, { cwd: REPO_ROOT, env: toolEnv(), encoding: 'utf8', input });
  if (r.error) throw r.error;
  return { status: r.status ?? 1, out: `${r.stdout}${r.stderr}` };
}

function selection(charts: string | undefined): Selection {
  if (charts === undefined || charts === '') return { all: true };
  const list = charts.split(/[,\s]+/).filter(Boolean);
  const known = readCharts(REPO_ROOT).map((c) => c.dir);
  const unknown = list.filter((c) => !known.includes(c));
  if (unknown.length)
    throw new UsageError(`not a chart folder: ${unknown.join(', ')} (charts: ${known.join(', ')})`);
  return { charts: list };
}

/**
 * ct runs `helm dependency build` per chart, but the umbrella's archives hold the service charts'
 * own: build every selected chart's file:// dependencies first, leaves first.
 */
function buildDependencies(s: Selection): void {
  const dirs = 'all' in s ? readCharts(REPO_ROOT).map((c) => c.dir) : s.charts;
  for (const dir of dirs) ensureChartDependencies(path.join(REPO_ROOT, dir), { log: (l) => console.log(l) });
}

const commands: Record<string, (argv: string[]) => number> = {
  tools(argv) {
    const [which = 'all'] = argv;
    const args = ['run', '--silent', 'tools', ...(which === 'all' ? [] : ['--', '--only', which])];
    const status = run('npm', args);
    if (status === 0) addPath(binDir());
    return status;
  },

  'test-group'(argv) {
    const [group] = argv;
    if (!group) throw new UsageError('name a test group');
    return run('npm', ['test', '--', '--selectProjects', ...groupProjects(group)]);
  },

  'changed-charts'(argv) {
    const { values } = parseArgs({ args: argv, options: { 'base-branch': { type: 'string' } } });
    const charts = readCharts(REPO_ROOT);
    const branch = values['base-branch'];
    const base = branch ? `origin/${branch}` : undefined;
    const picked = base ? chartsToTest(charts, changedFiles(REPO_ROOT, base)) : charts;
    const lint = picked.map((c) => c.dir);
    const install = picked.filter((c) => c.type === 'application').map((c) => c.dir);
    setOutput('lint', lint.join(','));
    setOutput('install', install.join(','));
    setOutput('any', String(lint.length > 0));
    appendSummary(
      `### Charts to test${base ? ` (changed since ${base}, with their dependents)` : ' (all)'}\n\n` +
        (lint.length
          ? lint.map((c) => `- \`${c}\`${install.includes(c) ? '' : ' (lint only: library)'}`).join('\n')
          : 'none'),
    );
    return 0;
  },

  'chart-lint'(argv) {
    const { values } = parseArgs({ args: argv, options: { charts: { type: 'string' } } });
    const picked = selection(values.charts);
    buildDependencies(picked);
    return run(requireTool('ct'), ctLintArgs(picked));
  },

  'chart-install'(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        charts: { type: 'string' },
        'upgrade-from': { type: 'string' },
        timeout: { type: 'string' },
      },
    });
    buildDependencies(selection(values.charts));
    const libraries = readCharts(REPO_ROOT)
      .filter((c) => c.type === 'library')
      .map((c) => c.name);
    return run(
      requireTool('ct'),
      ctInstallArgs(selection(values.charts), libraries, {
        upgradeFrom: values['upgrade-from'],
        timeout: values.timeout,
      }),
    );
  },

  crds() {
    const dir = prometheusOperatorCrdDir();
    if (!fs.existsSync(dir))
      throw new Error(`${dir} is missing: npm run tools -- --only prometheus-operator-crds`);
    const kubectl = 'kubectl';
    const applied = run(kubectl, ['apply', '--server-side', '-f', dir]);
    if (applied !== 0) return applied;
    return run(kubectl, ['wait', '--for', 'condition=established', '--timeout=60s', 'crd', '--all']);
  },

  'kind-load'(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { cluster: { type: 'string' }, archives: { type: 'string' } },
    });
    const archives = (values.archives ?? '').split(/\s+/).filter(Boolean);
    if (!values.cluster || archives.length === 0)
      throw new UsageError('kind-load needs --cluster and --archives "A B …"');
    for (const a of archives) {
      const status = run('kind', ['load', 'image-archive', '--name', values.cluster, fromCwd(a)]);
      if (status !== 0) return status;
    }
    return 0;
  },

  'record-digest'(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        service: { type: 'string' },
        image: { type: 'string' },
        digest: { type: 'string' },
        dir: { type: 'string' },
      },
    });
    if (!values.service || !values.image || !values.digest || !values.dir) {
      throw new UsageError('record-digest needs --service, --image, --digest and --dir');
    }
    const file = recordDigest(fromCwd(values.dir), {
      service: values.service,
      image: values.image,
      digest: values.digest,
    });
    console.log(`recorded ${values.image}@${values.digest} in ${file}`);
    return 0;
  },

  digests(argv) {
    const { values } = parseArgs({ args: argv, options: { dir: { type: 'string' } } });
    if (!values.dir) throw new UsageError('digests needs --dir');
    const records = collectDigests(fromCwd(values.dir), imageServices(REPO_ROOT));
    setOutput('images', imagesJson(records));
    appendSummary(digestsMarkdown(records));
    return 0;
  },

  'image-ref'(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { service: { type: 'string' }, prefix: { type: 'string' } },
    });
    if (!values.service || !values.prefix) throw new UsageError('image-ref needs --service and --prefix');
    setOutput('ref', chartImageRef(REPO_ROOT, values.prefix, values.service));
    return 0;
  },

  'push-image'(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { archive: { type: 'string' }, image: { type: 'string' } },
    });
    if (!values.archive || !values.image) throw new UsageError('push-image needs --archive and --image');
    const tags = imageTags(process.env.GITHUB_REF ?? '', process.env.GITHUB_SHA ?? '');
    const archive = fromCwd(values.archive);
    if (!fs.existsSync(archive)) throw new Error(`no image archive at ${archive}`);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-push-'));
    try {
      const digestFile = path.join(tmp, 'digest');
      const [first, ...rest] = tags as [string, ...string[]];
      const pushed = run('skopeo', skopeoPush(archive, values.image, first, digestFile));
      if (pushed !== 0) return pushed;
      const digest = fs.readFileSync(digestFile, 'utf8').trim();
      for (const t of rest) {
        const status = run('skopeo', skopeoTag(values.image, digest, t));
        if (status !== 0) return status;
      }
      setOutput('digest', digest);
      appendSummary(`- pushed \`${values.image}@${digest}\` (${tags.join(', ')})`);
      return 0;
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  },

  'verify-images'(argv) {
    const { values } = parseArgs({ args: argv, options: { images: { type: 'string' } } });
    const repository = process.env.GITHUB_REPOSITORY;
    if (!values.images) throw new UsageError('verify-images needs --images');
    if (!repository)
      throw new Error('GITHUB_REPOSITORY is not set: this command runs in a GitHub Actions job');
    const images = parseImages(values.images, imageServices(REPO_ROOT));
    for (const image of Object.values(images)) {
      for (const args of verifyCommands(image.repository, image.digest, repository)) {
        const status = run('gh', args, process.env);
        if (status !== 0) return status;
      }
    }
    appendSummary(
      `Attestations verified (provenance and SBOM, signed by ${repository}/.github/workflows/ci.yaml) for ${Object.keys(images).join(', ')}.`,
    );
    return 0;
  },

  'secret-scan'() {
    // Whole history, secrets redacted in the output; reviewed non-secrets: security/gitleaksignore.
    return run(requireTool('gitleaks'), gitleaksArgs(REPO_ROOT));
  },

  'write-kubeconfig'() {
    writeKubeconfig(process.env);
    console.log('KUBECONFIG written to $RUNNER_TEMP/kubeconfig (not printed)');
    return 0;
  },

  'remove-kubeconfig'() {
    removeKubeconfig(process.env);
    return 0;
  },

  'chart-publish'(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { ref: { type: 'string' }, repository: { type: 'string' }, chart: { type: 'string' } },
    });
    if (!values.ref || !values.repository) throw new UsageError('chart-publish needs --ref and --repository');
    const chartDir = path.join(REPO_ROOT, values.chart ?? 'charts/techcommerce');
    const meta = chartMeta(chartDir);
    checkReleaseVersion(values.ref, meta);
    const repo = checkOciRepository(values.repository);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-chart-'));
    try {
      const helm = requireTool('helm');
      const archive = packageChart(chartDir, { destination: out, helm });
      console.log(`packaged ${archive}`);
      // A registry on loopback is a throwaway one that speaks plain HTTP (the local test's).
      const plain = /^oci:\/\/(127\.0\.0\.1|localhost)[:/]/.test(repo) ? ['--plain-http'] : [];
      const pushed = capture(helm, ['push', archive, repo, ...plain]);
      process.stdout.write(pushed.out);
      if (pushed.status !== 0) return pushed.status;
      const digest = pushedDigest(pushed.out);
      setOutput('name', `${repo.slice('oci://'.length)}/${meta.name}`);
      setOutput('version', meta.version);
      setOutput('digest', digest);
      appendSummary(`### Chart\n\n\`${repo}/${meta.name}:${meta.version}\` (\`${digest}\`)`);
      return 0;
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  },
};

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const fn = commands[command];
  if (!fn) throw new UsageError(`unknown command "${command}"`);
  return fn(rest);
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  const message = e instanceof Error ? e.message : String(e);
  console.error(`pipeline: ${message}`);
  // On GitHub also as an annotation on the run page.
  if (process.env.GITHUB_ACTIONS === 'true') console.error(errorAnnotation(message));
  if (e instanceof UsageError) console.error(USAGE);
  process.exitCode = e instanceof UsageError ? 2 : 1;
}
