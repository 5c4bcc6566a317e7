// `npm run cluster:up|cluster:down|cluster:status [-- --nodes N --name NAME --port-base P]`:
// a local Kubernetes control plane with simulated nodes (kwok). See README, "Try the deploy path
// without Docker".
import { answerHelp } from '../cli/help';
import { clusterDown, clusterStatus, clusterUp, type ClusterStatus } from './cluster';
import { Kubectl } from './kubectl';
import { NEVER_READY_ANNOTATION } from './kwokctl-config';
import { localClusterImages } from './real-node/images';
import { REAL_NODE_NAME, REAL_NODE_NAMESPACE_ANNOTATIONS, REAL_NODE_TAINT } from './real-node/layout';
import { clusterSettings, DEFAULT_NODES, DEFAULT_PORT_BASE, type ClusterSettings } from './settings';

const USAGE = `usage: npm run cluster:<up|down|status> [-- options]
  --nodes N        simulated nodes (default ${DEFAULT_NODES}; up only), spread over zone-a/b/c
  --name NAME      cluster name (default techcommerce)
  --port-base P    kube-apiserver port; the next five ports go to the other components
                   (default ${DEFAULT_PORT_BASE}, or TECHCOMMERCE_CLUSTER_PORT_BASE)
  --no-real-node   up only: kwok nodes alone (no containerd, kubelet, kube-proxy, CoreDNS)`;

interface Args {
  command: string;
  nodes?: number;
  name?: string;
  portBase?: number;
  realNode: boolean;
}

export function parseArgs(argv: readonly string[]): Args {
  const [command, ...rest] = argv;
  if (!command || !['up', 'down', 'status'].includes(command)) {
    throw new Error(`unknown command "${command ?? ''}"\n${USAGE}`);
  }
  const args: Args = { command, realNode: true };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i] as string;
    if (flag === '--no-real-node') {
      args.realNode = false;
      continue;
    }
    const [key, inline] = flag.includes('=') ? flag.split(/=(.*)/s, 2) : [flag, undefined];
    const value = inline ?? rest[++i];
    if (value === undefined) throw new Error(`${key} needs a value\n${USAGE}`);
    if (key === '--nodes') args.nodes = Number(value);
    else if (key === '--port-base') args.portBase = Number(value);
    else if (key === '--name') args.name = value;
    else throw new Error(`unknown option ${key}\n${USAGE}`);
  }
  return args;
}

function usageHint(s: ClusterSettings): string {
  return [
    `kubeconfig: ${s.kubeconfig}`,
    '',
    'Use it:',
    `  export KUBECONFIG=${s.kubeconfig}`,
    '  kubectl get nodes -L topology.kubernetes.io/zone',
    '  npm run deploy -- values/local-cluster.yaml',
    '',
    ...(s.realNode
      ? [
          `The real node ${REAL_NODE_NAME} runs containers (taint ${REAL_NODE_TAINT.key}=${REAL_NODE_TAINT.value}:NoSchedule;`,
          'values/local-cluster.yaml selects it). Send every pod of a namespace there (hooks, helm test):',
          `  kubectl annotate namespace NS ${Object.entries(REAL_NODE_NAMESPACE_ANNOTATIONS)
            .map(([k, v]) => `${k}='${v}'`)
            .join(' ')}`,
          '',
        ]
      : []),
    `Simulated (kwok) nodes run no containers: kwok reports pods Ready after about a second. A pod annotated`,
    `${NEVER_READY_ANNOTATION}: "true" never becomes Ready there (simulates a failing rollout).`,
  ].join('\n');
}

function printStatus(s: ClusterSettings, st: ClusterStatus): void {
  console.log(`cluster ${s.name}: ${st.state}${st.stale ? ' (made from an older configuration)' : ''}`);
  if (st.state === 'absent') return;
  console.log(`server: ${st.server}`);
  for (const p of st.processes) {
    console.log(
      `  ${p.component.padEnd(24)} pid ${String(p.pid ?? '?').padEnd(8)} ${p.alive ? 'running' : 'not running'}`,
    );
  }
}

async function main(argv: readonly string[]): Promise<number> {
  answerHelp(argv, USAGE);
  if (argv.includes('--help') || argv.length === 0) {
    console.log(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  const args = parseArgs(argv);
  const s = clusterSettings({
    name: args.name,
    nodes: args.nodes,
    portBase: args.portBase,
    realNode: args.realNode,
  });
  const log = (line: string) => console.log(line);
  if (args.command === 'up') {
    // The images are built (or found current) before anything starts: a build error stops here.
    const images = s.realNode ? await localClusterImages(log) : [];
    const r = await clusterUp(s, log, { images });
    console.log(
      `cluster ${s.name}: ready (${r.action}) in ${(r.ms / 1000).toFixed(1)}s at ${r.status.server}`,
    );
    console.log(usageHint(s));
    return 0;
  }
  if (args.command === 'down') {
    await clusterDown(s, log);
    return 0;
  }
  const st = clusterStatus(s);
  printStatus(s, st);
  if (st.state !== 'running') return 1;
  const nodes = await new Kubectl(s.kubeconfig).run(['get', 'nodes', '-L', 'topology.kubernetes.io/zone']);
  console.log(
    nodes.status === 0 ? nodes.stdout.trimEnd() : `kubectl get nodes failed: ${nodes.stderr.trim()}`,
  );
  console.log(`kubeconfig: ${s.kubeconfig}  (export KUBECONFIG=${s.kubeconfig})`);
  return nodes.status === 0 ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      console.error(`cluster: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = 1;
    },
  );
}
