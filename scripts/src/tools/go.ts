// Building tools from source through the Go module proxy (the only way to get them here).
// GOMODCACHE and GOCACHE stay at Go's defaults (or whatever the caller exported), so they
// survive between runs and a rebuild after a pin change is incremental.
import fs from 'node:fs';
import path from 'node:path';
import { probe, run, ToolError } from './exec';
import type { Context } from './tool';

let cachedGoVersion: string | undefined;

/**
 * `go env GOVERSION`, part of every Go tool's build inputs. Without Go this is "none": a tool
 * adopted from PATH still works, and a build fails with "go is not installed".
 */
export function goVersion(): string {
  cachedGoVersion ??= probe('go', ['env', 'GOVERSION'])?.trim() || 'none';
  return cachedGoVersion;
}

/** Static, path-independent builds; the caller's GOFLAGS (e.g. -buildvcs=false) are kept. */
export function goEnv(ctx: Context, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const flags = [ctx.env.GOFLAGS, '-trimpath'].filter(Boolean).join(' ');
  return { ...ctx.env, CGO_ENABLED: '0', GOFLAGS: flags, ...extra };
}

export function ldflags(vars: Record<string, string>): string {
  return ['-s', '-w', ...Object.entries(vars).map(([k, v]) => `-X ${k}=${v}`)].join(' ');
}

/** `go install pkg@version …` into dir (each binary keeps its package's name). */
export function goInstall(
  ctx: Context,
  tool: string,
  pkgsAtVersion: string[],
  dir: string,
  flags: string,
): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  run(tool, 'go', ['install', `-ldflags=${flags}`, ...pkgsAtVersion], { env: goEnv(ctx, { GOBIN: dir }) });
}

export interface ModuleInfo {
  Dir: string;
  GoMod: string;
  Version: string;
  /** When the version was published (from the proxy). */
  Time: string;
}

/** Downloads one module version into GOMODCACHE and says where its files and .mod are. */
export function modDownload(ctx: Context, tool: string, moduleAtVersion: string): ModuleInfo {
  const out = run(tool, 'go', ['mod', 'download', '-json', moduleAtVersion], { env: goEnv(ctx) });
  const info = JSON.parse(out.slice(out.indexOf('{'))) as ModuleInfo & { Error?: string };
  if (info.Error || !info.Dir) {
    throw new ToolError(
      tool,
      `go mod download -json ${moduleAtVersion}`,
      info.Error ?? 'no Dir in the answer',
    );
  }
  return info;
}

export interface WrapperBuild {
  /** Folder for the wrapper module's go.mod (regenerated on each build). */
  srcDir: string;
  goMod: string;
  /** Packages the wrapper imports in tools.go so `go mod tidy` resolves them. */
  packages: string[];
  /** Output: a folder (several binaries, named after their packages) or one file path. */
  output: string;
  flags: string;
  /** Source files making the wrapper module a main package of ours (name → text); packages is then ['.']. */
  files?: Record<string, string>;
}

/** Builds binaries of a module that cannot be `go install`ed (replace directives) via a wrapper module. */
export function wrapperBuild(ctx: Context, tool: string, w: WrapperBuild): void {
  fs.rmSync(w.srcDir, { recursive: true, force: true });
  fs.mkdirSync(w.srcDir, { recursive: true });
  fs.writeFileSync(path.join(w.srcDir, 'go.mod'), w.goMod);
  if (w.files) {
    // The wrapper is itself the main package (its own main.go imports what it needs).
    for (const [name, text] of Object.entries(w.files)) fs.writeFileSync(path.join(w.srcDir, name), text);
  } else {
    const imports = w.packages.map((p) => `\t_ "${p}"`).join('\n');
    // The classic tools.go: never compiled, but makes the packages (and go.sum entries) part of the module.
    fs.writeFileSync(
      path.join(w.srcDir, 'tools.go'),
      `//go:build tools\n\npackage tools\n\nimport (\n${imports}\n)\n`,
    );
  }
  const env = goEnv(ctx);
  run(tool, 'go', ['mod', 'tidy'], { cwd: w.srcDir, env });
  run(tool, 'go', ['build', `-ldflags=${w.flags}`, '-o', w.output, ...w.packages], { cwd: w.srcDir, env });
}
