// services/Dockerfile as data: its instructions and stages (continuation lines joined, comments
// dropped, as Docker reads it) and its build context (the repository root filtered by the ignore
// file beside it). The image tags hash this context (index.ts), and the workflow tests read the
// stages to check what the final image is made of.
import fs from 'node:fs';
import path from 'node:path';

/** The repository root: the build context. */
export const REPO_ROOT = path.resolve(__dirname, '../../..');
const root = REPO_ROOT;
/** The one Dockerfile of every service; the build context is the repository root. */
export const DOCKERFILE = 'services/Dockerfile';
/** Its ignore file (BuildKit finds it by name; buildah is given it with --ignorefile). */
export const DOCKERIGNORE = `${DOCKERFILE}.dockerignore`;

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
  const ignoreFile = path.join(root, DOCKERIGNORE);
  const ignoreText = fs.readFileSync(ignoreFile, 'utf8');
  return { text, globalArgs, stages, final: stages[stages.length - 1]!, ignoreText };
}

export interface IgnoreRule {
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
export function contextFiles(rules: IgnoreRule[]): string[] {
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
