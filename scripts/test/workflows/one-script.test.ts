// Every run: step of the workflows and composite actions calls one script (see one-script.ts),
// each `npm run pipeline` command exists, and each script under scripts/ is there and executable.
import fs from 'node:fs';
import path from 'node:path';
import { COMMANDS } from '../../src/ci/usage';
import { allFiles, repoRoot, runScripts } from './helpers';
import { oneScriptProblem, pipelineCommand } from './one-script';

const runs = runScripts(allFiles());

describe('every run: step is one script call', () => {
  it('finds the run: steps of the workflows and the composite actions', () => {
    expect(runs.length).toBeGreaterThan(20);
    expect(runs.some((r) => r.file.kind === 'action')).toBe(true);
  });

  it('no run: step holds inline shell', () => {
    const bad = runs.flatMap(({ where, script }) => {
      const p = oneScriptProblem(script);
      return p ? [`${where}: ${p}`] : [];
    });
    expect(bad).toEqual([]);
  });

  it('every npm run pipeline command a step calls exists', () => {
    const called = runs.flatMap(({ where, script }) => {
      const c = pipelineCommand(script);
      return c ? [{ where, c }] : [];
    });
    expect(called.length).toBeGreaterThan(10);
    expect(called.filter(({ c }) => !COMMANDS.includes(c)).map(({ where, c }) => `${where}: ${c}`)).toEqual(
      [],
    );
  });

  it('every script under scripts/ a step calls exists and is executable', () => {
    const files = runs.flatMap(({ script }) => /^(scripts\/\S+)/.exec(script.trim())?.[1] ?? []);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const st = fs.statSync(path.join(repoRoot, f));
      expect({ f, executable: (st.mode & 0o111) !== 0 }).toEqual({ f, executable: true });
    }
  });
});

describe('oneScriptProblem (the rule itself)', () => {
  it('accepts one script call with arguments, quoted variables and a continued line', () => {
    expect(oneScriptProblem('npm run lint')).toBeUndefined();
    expect(oneScriptProblem('npm run pipeline -- chart-lint --charts "$CHARTS"')).toBeUndefined();
    expect(oneScriptProblem('npm run deploy -- "$ENVIRONMENT" \\\n  --timeout 10m\n')).toBeUndefined();
    expect(oneScriptProblem('npm test -- --selectProjects a b')).toBeUndefined();
    expect(oneScriptProblem('npm audit --audit-level=high')).toBeUndefined();
    expect(oneScriptProblem('scripts/src/ci/apt-install.sh "$APT_PACKAGES"')).toBeUndefined();
    expect(oneScriptProblem('npm run pipeline -- x --title "a | b; c > d"')).toBeUndefined();
  });

  it('rejects the inline shell the first workflows had', () => {
    // The digests step that glued the digest files together.
    expect(
      oneScriptProblem(
        'json=$(jq -cRn \'reduce inputs as $d ({}; . + {(input_filename): $d})\' digests/*)\necho "digests=$json" >>"$GITHUB_OUTPUT"\n',
      ),
    ).toMatch(/2 command lines/);
    expect(oneScriptProblem('mkdir -p digests\nprintf \'%s\' "$DIGEST" >"digests/$SERVICE"')).toMatch(
      /2 command lines/,
    );
    expect(oneScriptProblem('printf \'%s\' "$DIGEST" >"digests/$SERVICE"')).toMatch(/shell syntax ">"/);
    expect(oneScriptProblem('npm run lint && npm run typecheck')).toMatch(/shell syntax "&&"/);
    expect(oneScriptProblem('npm run a | tee x')).toMatch(/shell syntax "\|"/);
    expect(oneScriptProblem('npm run deploy -- "$(cat x)"')).toMatch(/shell syntax "\$\("/);
    expect(oneScriptProblem('kubectl apply -f crds')).toMatch(/not an npm script/);
    expect(oneScriptProblem('bash -c "npm run lint"')).toMatch(/not an npm script/);
    expect(oneScriptProblem('if [ -n "$X" ]; then npm run a; fi')).toMatch(/shell syntax ";"/);
  });

  it('reads the pipeline command a step calls', () => {
    expect(pipelineCommand('npm run pipeline -- digests --dir d')).toBe('digests');
    expect(pipelineCommand('npm run --silent pipeline -- write-kubeconfig')).toBe('write-kubeconfig');
    expect(pipelineCommand('npm run lint')).toBeUndefined();
  });
});
