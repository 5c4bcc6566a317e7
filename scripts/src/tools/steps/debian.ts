// Debian packages: postgresql, chromium and shellcheck are installed system-wide (their versions
// follow the distribution); prometheus is only unpacked into the cache, because installing the
// package would register and start a Prometheus service, and we need just promtool.
import fs from 'node:fs';
import path from 'node:path';
import { probe, run, ToolError } from '../exec';
import { type DebianPackage, debianPackages, versions } from '../manifest';
import { type Context, link, type Step, toolDir } from '../tool';

const aptEnv = (ctx: Context) => ({ ...ctx.env, DEBIAN_FRONTEND: 'noninteractive' });

/** The installed version of a package, or undefined (also when this is not a Debian system). */
export function dpkgVersion(pkg: string): string | undefined {
  const out = probe('dpkg-query', ['-W', '-f=${Status}\t${Version}', pkg]);
  const [status, version] = (out ?? '').split('\t');
  return status === 'install ok installed' ? version : undefined;
}

let listsUpdated = false;
function aptUpdate(ctx: Context, tool: string): void {
  if (listsUpdated) return;
  run(tool, 'apt-get', ['update', '-q'], { env: aptEnv(ctx) });
  listsUpdated = true;
}

/** Commands linked into <cache>/bin so scripts and tests find them the same way as the rest. */
const commands: Record<DebianPackage, string[]> = {
  postgresql: [],
  chromium: ['chromium'],
  shellcheck: ['shellcheck'],
  // runc and iptables live in /usr/sbin, found on PATH by containerd and kube-proxy.
  containerd: ['containerd', 'ctr'],
  runc: [],
  'containernetworking-plugins': [],
  iptables: [],
};

/** A Debian package as a step; `links` are its commands put into <cache>/bin. */
export function aptStep(pkg: string, links: string[]): Step {
  return {
    name: pkg,
    get version() {
      return dpkgVersion(pkg) ?? 'debian';
    },
    bins: links,
    stampless: true,
    verb: 'installed',
    inputs: () => ({}),
    probes: [],
    check(ctx) {
      if (!dpkgVersion(pkg)) return `Debian package ${pkg} is not installed`;
      const unlinked = links.filter((c) => !fs.existsSync(path.join(ctx.bin, c)));
      return unlinked.length ? `${unlinked.join(', ')} not linked into ${ctx.bin}` : undefined;
    },
    install(ctx) {
      if (!dpkgVersion(pkg)) {
        if (!ctx.isRoot) {
          throw new ToolError(
            pkg,
            `sudo apt-get install -y ${pkg}`,
            `${pkg} is missing and this is not root: run that command, then npm run tools again.`,
          );
        }
        aptUpdate(ctx, pkg);
        run(pkg, 'apt-get', ['install', '-y', '-q', '--no-install-recommends', pkg], { env: aptEnv(ctx) });
      }
      for (const c of links) link(ctx, c, `/usr/bin/${c}`);
    },
  };
}

export const aptPackages: Step[] = debianPackages.map((p) => aptStep(p, commands[p]));

/** The version apt would download, e.g. "2.42.0+ds-5+deb12u1". */
function candidate(pkg: string): string | undefined {
  const out = probe('apt-cache', ['policy', pkg]) ?? '';
  const c = /Candidate:\s*(\S+)/.exec(out)?.[1];
  return c && c !== '(none)' ? c : undefined;
}

export const prometheus: Step = {
  name: 'prometheus',
  version: versions.prometheus,
  bins: ['promtool', 'prometheus'],
  inputs: () => ({ package: 'prometheus', extract: 'dpkg-deb -x' }),
  probes: [
    { bin: 'promtool', args: ['--version'] },
    { bin: 'prometheus', args: ['--version'] },
  ],
  install(ctx) {
    let offered = candidate('prometheus');
    if (!offered && ctx.isRoot) {
      aptUpdate(ctx, this.name);
      offered = candidate('prometheus');
    }
    if (!offered) {
      throw new ToolError(
        this.name,
        'apt-cache policy prometheus',
        'apt offers no prometheus package (run apt-get update as root?)',
      );
    }
    if (!offered.startsWith(`${this.version}+`) && !offered.startsWith(`${this.version}-`)) {
      throw new ToolError(
        this.name,
        'apt-cache policy prometheus',
        `apt offers ${offered}; the manifest pins ${this.version}`,
      );
    }
    const downloads = path.join(ctx.cache, 'downloads');
    fs.mkdirSync(downloads, { recursive: true });
    run(this.name, 'apt-get', ['download', '-q', `prometheus=${offered}`], { cwd: downloads, env: ctx.env });
    // apt-get download names the file <name>_<version, ':' as %3a>_<arch>.deb.
    const prefix = `prometheus_${offered.replace(/:/g, '%3a')}_`;
    const deb = fs.readdirSync(downloads).find((f) => f.startsWith(prefix) && f.endsWith('.deb'));
    if (!deb)
      throw new ToolError(this.name, 'apt-get download prometheus', `no prometheus_*.deb in ${downloads}`);
    const dir = toolDir(ctx, this);
    fs.rmSync(dir, { recursive: true, force: true });
    run(this.name, 'dpkg-deb', ['-x', path.join(downloads, deb), dir], { env: ctx.env });
    for (const b of this.bins) link(ctx, b, path.join(dir, 'usr', 'bin', b));
  },
};
