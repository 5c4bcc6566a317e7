// `npm run deploy -- <env|values-file> …` and `npm run rollback -- <env> [REVISION]` against the
// cluster of the current kubeconfig. Exit 0: the release runs what was asked for; 1: it does not
// (invalid values, failed rollout, failed tests; see the summary); 2: bad command line.
import {
  DEPLOY_USAGE,
  NAMESPACE_USAGE,
  parseDeployArgs,
  parseNamespaceArgs,
  parseRollbackArgs,
  ROLLBACK_USAGE,
  UsageError,
} from './args';
import { deploy, ensureNamespace, rollback } from './deploy';

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  const usage =
    command === 'rollback' ? ROLLBACK_USAGE : command === 'namespace' ? NAMESPACE_USAGE : DEPLOY_USAGE;
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(usage);
    return 0;
  }
  if (command === 'deploy') return (await deploy(parseDeployArgs(rest))).ok ? 0 : 1;
  if (command === 'rollback') return (await rollback(parseRollbackArgs(rest))).ok ? 0 : 1;
  if (command === 'namespace') {
    await ensureNamespace(parseNamespaceArgs(rest));
    return 0;
  }
  throw new UsageError(
    `unknown command "${command ?? ''}"`,
    `${DEPLOY_USAGE}\n${ROLLBACK_USAGE}\n${NAMESPACE_USAGE}`,
  );
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    console.error(`${process.argv[2] ?? 'deploy'}: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = e instanceof UsageError ? 2 : 1;
  },
);
