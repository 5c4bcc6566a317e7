// helm v3 and v4 as built by `npm run tools`: the Kubernetes version templates see, and
// helm-unittest as a plugin and standalone.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { KUBERNETES_VERSION, requireTool } from '../../src/tools/paths';
import { versions } from '../../src/tools/manifest';
import { runTool } from './helpers';
import { renderedKubeVersion, scratchChart } from './scratch-chart';

const minor = KUBERNETES_VERSION.split('.')[1];

describe('helm v3', () => {
  it(`tells templates .Capabilities.KubeVersion is v1.${minor}.x (ldflags, not the v1.20 default)`, () => {
    const { chart } = scratchChart();
    const r = runTool('helm', ['template', 'smoke', chart]);
    expect(r.status).toBe(0);
    expect(renderedKubeVersion(r.output)).toMatch(new RegExp(`^v1\\.${minor}\\.\\d+$`));
  });

  it("enforces a chart's kubeVersion constraint against that version", () => {
    const { chart } = scratchChart({ chartYamlExtra: 'kubeVersion: "<1.30.0-0"\n' });
    const r = runTool('helm', ['template', 'smoke', chart]);
    expect(r.status).toBe(1);
    expect(r.output).toContain('incompatible with Kubernetes v1.' + minor);
  });
});

describe('helm v4', () => {
  // helm v4 derives the capability from the client-go version in its build info (no ldflag
  // overrides it), so without --kube-version templates see client-go's minor, not ours.
  it('defaults .Capabilities.KubeVersion to its client-go minor, and honours --kube-version', () => {
    const buildInfo = spawnSync('go', ['version', '-m', requireTool('helm4')], { encoding: 'utf8' }).stdout;
    const clientGo = /\tdep\tk8s\.io\/client-go\tv0\.(\d+)\./.exec(buildInfo)?.[1];
    expect(clientGo).toBeDefined();
    const { chart } = scratchChart();
    expect(renderedKubeVersion(runTool('helm4', ['template', 'smoke', chart]).output)).toBe(
      `v1.${clientGo}.0`,
    );
    const pinned = runTool('helm4', ['template', 'smoke', chart, '--kube-version', KUBERNETES_VERSION]);
    expect(renderedKubeVersion(pinned.output)).toBe(KUBERNETES_VERSION);
  });
});

describe('helm-unittest', () => {
  it.each([
    ['helm unittest (plugin for helm v3)', 'helm', ['unittest']],
    ['helm4 unittest (the same legacy plugin, loaded by helm v4)', 'helm4', ['unittest']],
    ['untt (standalone)', 'untt', []],
  ])('%s passes a true assertion and fails a false one', (_name, bin, pre) => {
    const good = scratchChart({ unittestValue: 'hello' });
    const ok = runTool(bin as string, [...(pre as string[]), good.chart]);
    expect(ok.output).toMatch(/Tests:\s+1 passed, 1 total/);
    expect(ok.status).toBe(0);
    const bad = scratchChart({ unittestValue: 'goodbye' });
    const failed = runTool(bin as string, [...(pre as string[]), bad.chart]);
    expect(failed.output).toMatch(/Tests:\s+1 failed, 0 passed, 1 total/);
    expect(failed.status).not.toBe(0);
  });

  it(`knows its own version (${versions.helmUnittest}): a suite needing a newer plugin is skipped`, () => {
    const current = versions.helmUnittest.replace(/^v/, '');
    const next = current.replace(/\d+$/, (p) => String(Number(p) + 1));
    const withMinimum = (minimum: string) => {
      const { chart } = scratchChart({ unittestValue: 'hello' });
      fs.appendFileSync(
        path.join(chart, 'tests', 'configmap_test.yaml'),
        `skip:\n  minimumVersion: ${minimum}\n`,
      );
      return runTool('untt', [chart]).output;
    };
    expect(withMinimum(current)).toMatch(/Tests:\s+1 passed, 1 total/);
    expect(withMinimum(next)).toMatch(/Tests:\s+0 passed, 1 skipped, 1 total/);
  });
});
