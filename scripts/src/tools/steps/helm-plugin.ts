// helm-unittest as a helm plugin (`helm unittest`), installed offline: `helm plugin install`
// would run the plugin's hook, which downloads a release binary from GitHub. Instead the
// plugin.yaml from the module zip goes into helm's plugin folder with our binary beside it
// under the name its platformCommand expects.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { probe, ToolError } from '../exec';
import type { Context } from '../tool';

interface PluginManifest {
  version?: string;
  platformCommand?: { os?: string; arch?: string; command?: string }[];
}

const goOs: Record<string, string> = { linux: 'linux', darwin: 'darwin', win32: 'windows' };
const goArch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ppc64: 'ppc64le', s390x: 's390x' };

function pluginsDir(ctx: Context, helmName: string): string | undefined {
  return probe(path.join(ctx.bin, helmName), ['env', 'HELM_PLUGINS'], ctx.env)?.trim();
}

/** The file name plugin.yaml's platformCommand runs on this OS/arch (e.g. untt-linux-amd64). */
export function platformBinary(manifest: PluginManifest, os = process.platform, arch = process.arch): string {
  const entry = manifest.platformCommand?.find((c) => c.os === goOs[os] && c.arch === goArch[arch]);
  if (!entry?.command) throw new Error(`helm-unittest's plugin.yaml has no command for ${os}/${arch}`);
  return path.basename(entry.command.replace(/\\/g, '/'));
}

export function installUnittestPlugin(ctx: Context, helmName: string, moduleDir: string, untt: string): void {
  const dir = pluginsDir(ctx, helmName);
  if (!dir)
    throw new ToolError(
      'untt',
      `${helmName} env HELM_PLUGINS`,
      `${helmName} is not installed: run npm run tools -- --only ${helmName}`,
    );
  const text = fs.readFileSync(path.join(moduleDir, 'plugin.yaml'), 'utf8');
  const target = path.join(dir, 'unittest');
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  fs.writeFileSync(path.join(target, 'plugin.yaml'), text);
  fs.symlinkSync(untt, path.join(target, platformBinary(YAML.parse(text) as PluginManifest)));
}

export function unittestPluginProblem(ctx: Context, helmName: string, version: string): string | undefined {
  const dir = pluginsDir(ctx, helmName);
  if (!dir) return `${helmName} does not run, so the unittest plugin cannot be checked`;
  const file = path.join(dir, 'unittest', 'plugin.yaml');
  if (!fs.existsSync(file)) return `the unittest plugin is not installed for ${helmName}`;
  const manifest = YAML.parse(fs.readFileSync(file, 'utf8')) as PluginManifest;
  if (String(manifest.version) !== version)
    return `the unittest plugin is ${manifest.version}, pinned ${version}`;
  const bin = path.join(dir, 'unittest', platformBinary(manifest));
  return fs.existsSync(bin) ? undefined : `the unittest plugin's binary ${bin} is missing`;
}
