// Rules every workflow and composite action follows, read from the parsed YAML: pinned actions,
// no step that hides a failure, read-only defaults with named write grants, no `${{ }}` spliced
// into shell, time limits, and bash with pipefail.
import {
  allFiles,
  jobs,
  runScripts,
  steps,
  usesRefs,
  workflowFiles,
  type GhFile,
  type Json,
  type UsesRef,
} from './helpers';

const files = allFiles();
const workflows = workflowFiles();

/** owner/repo[/path]@<40 hex> with a version comment such as "v4.2.1". */
function pinProblem(u: UsesRef): string | undefined {
  if (u.uses.startsWith('./')) return undefined;
  if (u.uses.startsWith('docker://')) {
    return /@sha256:[a-f0-9]{64}$/.test(u.uses) ? undefined : 'a docker:// image must be pinned by digest';
  }
  const m = /^([\w.-]+\/[\w.-]+)(\/[\w./-]+)?@(.+)$/.exec(u.uses);
  if (!m) return 'not owner/repo@ref';
  if (!/^[a-f0-9]{40}$/.test(m[3] as string)) return `ref "${m[3]}" is not a full commit SHA`;
  if (!u.comment || !/^v?\d+(\.\d+){1,2}$/.test(u.comment)) {
    return `SHA pin without a version comment (# vX.Y.Z), got ${JSON.stringify(u.comment)}`;
  }
  return undefined;
}

describe('action pins', () => {
  const refs = usesRefs(files);

  it('finds the uses: of the workflows and composite actions', () => {
    expect(refs.filter((r) => !r.uses.startsWith('./')).length).toBeGreaterThan(10);
  });

  it('pins every third-party action to a full commit SHA with its version as a comment', () => {
    const bad = refs.map((r) => [r, pinProblem(r)] as const).filter(([, p]) => p);
    expect(bad.map(([r, p]) => `${r.where}: ${r.uses}: ${p}`)).toEqual([]);
  });

  it('rejects tags, short SHAs and missing comments (the rule itself)', () => {
    const f = files[0] as GhFile;
    const probe = (uses: string, comment?: string) => pinProblem({ file: f, where: 'x', uses, comment });
    expect(probe('actions/checkout@v5')).toMatch(/not a full commit SHA/);
    expect(probe('actions/checkout@08c6903')).toMatch(/not a full commit SHA/);
    expect(probe('actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8')).toMatch(/version comment/);
    expect(probe('actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8', 'v5.0.0')).toBeUndefined();
    expect(probe('docker://alpine:3')).toMatch(/digest/);
  });

  it('uses one SHA and one version per action everywhere', () => {
    const byAction = new Map<string, Set<string>>();
    for (const r of refs.filter((x) => !x.uses.startsWith('./'))) {
      const [action, sha] = r.uses.split('@') as [string, string];
      const repo = action.split('/').slice(0, 2).join('/');
      const seen = byAction.get(repo) ?? new Set();
      seen.add(`${sha} # ${r.comment}`);
      byAction.set(repo, seen);
    }
    const drift = [...byAction].filter(([, s]) => s.size > 1).map(([a, s]) => `${a}: ${[...s].join(' | ')}`);
    expect(drift).toEqual([]);
  });

  it('checks out without leaving the token in .git/config', () => {
    const checkouts = steps(files).filter((s) => String(s.step.uses).startsWith('actions/checkout@'));
    expect(checkouts.length).toBeGreaterThan(0);
    const keeping = checkouts.filter(
      (s) => (s.step.with as Json | undefined)?.['persist-credentials'] !== false,
    );
    expect(keeping.map((s) => s.where)).toEqual([]);
  });
});

describe('failures are never hidden', () => {
  const HIDING = [
    { re: /\|\|\s*true\b/, what: '|| true' },
    { re: /\|\|\s*:(\s|$)/, what: '|| :' },
    { re: /\|\|\s*echo\b/, what: '|| echo' },
    { re: /\|\|\s*exit\s+0\b/, what: '|| exit 0' },
    { re: /^\s*set\s+\+e\b/m, what: 'set +e' },
  ];

  it('no run: step ends a failing command with || true, || :, || echo, || exit 0 or set +e', () => {
    const bad = runScripts(files).flatMap(({ where, script }) =>
      HIDING.filter((h) => h.re.test(script)).map((h) => `${where}: ${h.what}`),
    );
    expect(bad).toEqual([]);
  });

  it('the patterns catch what they are meant to catch', () => {
    const hits = (s: string) => HIDING.filter((h) => h.re.test(s)).map((h) => h.what);
    expect(hits('npm audit || true')).toEqual(['|| true']);
    expect(hits('helm lint x ||echo "failed"')).toEqual(['|| echo']);
    expect(hits('cmd || :')).toEqual(['|| :']);
    expect(hits('set +e\ncmd')).toEqual(['set +e']);
    expect(hits('if ! cmd; then exit 1; fi')).toEqual([]);
  });

  it('no step or job sets continue-on-error', () => {
    const stepHits = steps(files)
      .filter((s) => 'continue-on-error' in s.step && s.step['continue-on-error'] !== false)
      .map((s) => s.where);
    const jobHits = workflows.flatMap((w) =>
      jobs(w)
        .filter(([, j]) => 'continue-on-error' in j && j['continue-on-error'] !== false)
        .map(([id]) => `${w.rel} jobs.${id}`),
    );
    expect([...stepHits, ...jobHits]).toEqual([]);
  });

  it('no step passes exit-code: 0 (a scanner that cannot fail)', () => {
    const bad = steps(files)
      .filter((s) => {
        const v = (s.step.with as Json | undefined)?.['exit-code'];
        return v !== undefined && Number(v) === 0;
      })
      .map((s) => s.where);
    expect(bad).toEqual([]);
  });
});

describe('permissions', () => {
  // The only write grants: pushing images and the chart to GHCR and attesting them keyless
  // (OIDC token, attestations), and CodeQL's upload of its findings.
  const publishing = { packages: 'write', 'id-token': 'write', attestations: 'write' };
  const WRITES: Record<string, Record<string, string>> = {
    '.github/workflows/ci.yaml jobs.publish': publishing,
    '.github/workflows/ci.yaml jobs.chart': publishing,
    '.github/workflows/codeql.yaml jobs.analyze': { 'security-events': 'write' },
  };

  it('every workflow declares read-only top-level permissions', () => {
    for (const w of workflows) {
      const p = w.js.permissions;
      expect({ file: w.rel, declared: p !== undefined }).toEqual({ file: w.rel, declared: true });
      expect({ file: w.rel, p }).not.toEqual({ file: w.rel, p: 'write-all' });
      if (p && typeof p === 'object') {
        const writes = Object.entries(p as Record<string, string>).filter(([, v]) => v === 'write');
        expect({ file: w.rel, writes }).toEqual({ file: w.rel, writes: [] });
      }
    }
  });

  it('grants write scopes only to the jobs that need them', () => {
    const granted: Record<string, Record<string, string>> = {};
    for (const w of workflows) {
      for (const [id, job] of jobs(w)) {
        const p = job.permissions;
        if (p === 'write-all') granted[`${w.rel} jobs.${id}`] = { '*': 'write' };
        if (p && typeof p === 'object') {
          const writes = Object.fromEntries(
            Object.entries(p as Record<string, string>).filter(([, v]) => v === 'write'),
          );
          if (Object.keys(writes).length > 0) granted[`${w.rel} jobs.${id}`] = writes;
        }
      }
    }
    expect(granted).toEqual(WRITES);
  });
});

describe('shell and expressions', () => {
  it('no run: script contains ${{ }} (values reach the shell through env:, never spliced into code)', () => {
    const bad = runScripts(files)
      .filter(({ script }) => script.includes('${{'))
      .map(({ where }) => where);
    expect(bad).toEqual([]);
  });

  it('every workflow runs steps with bash (which adds -o pipefail)', () => {
    const shell = (w: GhFile) => ((w.js.defaults as Json | undefined)?.run as Json | undefined)?.shell;
    expect(workflows.filter((w) => shell(w) !== 'bash').map((w) => w.rel)).toEqual([]);
  });

  it('every composite run step names bash as its shell', () => {
    const bad = steps(files.filter((f) => f.kind === 'action'))
      .filter((s) => typeof s.step.run === 'string' && s.step.shell !== 'bash')
      .map((s) => s.where);
    expect(bad).toEqual([]);
  });
});

describe('jobs', () => {
  it('every job on a runner has timeout-minutes', () => {
    const bad = workflows.flatMap((w) =>
      jobs(w)
        .filter(([, j]) => j['runs-on'] !== undefined && typeof j['timeout-minutes'] !== 'number')
        .map(([id]) => `${w.rel} jobs.${id}`),
    );
    expect(bad).toEqual([]);
  });

  it('workflows run on pushes and pull requests cancel superseded pull-request runs only', () => {
    const triggered = workflows.filter((w) => {
      const on = w.js.on as Json;
      return on && typeof on === 'object' && ('push' in on || 'pull_request' in on);
    });
    expect(triggered.length).toBeGreaterThan(0);
    for (const w of triggered) {
      const c = w.js.concurrency as Json | undefined;
      expect({ file: w.rel, group: typeof c?.group }).toEqual({ file: w.rel, group: 'string' });
      expect({ file: w.rel, cancel: c?.['cancel-in-progress'] }).toEqual({
        file: w.rel,
        cancel: "${{ github.event_name == 'pull_request' }}",
      });
    }
  });

  it('every job that touches an environment queues per environment and is never cancelled half-way', () => {
    const envJobs = workflows.flatMap((w) =>
      jobs(w)
        .filter(([, j]) => j.environment !== undefined)
        .map(([id, j]) => ({ where: `${w.rel} jobs.${id}`, job: j })),
    );
    expect(envJobs.length).toBeGreaterThanOrEqual(2);
    for (const { where, job } of envJobs) {
      expect({ where, concurrency: job.concurrency }).toEqual({
        where,
        concurrency: { group: 'deploy-${{ inputs.environment }}', 'cancel-in-progress': false },
      });
    }
  });
});
