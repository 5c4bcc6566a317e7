// Tools built from source through the Go module proxy.
import fs from 'node:fs';
import path from 'node:path';
import { goInstall, goVersion, ldflags, modDownload, wrapperBuild } from '../go';
import { kubernetesMinor, versions } from '../manifest';
import { type Context, link, type Step, toolDir } from '../tool';
import { stagingReplaces, wrapperGoMod } from '../wrappers';
import { renderedKubeVersion } from './helm-scratch';
import { installUnittestPlugin, unittestPluginProblem } from './helm-plugin';

/** `go version -m` lists a binary's modules: the version probe for tools without a --version. */
const goVersionM = (module: string) => ({
  command: (bin: string): [string, string[]] => ['go', ['version', '-m', bin]],
  line: new RegExp(`\\s${module.replace(/[.]/g, '\\.')}\\s`),
});

const helmFlags = ldflags({
  'helm.sh/helm/v3/internal/version.version': versions.helm,
  // Without these helm v3 tells templates and lint that the cluster is Kubernetes v1.20.
  'helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor': '1',
  'helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor': kubernetesMinor,
  'helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor': '1',
  'helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor': kubernetesMinor,
});

export const helm: Step = {
  name: 'helm',
  version: versions.helm,
  bins: ['helm'],
  adoptFromPath: true,
  inputs: () => ({ go: goVersion(), flags: helmFlags }),
  probes: [{ bin: 'helm', args: ['version', '--short'] }],
  check(ctx) {
    const kube = renderedKubeVersion(path.join(ctx.bin, 'helm'), ctx.env);
    return kube?.startsWith(`v1.${kubernetesMinor}.`)
      ? undefined
      : `helm reports .Capabilities.KubeVersion ${kube ?? '(nothing)'}, want v1.${kubernetesMinor}.x`;
  },
  install(ctx) {
    const dir = toolDir(ctx, this);
    goInstall(ctx, this.name, [`helm.sh/helm/v3/cmd/helm@${this.version}`], dir, helmFlags);
    link(ctx, 'helm', path.join(dir, 'helm'));
  },
};

const unittestVersion = versions.helmUnittest.replace(/^v/, '');
const unittestFlags = ldflags({
  'github.com/helm-unittest/helm-unittest/internal/build.version': unittestVersion,
});

export const untt: Step = {
  name: 'untt',
  version: versions.helmUnittest,
  bins: ['untt'],
  inputs: () => ({ go: goVersion(), flags: unittestFlags, replace: versions.helmUnittestReplace }),
  // helm-unittest has no --version; its module version is in the binary's build info.
  probes: [{ bin: 'untt', args: [], ...goVersionM('github.com/helm-unittest/helm-unittest') }],
  check: (ctx) => unittestPluginProblem(ctx, 'helm', unittestVersion),
  install(ctx) {
    const dir = toolDir(ctx, this);
    const mod = modDownload(ctx, this.name, `github.com/helm-unittest/helm-unittest@${this.version}`);
    const { from, to } = versions.helmUnittestReplace;
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    wrapperBuild(ctx, this.name, {
      srcDir: path.join(ctx.cache, 'src', `untt-${this.version}`),
      goMod: wrapperGoMod({
        module: 'techcommerce.local/helm-unittest-wrapper',
        dependencyGoMod: fs.readFileSync(mod.GoMod, 'utf8'),
        requires: [{ path: 'github.com/helm-unittest/helm-unittest', version: this.version }],
        replaces: [`${from} => ${to}`],
      }),
      packages: ['github.com/helm-unittest/helm-unittest/cmd/helm-unittest'],
      output: path.join(dir, 'untt'),
      flags: unittestFlags,
    });
    link(ctx, 'untt', path.join(dir, 'untt'));
    installUnittestPlugin(ctx, 'helm', mod.Dir, path.join(dir, 'untt'));
  },
};

const kubeconformFlags = ldflags({ 'main.version': versions.kubeconform });

export const kubeconform: Step = {
  name: 'kubeconform',
  version: versions.kubeconform,
  bins: ['kubeconform'],
  adoptFromPath: true,
  inputs: () => ({ go: goVersion(), flags: kubeconformFlags }),
  probes: [{ bin: 'kubeconform', args: ['-v'] }],
  install(ctx) {
    const dir = toolDir(ctx, this);
    goInstall(
      ctx,
      this.name,
      [`github.com/yannh/kubeconform/cmd/kubeconform@${this.version}`],
      dir,
      kubeconformFlags,
    );
    link(ctx, 'kubeconform', path.join(dir, 'kubeconform'));
  },
};

const ctFlags = ldflags({ 'github.com/helm/chart-testing/v3/ct/cmd.Version': versions.ct });
const ctEtcFiles = ['chart_schema.yaml', 'lintconf.yaml'];

export const ct: Step = {
  name: 'ct',
  version: versions.ct,
  bins: ['ct'],
  inputs: () => ({ go: goVersion(), flags: ctFlags, etc: ctEtcFiles }),
  probes: [{ bin: 'ct', args: ['version'] }],
  check(ctx) {
    const missing = ctEtcFiles.filter((f) => !fs.existsSync(path.join(toolDir(ctx, this), 'etc', f)));
    return missing.length ? `ct's etc/ lacks ${missing.join(', ')}` : undefined;
  },
  install(ctx) {
    const dir = toolDir(ctx, this);
    const mod = modDownload(ctx, this.name, `github.com/helm/chart-testing/v3@${this.version}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, 'etc'), { recursive: true });
    // `go install …/ct@v3.14.0` fails here: it asks the proxy for the module's version list
    // (deprecation check), which answers 403. A wrapper module needs only the pinned version.
    wrapperBuild(ctx, this.name, {
      srcDir: path.join(ctx.cache, 'src', `ct-${this.version}`),
      goMod: wrapperGoMod({
        module: 'techcommerce.local/chart-testing-wrapper',
        dependencyGoMod: fs.readFileSync(mod.GoMod, 'utf8'),
        requires: [{ path: 'github.com/helm/chart-testing/v3', version: this.version }],
        replaces: [],
      }),
      packages: ['github.com/helm/chart-testing/v3/ct'],
      output: path.join(dir, 'ct'),
      flags: ctFlags,
    });
    // The module zip carries the configs ct's release archives ship beside the binary.
    for (const f of ctEtcFiles) fs.copyFileSync(path.join(mod.Dir, 'etc', f), path.join(dir, 'etc', f));
    link(ctx, 'ct', path.join(dir, 'ct'));
  },
};

const kubeBinaries = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl'];

/** Version ldflags for both places Kubernetes reads its version from (`--version`, `/version`). */
export function kubernetesFlags(buildDate: string): string {
  const [major, minor] = versions.kubernetes.replace(/^v/, '').split('.') as [string, string];
  const vars: Record<string, string> = {};
  for (const pkg of ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']) {
    Object.assign(vars, {
      [`${pkg}.gitVersion`]: versions.kubernetes,
      [`${pkg}.gitMajor`]: major,
      [`${pkg}.gitMinor`]: minor,
      [`${pkg}.gitTreeState`]: 'clean',
      [`${pkg}.buildDate`]: buildDate,
    });
  }
  return ldflags(vars);
}

/**
 * Builds commands of k8s.io/kubernetes (cmd/<bin>) in one `go build` through a wrapper module
 * (the staging modules replaced by their tagged versions) and links them into the bin folder.
 * `wrapper` names the wrapper module; its source folder is the step's, so each step keeps its stamp.
 */
export function buildKubernetesCommands(
  ctx: Context,
  step: Step,
  o: { wrapper: string; bins: readonly string[] },
): void {
  const dir = toolDir(ctx, step);
  const mod = modDownload(ctx, step.name, `k8s.io/kubernetes@${step.version}`);
  const modText = fs.readFileSync(mod.GoMod, 'utf8');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  wrapperBuild(ctx, step.name, {
    srcDir: path.join(ctx.cache, 'src', `${step.name}-${step.version}`),
    goMod: wrapperGoMod({
      module: `techcommerce.local/${o.wrapper}-wrapper`,
      dependencyGoMod: modText,
      requires: [{ path: 'k8s.io/kubernetes', version: step.version }],
      replaces: stagingReplaces(modText, versions.kubernetesStaging),
    }),
    packages: o.bins.map((b) => `k8s.io/kubernetes/cmd/${b}`),
    output: `${dir}/`,
    flags: kubernetesFlags(mod.Time),
  });
  for (const b of o.bins) link(ctx, b, path.join(dir, b));
}

export const kubernetes: Step = {
  name: 'kubernetes',
  version: versions.kubernetes,
  bins: kubeBinaries,
  // buildDate is the release's publication time (from the proxy), fixed by the version.
  inputs: () => ({ go: goVersion(), flags: kubernetesFlags('<release time>'), bins: kubeBinaries }),
  probes: [
    { bin: 'kube-apiserver', args: ['--version'] },
    { bin: 'kube-controller-manager', args: ['--version'] },
    { bin: 'kube-scheduler', args: ['--version'] },
    { bin: 'kubectl', args: ['version', '--client'] },
  ],
  install(ctx) {
    // One `go build` for all four: they share most packages, so this is far faster than four builds.
    buildKubernetesCommands(ctx, this, { wrapper: 'kubernetes', bins: kubeBinaries });
  },
};

const etcdFlags = ldflags({});

export const etcd: Step = {
  name: 'etcd',
  version: versions.etcd,
  bins: ['etcd'],
  adoptFromPath: true,
  inputs: () => ({ go: goVersion(), flags: etcdFlags }),
  probes: [{ bin: 'etcd', args: ['--version'] }],
  install(ctx) {
    const dir = toolDir(ctx, this);
    const mod = modDownload(ctx, this.name, `go.etcd.io/etcd/server/v3@${this.version}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    // server/v3's go.mod replaces its sibling modules with ../ paths; as a dependency those
    // replaces are ignored and the published v3.6.x siblings it requires are used instead.
    wrapperBuild(ctx, this.name, {
      srcDir: path.join(ctx.cache, 'src', `etcd-${this.version}`),
      goMod: wrapperGoMod({
        module: 'techcommerce.local/etcd-wrapper',
        dependencyGoMod: fs.readFileSync(mod.GoMod, 'utf8'),
        requires: [{ path: 'go.etcd.io/etcd/server/v3', version: this.version }],
        replaces: [],
      }),
      packages: ['go.etcd.io/etcd/server/v3'],
      output: path.join(dir, 'etcd'),
      flags: etcdFlags,
    });
    link(ctx, 'etcd', path.join(dir, 'etcd'));
  },
};

const kwokFlags = ldflags({
  'sigs.k8s.io/kwok/pkg/consts.Version': versions.kwok,
  // kwokctl's default cluster version: ours, so it never wants to download another.
  'sigs.k8s.io/kwok/pkg/consts.KubeVersion': versions.kubernetes,
});

export const kwok: Step = {
  name: 'kwok',
  version: versions.kwok,
  bins: ['kwok', 'kwokctl'],
  inputs: () => ({ go: goVersion(), flags: kwokFlags }),
  probes: [
    { bin: 'kwok', args: ['--version'] },
    { bin: 'kwokctl', args: ['--version'] },
  ],
  install(ctx) {
    const dir = toolDir(ctx, this);
    const pkgs = ['kwok', 'kwokctl'].map((b) => `sigs.k8s.io/kwok/cmd/${b}@${this.version}`);
    goInstall(ctx, this.name, pkgs, dir, kwokFlags);
    for (const b of this.bins) link(ctx, b, path.join(dir, b));
  },
};

const helm4Flags = ldflags({ 'helm.sh/helm/v4/internal/version.version': versions.helm4 });

export const helm4: Step = {
  name: 'helm4',
  version: versions.helm4,
  bins: ['helm4'],
  inputs: () => ({ go: goVersion(), flags: helm4Flags }),
  probes: [{ bin: 'helm4', args: ['version', '--short'] }],
  // helm v4 reads the same plugin folder and still loads helm v3-style (legacy) plugins.
  check: (ctx) => unittestPluginProblem(ctx, 'helm4', unittestVersion),
  install(ctx) {
    const dir = toolDir(ctx, this);
    goInstall(ctx, this.name, [`helm.sh/helm/v4/cmd/helm@${this.version}`], dir, helm4Flags);
    link(ctx, 'helm4', path.join(dir, 'helm'));
  },
};

export const actionlint: Step = {
  name: 'actionlint',
  version: versions.actionlint,
  bins: ['actionlint'],
  adoptFromPath: true,
  // `go install` records the module version, which actionlint prints; no ldflags needed.
  inputs: () => ({ go: goVersion(), flags: ldflags({}) }),
  probes: [{ bin: 'actionlint', args: ['-version'] }],
  install(ctx) {
    const dir = toolDir(ctx, this);
    goInstall(
      ctx,
      this.name,
      [`github.com/rhysd/actionlint/cmd/actionlint@${this.version}`],
      dir,
      ldflags({}),
    );
    link(ctx, 'actionlint', path.join(dir, 'actionlint'));
  },
};
