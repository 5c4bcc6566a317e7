// `npm run bench:release [-- --rounds=3]`: the deploy path's timings on a throwaway kwok cluster
// (binaries already built). Measurements, not a test: prints a table and writes
// .reports/bench-release.json.
//   cluster-up        cold `cluster:up` (create, nodes Ready, CRDs) until ready
//   staging-install   helm upgrade --install --atomic --wait of values/staging.yaml until it returns
//                     (all Deployments Available)
//   rollback-by-helm  a failing upgrade (never-ready pods): from helm's wait timing out to helm
//                     having rolled back and exited
//   rollback-settled  the same, until every Deployment is rolled out again and no never-ready pod
//                     is left
//   cluster-down      deleting the cluster, every process gone
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { answerHelp } from '../src/cli/help';
import { ensureChartDependencies } from '../src/charts/dependencies';
import { clusterDown, clusterUp } from '../src/cluster/cluster';
import { runCommand, waitFor } from '../src/cluster/command';
import { Kubectl, type KubeList } from '../src/cluster/kubectl';
import { NEVER_READY_ANNOTATION } from '../src/cluster/kwokctl-config';
import { findFreePortBase } from '../src/cluster/ports';
import { clusterSettings } from '../src/cluster/settings';
import { requireTool, toolEnv } from '../src/tools/paths';
import { environmentSecrets, restrictedNamespace, waitRolledOut } from '../test/release/helpers';

const root = path.resolve(__dirname, '../..');
const CHART = path.join(root, 'charts', 'techcommerce');
const FAIL_TIMEOUT_S = 20;

type Row = Record<string, number>;

async function round(): Promise<Row> {
  const s = clusterSettings({ name: 'tc-bench', portBase: await findFreePortBase() });
  await clusterDown(s);
  const row: Row = {};
  try {
    row['cluster-up'] = (await clusterUp(s)).ms;
    process.env.RELEASE_TEST_KUBECONFIG = s.kubeconfig;
    const env = { ...toolEnv(), KUBECONFIG: s.kubeconfig };
    const helm = requireTool('helm');
    ensureChartDependencies(CHART);
    const ns = await restrictedNamespace('bench-staging');
    await environmentSecrets(ns, 'techcommerce-staging-tls');
    const values = ['-f', path.join(root, 'values', 'staging.yaml')];
    const base = ['upgrade', '--install', 'techcommerce', CHART, '-n', ns, ...values, '--atomic', '--wait'];

    const install = await runCommand(helm, [...base, '--timeout', '5m'], { env });
    if (install.status !== 0) throw new Error(`staging install failed:\n${install.stderr}`);
    row['staging-install'] = install.ms;
    await waitRolledOut(ns, 'techcommerce');

    let timedOutAt = 0;
    const failing = await runCommand(
      helm,
      [
        ...base,
        '--timeout',
        `${FAIL_TIMEOUT_S}s`,
        '--debug',
        '--set-string',
        `frontend.podAnnotations.${NEVER_READY_ANNOTATION.replace(/\./g, '\\.')}=true`,
      ],
      {
        env,
        onLine: (line) => {
          if (!timedOutAt && /wait for resources failed/.test(line)) timedOutAt = Date.now();
        },
      },
    );
    const exitedAt = Date.now();
    if (failing.status === 0 || !timedOutAt)
      throw new Error(`the never-ready upgrade did not time out:\n${failing.stderr.slice(-2000)}`);
    row['rollback-by-helm'] = exitedAt - timedOutAt;
    const k = new Kubectl(s.kubeconfig);
    await waitRolledOut(ns, 'techcommerce');
    await waitFor(
      'never-ready pods to be gone',
      async () => {
        const pods = await k.json<KubeList<{ metadata: { annotations?: Record<string, string> } }>>([
          'get',
          'pods',
          '-n',
          ns,
        ]);
        return pods.items.some((p) => p.metadata.annotations?.[NEVER_READY_ANNOTATION]) ? undefined : true;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    row['rollback-settled'] = Date.now() - timedOutAt;
  } finally {
    const started = Date.now();
    await clusterDown(s);
    row['cluster-down'] = Date.now() - started;
  }
  return row;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

async function main(argv: string[]): Promise<number> {
  answerHelp(
    argv,
    'usage: npm run bench:release [-- --rounds=3]\n  The deploy path timed on a throwaway kwok cluster (cluster-up, staging-install, rollback, cluster-down);\n  writes .reports/bench-release.json. See scripts/bench/release.ts.',
  );
  const arg = argv.find((a) => a.startsWith('--rounds='));
  const rounds = arg ? Number(arg.split('=')[1]) : 1;
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a positive integer');
  const loadBefore = os.loadavg()[0]?.toFixed(2);
  const rows: Row[] = [];
  for (let i = 0; i < rounds; i++) rows.push(await round());
  const loadAfter = os.loadavg()[0]?.toFixed(2);
  const keys = Object.keys(rows[0] ?? {});
  const table = keys.map((k) => {
    const ms = rows.map((r) => r[k] as number);
    return {
      step: k,
      'median s': +(median(ms) / 1000).toFixed(2),
      'min s': +(Math.min(...ms) / 1000).toFixed(2),
    };
  });
  const when = new Date().toISOString();
  console.log(
    `\nrelease (${rounds} round(s); failing upgrade --timeout ${FAIL_TIMEOUT_S}s; ${os.cpus().length} cores, load ${loadBefore} -> ${loadAfter}; ${when})`,
  );
  console.table(table);
  const file = path.join(root, '.reports', 'bench-release.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    `${JSON.stringify({ when, rounds, loadAverage: { before: loadBefore, after: loadAfter }, rows, table }, null, 2)}\n`,
  );
  console.log(`written: ${path.relative(process.cwd(), file)}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    console.error(`bench release: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  },
);
