// What a service's container image does, without a Docker engine (none on the development
// machines). services/Dockerfile is read instruction by instruction and every stage the final one
// needs is laid out in a scratch folder that stands for its root file system: COPY copies from the
// build context (the repository, filtered by the Dockerfile's ignore file) or from an earlier
// stage, RUN runs the Dockerfile's own command there with the build arguments in its environment.
// The final stage is then started as the image starts it: its CMD from its WORKDIR, as its numeric
// USER (when the tests run as root), with its ENV, from files nobody can write.
// Simulated, and the tests say so: the base image's files are not there (the host's node and npm
// stand in for them) and the final stage's RUN lines, which only change the base image, do not run.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { watchProcess, type ServiceProcess } from './service-process';

const root = path.resolve(__dirname, '../../..');
/** The one Dockerfile of every service; the build context is the repository root. */
export const DOCKERFILE = 'services/Dockerfile';

export interface Instruction {
  keyword: string;
  args: string;
  /** 1-based line in the Dockerfile where the instruction starts. */
  line: number;
}

export interface Stage {
  /** The AS name, or the stage's index when it has none. */
  name: string;
  /** The image or earlier stage it starts from. */
  base: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  text: string;
  /** ARGs before the first FROM. */
  globalArgs: Instruction[];
  stages: Stage[];
  final: Stage;
  /** The ignore file's text (Dockerfile.dockerignore beside the Dockerfile). */
  ignoreText: string;
}

/** Joins continuation lines and drops comments, as Docker reads a Dockerfile. */
export function parseDockerfile(text: string): Pick<Dockerfile, 'globalArgs' | 'stages'> {
  const lines = text.split('\n');
  const instructions: Instruction[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*(#|$)/.test(lines[i]!)) continue;
    const line = i + 1;
    let logical = lines[i]!;
    while (/\\\s*$/.test(logical)) {
      logical = logical.replace(/\\\s*$/, '');
      do i++;
      while (i < lines.length && /^\s*#/.test(lines[i]!));
      if (i >= lines.length)
        throw new Error(`${DOCKERFILE}:${line}: a line continuation at the end of the file`);
      logical += '\n' + lines[i]!;
    }
    const m = /^\s*([A-Za-z]+)\s+([\s\S]*?)\s*$/.exec(logical);
    if (!m) throw new Error(`${DOCKERFILE}:${line}: not an instruction: ${logical}`);
    instructions.push({ keyword: m[1]!.toUpperCase(), args: m[2]!.replace(/\n/g, ' '), line });
  }
  const globalArgs: Instruction[] = [];
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const from = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      if (!from) throw new Error(`${DOCKERFILE}:${ins.line}: cannot read FROM ${ins.args}`);
      stages.push({ name: from[2] ?? String(stages.length), base: from[1]!, instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1]!.instructions.push(ins);
    } else if (ins.keyword === 'ARG') {
      globalArgs.push(ins);
    } else {
      throw new Error(`${DOCKERFILE}:${ins.line}: ${ins.keyword} before the first FROM`);
    }
  }
  if (stages.length === 0) throw new Error(`${DOCKERFILE}: no FROM`);
  return { globalArgs, stages };
}

export function readDockerfile(): Dockerfile {
  const text = fs.readFileSync(path.join(root, DOCKERFILE), 'utf8');
  const { globalArgs, stages } = parseDockerfile(text);
  const ignoreFile = path.join(root, `${DOCKERFILE}.dockerignore`);
  const ignoreText = fs.readFileSync(ignoreFile, 'utf8');
  return { text, globalArgs, stages, final: stages[stages.length - 1]!, ignoreText };
}

// --- build context ------------------------------------------------------------------------------

interface IgnoreRule {
  negate: boolean;
  pattern: string;
  regex: RegExp;
}

/** The rules of a .dockerignore file (Go filepath.Match patterns plus `**`, `!` re-includes). */
export function ignoreRules(text: string): IgnoreRule[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = path.posix.normalize(l.slice(negate ? 1 : 0).trim()).replace(/^\/+|\/+$/g, '');
      let re = '';
      for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i]!;
        if (pattern.startsWith('**/', i)) {
          re += '(?:.*/)?';
          i += 2;
        } else if (pattern.startsWith('**', i)) {
          re += '.*';
          i += 1;
        } else if (c === '*') re += '[^/]*';
        else if (c === '?') re += '[^/]';
        else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
      }
      return { negate, pattern, regex: new RegExp(`^${re}$`) };
    });
}

/** Whether the context path (posix, relative) stays out of the build context. */
export function isIgnored(rules: IgnoreRule[], rel: string): boolean {
  const parts = rel.split('/');
  const selfAndParents = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  // The last rule that matches the path or one of its parent folders decides.
  for (const r of rules) if (selfAndParents.some((p) => r.regex.test(p))) ignored = !r.negate;
  return ignored;
}

/** Every file of the build context, as posix paths relative to the repository root. */
function contextFiles(rules: IgnoreRule[]): string[] {
  const files: string[] = [];
  const reincludes = rules.filter((r) => r.negate).map((r) => r.pattern);
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        // An ignored folder is skipped unless a `!` rule may bring back something inside it.
        const mayReinclude = reincludes.some((r) => r.startsWith(`${p}/`) || /^[*?]/.test(r));
        if (!isIgnored(rules, p) || mayReinclude) walk(p);
      } else if (!isIgnored(rules, p)) {
        files.push(p);
      }
    }
  };
  walk('');
  return files;
}

// --- the build ----------------------------------------------------------------------------------

interface StageState {
  root: string;
  workdir: string;
  env: Record<string, string>;
  args: Record<string, string>;
  user?: { uid: number; gid: number };
  cmd?: string[];
}

function expand(s: string, vars: Record<string, string>, where: string): string {
  if (/\$\{[^}]*[^A-Za-z0-9_}][^}]*\}/.test(s))
    throw new Error(`${where}: only $NAME and \${NAME} are simulated`);
  return s.replace(
    /\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))/g,
    (_, a?: string, b?: string) => vars[a ?? b!] ?? '',
  );
}

/** Where an absolute path of a stage lives on disk. */
const onDisk = (s: StageState, p: string) => path.join(s.root, path.posix.resolve(s.workdir, p));

/** The stages the final one needs (FROM an earlier stage, COPY --from), in file order. */
function neededStages(stages: Stage[]): Stage[] {
  const byName = new Map(stages.map((s) => [s.name.toLowerCase(), s]));
  const needed = new Set<Stage>();
  const visit = (s: Stage) => {
    if (needed.has(s)) return;
    needed.add(s);
    const parent = byName.get(s.base.toLowerCase());
    if (parent) visit(parent);
    for (const i of s.instructions) {
      const from = /--from=(\S+)/.exec(i.keyword === 'COPY' ? i.args : '');
      if (from) {
        const dep = byName.get(from[1]!.toLowerCase());
        if (!dep) throw new Error(`${DOCKERFILE}:${i.line}: COPY --from=${from[1]} names no earlier stage`);
        visit(dep);
      }
    }
  };
  visit(stages[stages.length - 1]!);
  return stages.filter((s) => needed.has(s));
}

// RUN lines of the build stages run on this machine: an absolute path would reach its files, not
// the stage's, so the Dockerfile keeps to paths relative to WORKDIR there.
function assertRelativePaths(cmd: string, where: string) {
  for (const m of cmd.matchAll(/(?:^|[\s;&|()'"=<>])(\/[^\s'";&|)]*)/g)) {
    if (m[1] !== '/dev/null')
      throw new Error(
        `${where}: RUN uses the absolute path ${m[1]}; the image simulation runs build-stage commands in scratch folders, so keep to paths relative to WORKDIR`,
      );
  }
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Files the test wrote (config, secrets): made read-only too. */
  files?: string[];
  /** Replaces CMD, as a chart's `command` does (e.g. ['node', 'dist/migrate.js']). */
  command?: string[];
}

export interface SimulatedImage {
  dockerfile: Dockerfile;
  buildArgs: Record<string, string>;
  /** Folder on disk for a path inside the image, e.g. path('/app/services/order-api'). */
  path(imagePath: string): string;
  workdir: string;
  user: { uid: number; gid: number };
  cmd: string[];
  env: Record<string, string>;
  /** The final stage's RUN lines, which the simulation does not run (they edit the base image). */
  notRun: Instruction[];
  /** A writable folder beside the image for config and secret files (made read-only by start()). */
  scratch: string;
  /** Packages the lockfile marks dev-only that are installed in the image (should be none). */
  devPackagesInstalled(): string[];
  start(o?: StartOptions): ServiceProcess;
  remove(): void;
}

/** Builds services/Dockerfile with these build arguments, e.g. { SERVICE: 'order-api' }. */
export function buildSimulatedImage(buildArgs: Record<string, string>): SimulatedImage {
  const dockerfile = readDockerfile();
  const rules = ignoreRules(dockerfile.ignoreText);
  const globalDefaults: Record<string, string> = {};
  for (const a of dockerfile.globalArgs) {
    const [name, value] = a.args.split(/=(.*)/s);
    globalDefaults[name!] = buildArgs[name!] ?? value ?? '';
  }
  const declared = new Set(
    [{ instructions: dockerfile.globalArgs }, ...dockerfile.stages].flatMap((s) =>
      s.instructions.filter((i) => i.keyword === 'ARG').map((i) => i.args.split('=')[0]),
    ),
  );
  const unused = Object.keys(buildArgs).filter((a) => !declared.has(a));
  if (unused.length) throw new Error(`${DOCKERFILE}: no stage declares ARG ${unused.join(', ')}`);

  const label = Object.values(buildArgs)
    .join('-')
    .replace(/[^\w-]/g, '_');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `tc-image-${label}-`));
  fs.chmodSync(scratch, 0o755);
  const built = new Map<string, StageState>();
  let context: string[] | undefined;
  let final: StageState | undefined;
  const notRun: Instruction[] = [];
  try {
    const stages = neededStages(dockerfile.stages);
    for (const stage of stages) {
      const isFinal = stage === dockerfile.final;
      const parent = built.get(stage.base.toLowerCase());
      const s: StageState = {
        root: path.join(scratch, 'stages', stage.name),
        workdir: parent?.workdir ?? '/',
        env: { ...parent?.env },
        args: {},
        ...(parent?.user ? { user: parent.user } : {}),
        ...(parent?.cmd ? { cmd: parent.cmd } : {}),
      };
      if (parent) fs.cpSync(parent.root, s.root, { recursive: true, verbatimSymlinks: true });
      else fs.mkdirSync(s.root, { recursive: true }); // an image from a registry: not simulated
      for (const ins of stage.instructions) {
        const where = `${DOCKERFILE}:${ins.line} (stage ${stage.name})`;
        const vars = { ...s.args, ...s.env };
        switch (ins.keyword) {
          case 'ARG': {
            const [name, value] = ins.args.split(/=(.*)/s);
            s.args[name!] = buildArgs[name!] ?? value ?? globalDefaults[name!] ?? '';
            break;
          }
          case 'ENV': {
            const m = /^(\w+)=(.*)$/.exec(ins.args);
            if (!m) throw new Error(`${where}: only ENV NAME=value is simulated`);
            s.env[m[1]!] = expand(m[2]!.replace(/^"(.*)"$/, '$1'), vars, where);
            break;
          }
          case 'WORKDIR':
            s.workdir = path.posix.resolve(s.workdir, expand(ins.args, vars, where));
            fs.mkdirSync(onDisk(s, '.'), { recursive: true });
            break;
          case 'COPY':
            context ??= contextFiles(rules);
            copy(s, expand(ins.args, vars, where), built, context, where);
            break;
          case 'RUN':
            if (isFinal) {
              notRun.push(ins);
              break;
            }
            run(s, ins.args, where);
            break;
          case 'USER': {
            const m = /^(\d+)(?::(\d+))?$/.exec(expand(ins.args, vars, where));
            if (!m) throw new Error(`${where}: USER ${ins.args} is not numeric (uid:gid)`);
            s.user = { uid: Number(m[1]), gid: Number(m[2] ?? m[1]) };
            break;
          }
          case 'CMD':
            s.cmd = JSON.parse(ins.args) as string[];
            break;
          case 'EXPOSE':
          case 'LABEL':
          case 'HEALTHCHECK':
            break;
          default:
            throw new Error(`${where}: ${ins.keyword} is not simulated`);
        }
      }
      built.set(stage.name.toLowerCase(), s);
      if (isFinal) final = s;
    }
    // The build stages are not part of the image.
    for (const [, s] of built) if (s !== final) fs.rmSync(s.root, { recursive: true, force: true });
  } catch (e) {
    fs.rmSync(scratch, { recursive: true, force: true });
    throw e;
  }
  const image = final!;
  if (!image.user) throw new Error(`${DOCKERFILE}: the final stage has no USER`);
  if (!image.cmd) throw new Error(`${DOCKERFILE}: the final stage has no CMD`);
  const user = image.user;
  const cmd = image.cmd;
  let lockedDown = false;

  return {
    dockerfile,
    buildArgs,
    path: (p) => onDisk(image, p),
    workdir: image.workdir,
    user,
    cmd,
    env: image.env,
    notRun,
    scratch,
    devPackagesInstalled() {
      // node resolves packages from the node_modules of WORKDIR's ancestors; the topmost one holds
      // the production install the lockfile describes.
      const lockRoot = image.workdir
        .split('/')
        .map((_, i, parts) => parts.slice(0, i + 1).join('/') || '/')
        .find((dir) => fs.existsSync(path.join(onDisk(image, dir), 'node_modules')));
      if (!lockRoot) throw new Error(`no node_modules above ${image.workdir} in the image`);
      const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
        packages: Record<string, { dev?: boolean }>;
      };
      return Object.entries(lock.packages)
        .filter(([key, p]) => p.dev && fs.existsSync(path.join(onDisk(image, lockRoot), key)))
        .map(([key]) => key);
    },
    start({ env = {}, files = [], command = cmd } = {}) {
      if (!lockedDown) {
        // Read-only for everyone, as with readOnlyRootFilesystem (the service user owns nothing).
        execFileSync('chmod', ['-R', 'a-w,a+rX', image.root]);
        lockedDown = true;
      }
      for (const f of files) fs.chmodSync(f, 0o444);
      if (command[0] !== 'node') throw new Error(`the simulation starts node only, not ${command.join(' ')}`);
      const asRoot = process.getuid?.() === 0;
      const proc = spawn(process.execPath, command.slice(1), {
        cwd: onDisk(image, '.'),
        // HOME=/ as Docker sets it for a uid without a passwd entry.
        env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/', ...image.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(asRoot ? { uid: user.uid, gid: user.gid } : {}),
      });
      return watchProcess(proc);
    },
    remove() {
      execFileSync('chmod', ['-R', 'u+w', scratch]);
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}

function run(s: StageState, cmd: string, where: string) {
  assertRelativePaths(cmd, where);
  try {
    execFileSync('sh', ['-c', cmd], {
      cwd: onDisk(s, '.'),
      // Docker gives RUN the stage's ARGs and ENVs; the host's PATH and HOME stand in for the base
      // image's (HOME keeps npm's cache warm: installs prefer it to the registry).
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? os.homedir(),
        npm_config_prefer_offline: 'true',
        npm_config_update_notifier: 'false',
        ...s.args,
        ...s.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    // Compilers report on stdout, npm and the shell on stderr: the end of both says what failed.
    const err = e as { status?: number; stdout?: Buffer; stderr?: Buffer };
    const output = `${err.stdout?.toString() ?? ''}${err.stderr?.toString() ?? ''}`;
    const tail = output.trim().split('\n').slice(-20).join('\n');
    throw new Error(`${where}: RUN exited ${err.status ?? '?'}: ${cmd}\n${tail}`);
  }
}

function copy(s: StageState, args: string, built: Map<string, StageState>, context: string[], where: string) {
  const words = args.split(/\s+/);
  const fromFlag = words[0]!.startsWith('--from=') ? words.shift()!.slice('--from='.length) : undefined;
  if (words.some((w) => w.startsWith('--'))) throw new Error(`${where}: only COPY --from is simulated`);
  const dest = words.pop()!;
  if (words.length === 0) throw new Error(`${where}: COPY needs a source and a destination`);
  const into = onDisk(s, dest);
  const intoFolder =
    dest.endsWith('/') || words.length > 1 || fs.statSync(into, { throwIfNoEntry: false })?.isDirectory();
  for (const src of words) {
    if (fromFlag !== undefined) {
      const from = built.get(fromFlag.toLowerCase())!;
      const source = onDisk(from, src);
      const stat = fs.statSync(source, { throwIfNoEntry: false });
      if (!stat) throw new Error(`${where}: COPY --from=${fromFlag} ${src}: no such path in that stage`);
      const target = stat.isDirectory() || !intoFolder ? into : path.join(into, path.basename(source));
      fs.cpSync(source, target, { recursive: true, verbatimSymlinks: true });
      continue;
    }
    const rel = path.posix.normalize(src).replace(/^\.?\/+|\/+$/g, '');
    if (rel.startsWith('..')) throw new Error(`${where}: COPY ${src} leaves the build context`);
    const inside =
      rel === '.' || rel === '' ? context : context.filter((f) => f === rel || f.startsWith(`${rel}/`));
    if (inside.length === 0)
      throw new Error(
        `${where}: COPY ${src}: not in the build context (missing, or excluded by the ignore file)`,
      );
    for (const f of inside) {
      const target =
        f === rel
          ? intoFolder
            ? path.join(into, path.posix.basename(f))
            : into
          : path.join(into, rel === '.' || rel === '' ? f : f.slice(rel.length + 1));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(path.join(root, f), target);
    }
  }
}
