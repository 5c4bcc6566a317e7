// `npm start [-- --port-offset N]`: build if needed, then run product-api (:5000), order-api
// (:7000) and the storefront (:3000), each port moved by N, on the embedded database with the
// demo catalog. Ctrl-C stops all three cleanly.
import { answerHelp } from '../cli/help';
import { parseStartArgs, StartUsageError, USAGE } from './args';
import { buildServices } from './build';
import { portInUseMessage, portIsFree } from './ports';
import { presentServices, Stack } from './stack';

async function main(argv: string[]): Promise<number> {
  answerHelp(argv, USAGE);
  let ports;
  try {
    ({ ports } = parseStartArgs(argv));
  } catch (err) {
    if (!(err instanceof StartUsageError)) throw err;
    console.error(`npm start: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  const names = presentServices();
  for (const name of names) {
    if (!(await portIsFree(ports[name]))) {
      console.error(portInUseMessage(ports[name], name));
      return 1;
    }
  }
  console.log(`Building ${names.join(', ')} (tsc -b) …`);
  const build = buildServices(names);
  if (!build.ok) {
    console.error(`The build failed:\n${build.output}`);
    return 1;
  }
  console.log(`Built in ${(build.ms / 1000).toFixed(1)} s. Starting on the embedded database (PGlite) …`);

  const stack = new Stack({ ports, color: process.stdout.isTTY === true });
  let stopping: Promise<Record<string, number>> | undefined;
  const stop = () => (stopping ??= stack.stop());
  process.on('SIGINT', () => {
    if (stopping) return;
    console.log('\nStopping all services …');
    // Ctrl-C in a terminal reaches the services too; give them a moment to log that they got it,
    // so none is signalled twice (a second signal means "exit now").
    setTimeout(() => void stop(), 300);
  });
  process.on('SIGTERM', () => void stop());
  stack.start(names);

  const outcome = await Promise.race([
    stack.ready().then(
      () => 'ready' as const,
      (err: Error) => err,
    ),
    stack.firstExit().then((e) => new Error(`${e.name} exited with code ${e.code}`)),
  ]);
  if (outcome instanceof Error) {
    if (!stopping) console.error(`\n${outcome.message}`);
    await stop();
    return stopping ? 0 : 1;
  }
  console.log(
    [
      '',
      `  TechCommerce is ready: ${stack.url('frontend')}`,
      ...names.filter((n) => n !== 'frontend').map((n) => `  ${n}: ${stack.url(n)}`),
      '  Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  const unexpected = stack.firstExit().then((e) => e);
  const first = await Promise.race([
    unexpected,
    new Promise<undefined>((r) => process.once('SIGINT', () => r(undefined))),
  ]);
  if (first && !stopping) {
    console.error(`${first.name} stopped unexpectedly (exit code ${first.code}); stopping the others.`);
    await stop();
    return 1;
  }
  const codes = await stop();
  const failed = Object.entries(codes).filter(([, c]) => c !== 0);
  console.log(
    failed.length
      ? `Stopped; ${failed.map(([n, c]) => `${n} exited ${c}`).join(', ')}.`
      : 'All services stopped cleanly.',
  );
  return failed.length ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`npm start failed: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
