// Each installed tool runs and reports the pinned version (smoke test of `npm run tools`).
import { spawnSync } from 'node:child_process';
import { KUBERNETES_VERSION, requireTool } from '../../src/tools/paths';
import { versions } from '../../src/tools/manifest';
import { runTool } from './helpers';

const plain = (v: string) => v.replace(/^v/, '').replace(/\./g, '\\.');

// [binary, arguments, what its output must contain]
const table: [string, string[], RegExp][] = [
  ['helm', ['version', '--short'], new RegExp(`^v${plain(versions.helm)}\\b`)],
  ['helm4', ['version', '--short'], new RegExp(`^v${plain(versions.helm4)}\\b`)],
  ['ct', ['version'], new RegExp(`Version:\\s+v${plain(versions.ct)}\\n`)],
  ['kubeconform', ['-v'], new RegExp(`^v${plain(versions.kubeconform)}\\n`)],
  ['kwok', ['--version'], new RegExp(`\\bv${plain(versions.kwok)}\\b`)],
  ['kwokctl', ['--version'], new RegExp(`\\bv${plain(versions.kwok)}\\b`)],
  ['kube-apiserver', ['--version'], new RegExp(`^Kubernetes v${plain(KUBERNETES_VERSION)}\\n`)],
  ['kube-controller-manager', ['--version'], new RegExp(`^Kubernetes v${plain(KUBERNETES_VERSION)}\\n`)],
  ['kube-scheduler', ['--version'], new RegExp(`^Kubernetes v${plain(KUBERNETES_VERSION)}\\n`)],
  ['kubectl', ['version', '--client'], new RegExp(`^Client Version: v${plain(KUBERNETES_VERSION)}\\n`)],
  ['kubelet', ['--version'], new RegExp(`^Kubernetes v${plain(KUBERNETES_VERSION)}\\n`)],
  ['kube-proxy', ['--version'], new RegExp(`^Kubernetes v${plain(KUBERNETES_VERSION)}\\n`)],
  ['crictl', ['--version'], new RegExp(`^crictl version v${plain(versions.criTools)}\\n`)],
  ['coredns', ['-version'], new RegExp(`^CoreDNS-${plain(versions.coredns)}\\n`)],
  ['containerd', ['--version'], /^containerd \S+ 1\.\d+\./],
  ['etcd', ['--version'], new RegExp(`^etcd Version: ${plain(versions.etcd)}\\n`)],
  ['actionlint', ['-version'], new RegExp(`^v${plain(versions.actionlint)}\\n`)],
  ['yamllint', ['--version'], new RegExp(`^yamllint ${plain(versions.yamllint)}\\n`)],
  ['yamale', ['--version'], new RegExp(`^${plain(versions.yamale)}\\n`)],
  ['promtool', ['--version'], new RegExp(`^promtool, version ${plain(versions.prometheus)}\\+`)],
  ['prometheus', ['--version'], new RegExp(`^prometheus, version ${plain(versions.prometheus)}\\+`)],
  ['shellcheck', ['--version'], /^version: \d+\.\d+\.\d+$/m],
  ['chromium', ['--version'], /^Chromium \d+\./m],
];

describe('installed toolchain reports the pinned versions', () => {
  it.each(table)('%s %j', (bin, args, expected) => {
    const { status, output } = runTool(bin, args);
    expect({ status, output }).toEqual({ status: 0, output: expect.stringMatching(expected) });
  });

  it('untt is helm-unittest at the pinned module version (it has no --version; its build info says)', () => {
    const out = spawnSync('go', ['version', '-m', requireTool('untt')], { encoding: 'utf8' }).stdout;
    expect(out).toMatch(
      new RegExp(
        `\\n\\s+mod\\s+github\\.com/helm-unittest/helm-unittest\\s+${plain(versions.helmUnittest).replace(/^/, 'v')}\\s`,
      ),
    );
    expect(out).toContain('github.com/helm-unittest/yaml-jsonpath\tv0.4.0');
  });
});
