// `npm run deploy`: validate → server-side diff → helm upgrade --install (rolling itself back on
// failure) → helm test → on any failure after the upgrade, an explicit rollback to the last good
// revision → summary. Each step says what happened; the exit code says whether the release now
// runs what was asked for.
import { Kubectl } from '../cluster/kubectl';
import { toolOrSystem } from '../tools/paths';
import { CHART, type DeployArgs, type RollbackArgs, type Target } from './args';
import { render, serverSideDiff, helmValueArgs, truncate } from './diff';
import { currentRevision, durationMs, Helm, lastGoodRevision, type HelmRevision } from './helm';
import { applyNamespace, namespaceState } from './namespace';
import { releaseDeployments, report, type RolloutSummary } from './summary';
import { validateValues } from './validate';

type Log = (line: string) => void;

export interface Outcome {
  ok: boolean;
  summary: RolloutSummary;
}

async function finish(
  helm: Helm,
  kubectl: Kubectl,
  a: { release: string; namespace: string },
  title: string,
  ok: boolean,
  outcome: string,
  notes: string[],
): Promise<Outcome> {
  const history = await helm.history(a.release, a.namespace).catch(() => [] as HelmRevision[]);
  const summary: RolloutSummary = {
    title,
    outcome,
    ok,
    release: a.release,
    namespace: a.namespace,
    helm: `helm ${helm.version}`,
    revision: currentRevision(history) ?? history[history.length - 1],
    deployments: await releaseDeployments(kubectl, a.release, a.namespace),
    notes,
  };
  report(summary);
  return { ok, summary };
}

/** `helm test`; resolves the failure text, or undefined when the tests passed. */
async function runTests(helm: Helm, a: { release: string; namespace: string; timeout: string }, log: Log) {
  log(`\n== helm test ${a.release}`);
  // helm v3 repeats the release notes after the test results unless told not to (v4 does not).
  const hideNotes = helm.major === 3 ? ['--hide-notes'] : [];
  const r = await helm.run(['test', a.release, '-n', a.namespace, '--timeout', a.timeout, ...hideNotes], {
    stream: true,
    timeoutMs: durationMs(a.timeout) + 60_000,
  });
  return r.status === 0 ? undefined : `helm test failed (exit ${r.status}): ${lastLine(r.stderr)}`;
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}

async function rollbackTo(
  helm: Helm,
  a: { release: string; namespace: string; timeout: string },
  revision: number,
  log: Log,
) {
  log(`\n== helm rollback ${a.release} ${revision}`);
  return helm.run(
    ['rollback', a.release, String(revision), '-n', a.namespace, '--wait', '--timeout', a.timeout],
    {
      stream: true,
      timeoutMs: durationMs(a.timeout) + 60_000,
    },
  );
}

export async function deploy(a: DeployArgs, log: Log = console.log): Promise<Outcome> {
  const helm = await Helm.detect();
  const kubectl = new Kubectl(process.env.KUBECONFIG, toolOrSystem('kubectl'));
  const title = `deploy ${a.name}`;
  const files = [a.valuesFile, ...a.extraValues];

  log(`== validate ${files.join(' + ')}${a.set.length ? ` with --set ${a.set.join(' ')}` : ''}`);
  const validation = await validateValues(files, a.set);
  if (validation.output) log(validation.output);
  if (!validation.ok) {
    return finishWithoutCluster(title, a, helm, 'values are invalid; nothing was sent to the cluster', [
      'fix the values above and deploy again',
    ]);
  }
  let rendered;
  try {
    rendered = await render(helm, a);
  } catch (e) {
    log((e as Error).message);
    return finishWithoutCluster(
      title,
      a,
      helm,
      'the chart does not render; nothing was sent to the cluster',
      [],
    );
  }

  const notes: string[] = [];
  if (a.createNamespace) {
    // Only when something is missing: a deployer without cluster-scope rights may still pass it.
    const before = await namespaceState(kubectl, a.namespace);
    if (!before.exists || before.missingLabels.length) {
      log(`\n== namespace ${a.namespace} (restricted Pod Security; kubectl apply --server-side)`);
      await applyNamespace(kubectl, a.namespace);
    }
  }
  const ns = await namespaceState(kubectl, a.namespace);
  if (!ns.exists) {
    return finishWithoutCluster(
      title,
      a,
      helm,
      `namespace ${a.namespace} does not exist${ns.forbidden ? ' or this identity may not read it' : ''}; nothing was sent to the cluster`,
      [
        `a cluster admin creates it once: npm run namespace -- ${a.name} --namespace ${a.namespace}`,
        'or deploy with --create-namespace (needs cluster-scope rights on namespaces)',
      ],
    );
  }
  if (ns.missingLabels.length) {
    notes.push(
      `namespace ${a.namespace} does not enforce the restricted Pod Security Standard (missing ${ns.missingLabels.join(', ')}): npm run namespace -- ${a.name} --namespace ${a.namespace} sets the labels`,
    );
    log(`warning: ${notes[notes.length - 1]}`);
  }

  log(
    `\n== server-side diff (namespace ${a.namespace}; ${rendered.hooks.length} hook object(s) run by helm are not diffed)`,
  );
  const diff = await serverSideDiff(kubectl, a.namespace, rendered);
  log(truncate(diff.text));

  const before = await helm.history(a.release, a.namespace);
  const goodBefore = lastGoodRevision(before, Number.MAX_SAFE_INTEGER);

  log(
    `\n== helm upgrade --install ${a.release} (helm ${helm.version}, ${helm.rollbackFlag}, timeout ${a.timeout})`,
  );
  const upgrade = await helm.run(
    [
      'upgrade',
      '--install',
      a.release,
      CHART,
      '-n',
      a.namespace,
      ...helmValueArgs(a),
      helm.rollbackFlag,
      '--timeout',
      a.timeout,
    ],
    { stream: true, timeoutMs: 3 * durationMs(a.timeout) + 120_000 },
  );
  if (upgrade.status !== 0) {
    notes.push(`upgrade failed: ${lastLine(upgrade.stderr)}`);
    return afterFailure(helm, kubectl, a, title, goodBefore, notes, log);
  }
  const testFailure = await runTests(helm, a, log);
  if (testFailure) {
    notes.push(testFailure);
    return afterFailure(helm, kubectl, a, title, goodBefore, notes, log);
  }
  return finish(helm, kubectl, a, title, true, 'deployed, helm test passed', notes);
}

/**
 * Whatever failed, the release must end on a good revision: helm's own rollback may already have
 * happened (--atomic / --rollback-on-failure), otherwise roll back explicitly.
 */
async function afterFailure(
  helm: Helm,
  kubectl: Kubectl,
  a: DeployArgs,
  title: string,
  goodBefore: HelmRevision | undefined,
  notes: string[],
  log: Log,
): Promise<Outcome> {
  const history = await helm.history(a.release, a.namespace);
  const current = currentRevision(history);
  if (!goodBefore) {
    notes.push(
      history.length === 0
        ? 'first install: helm removed the failed release'
        : 'no earlier good revision to roll back to; the release is left as it is for inspection (helm uninstall removes it)',
    );
    return finish(helm, kubectl, a, title, false, 'failed', notes);
  }
  if (current && current.revision === goodBefore.revision) {
    notes.push(`the release was not changed: still revision ${current.revision}`);
    return finish(helm, kubectl, a, title, false, `failed; still on revision ${current.revision}`, notes);
  }
  // helm's rollback re-deploys the good revision's manifest as a new revision.
  if (current && current.description === `Rollback to ${goodBefore.revision}`) {
    notes.push(`helm rolled back to revision ${goodBefore.revision} (as revision ${current.revision})`);
    return finish(
      helm,
      kubectl,
      a,
      title,
      false,
      `failed; rolled back to revision ${goodBefore.revision}`,
      notes,
    );
  }
  const r = await rollbackTo(helm, a, goodBefore.revision, log);
  if (r.status !== 0) {
    notes.push(`explicit rollback to revision ${goodBefore.revision} failed: ${lastLine(r.stderr)}`);
    return finish(
      helm,
      kubectl,
      a,
      title,
      false,
      'failed; rollback failed too: the release needs attention',
      notes,
    );
  }
  notes.push(`explicit helm rollback to revision ${goodBefore.revision}`);
  return finish(
    helm,
    kubectl,
    a,
    title,
    false,
    `failed; rolled back to revision ${goodBefore.revision}`,
    notes,
  );
}

function finishWithoutCluster(
  title: string,
  a: DeployArgs,
  helm: Helm,
  outcome: string,
  notes: string[],
): Outcome {
  const summary: RolloutSummary = {
    title,
    outcome,
    ok: false,
    release: a.release,
    namespace: a.namespace,
    helm: `helm ${helm.version}`,
    deployments: [],
    notes,
  };
  report(summary);
  return { ok: false, summary };
}

/** `npm run namespace`: create or label the environment's namespace. */
export async function ensureNamespace(a: Target, log: Log = console.log): Promise<void> {
  const kubectl = new Kubectl(process.env.KUBECONFIG, toolOrSystem('kubectl'));
  await applyNamespace(kubectl, a.namespace);
  const ns = await namespaceState(kubectl, a.namespace);
  if (!ns.exists || ns.missingLabels.length)
    throw new Error(
      `namespace ${a.namespace} still lacks ${ns.exists ? ns.missingLabels.join(', ') : 'existence'}`,
    );
  log(`namespace ${a.namespace}: restricted Pod Security enforced, audited and warned`);
}

/** `npm run rollback`: back to REVISION (default: the newest earlier good one), then helm test. */
export async function rollback(a: RollbackArgs, log: Log = console.log): Promise<Outcome> {
  const helm = await Helm.detect();
  const kubectl = new Kubectl(process.env.KUBECONFIG, toolOrSystem('kubectl'));
  const title = `rollback ${a.name}`;
  const history = await helm.history(a.release, a.namespace);
  if (history.length === 0) throw new Error(`release ${a.release} not found in namespace ${a.namespace}`);
  const latest = history[history.length - 1] as HelmRevision;
  const target = a.revision ?? lastGoodRevision(history, latest.revision)?.revision;
  if (target === undefined)
    throw new Error(`release ${a.release} has no earlier good revision to roll back to`);
  const known = history.find((h) => h.revision === target);
  if (!known) {
    throw new Error(
      `revision ${target} is not in the history of ${a.release} (kept: ${history.map((h) => h.revision).join(', ')})`,
    );
  }
  const r = await rollbackTo(helm, a, target, log);
  if (r.status !== 0) {
    return finish(helm, kubectl, a, title, false, `rollback to revision ${target} failed`, [
      lastLine(r.stderr),
    ]);
  }
  const testFailure = await runTests(helm, a, log);
  if (testFailure)
    return finish(helm, kubectl, a, title, false, `rolled back to revision ${target}; helm test failed`, [
      testFailure,
    ]);
  return finish(helm, kubectl, a, title, true, `rolled back to revision ${target}, helm test passed`, []);
}
