// The GitHub Actions files of the repository, parsed with the `yaml` package (comments kept, so a
// pin's version comment can be read), and the steps, jobs and `uses:` references in them.
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Document, type YAMLMap } from 'yaml';

export const repoRoot = path.resolve(__dirname, '../../..');
export const workflowsDir = path.join(repoRoot, '.github', 'workflows');
export const actionsDir = path.join(repoRoot, '.github', 'actions');

export type Json = Record<string, unknown>;

export interface GhFile {
  /** Repository-relative path, e.g. ".github/workflows/ci.yaml". */
  rel: string;
  kind: 'workflow' | 'action';
  doc: Document;
  js: Json;
}

export interface StepRef {
  file: GhFile;
  /** Human-readable place: "ci.yaml jobs.kind step 3 (ct install …)". */
  where: string;
  step: Json;
  node: YAMLMap;
}

export interface UsesRef {
  file: GhFile;
  where: string;
  uses: string;
  /** The comment on the same line, trimmed (the version of a SHA pin). */
  comment: string | undefined;
}

function load(abs: string, kind: GhFile['kind']): GhFile {
  const doc = parseDocument(fs.readFileSync(abs, 'utf8'));
  if (doc.errors.length > 0) throw new Error(`${abs}: ${doc.errors.map((e) => e.message).join('; ')}`);
  return { rel: path.relative(repoRoot, abs), kind, doc, js: doc.toJS() as Json };
}

export function workflowFiles(): GhFile[] {
  return fs
    .readdirSync(workflowsDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => load(path.join(workflowsDir, f), 'workflow'));
}

/** Composite actions: .github/actions/<name>/action.y(a)ml. */
export function actionFiles(): GhFile[] {
  if (!fs.existsSync(actionsDir)) return [];
  return fs
    .readdirSync(actionsDir)
    .sort()
    .flatMap((name) =>
      ['action.yaml', 'action.yml']
        .map((f) => path.join(actionsDir, name, f))
        .filter((f) => fs.existsSync(f))
        .map((f) => load(f, 'action')),
    );
}

export function allFiles(): GhFile[] {
  return [...workflowFiles(), ...actionFiles()];
}

export function jobs(file: GhFile): [string, Json][] {
  return Object.entries((file.js.jobs ?? {}) as Record<string, Json>);
}

function stepNodes(file: GhFile): { where: string; node: YAMLMap }[] {
  const lists: { prefix: string; seq: unknown }[] =
    file.kind === 'workflow'
      ? jobs(file).map(([id]) => ({ prefix: `jobs.${id}`, seq: file.doc.getIn(['jobs', id, 'steps'], true) }))
      : [{ prefix: 'runs', seq: file.doc.getIn(['runs', 'steps'], true) }];
  return lists.flatMap(({ prefix, seq }) =>
    isSeq(seq)
      ? seq.items
          .filter(isMap)
          .map((node, i) => ({ where: `${prefix} step ${i + 1}`, node: node as YAMLMap }))
      : [],
  );
}

export function steps(files: GhFile[] = allFiles()): StepRef[] {
  return files.flatMap((file) =>
    stepNodes(file).map(({ where, node }) => {
      const step = node.toJSON() as Json;
      const label = (step.name as string | undefined) ?? (step.uses as string | undefined) ?? 'run';
      return { file, where: `${file.rel} ${where} (${label})`, step, node };
    }),
  );
}

/** Every `uses:` of a step, and every job that calls a reusable workflow. */
export function usesRefs(files: GhFile[] = allFiles()): UsesRef[] {
  const fromSteps = steps(files)
    .filter((s) => typeof s.step.uses === 'string')
    .map((s) => {
      const value = s.node.get('uses', true);
      return {
        file: s.file,
        where: s.where,
        uses: s.step.uses as string,
        comment: isScalar(value) ? value.comment?.trim() : undefined,
      };
    });
  const fromJobs = files
    .filter((f) => f.kind === 'workflow')
    .flatMap((file) =>
      jobs(file)
        .filter(([, job]) => typeof job.uses === 'string')
        .map(([id, job]) => {
          const value = file.doc.getIn(['jobs', id, 'uses'], true);
          return {
            file,
            where: `${file.rel} jobs.${id}`,
            uses: job.uses as string,
            comment: isScalar(value) ? value.comment?.trim() : undefined,
          };
        }),
    );
  return [...fromSteps, ...fromJobs];
}

/** The `run:` scripts of all steps, with where they are. */
export function runScripts(files: GhFile[] = allFiles()): { where: string; script: string; file: GhFile }[] {
  return steps(files)
    .filter((s) => typeof s.step.run === 'string')
    .map((s) => ({ where: s.where, script: s.step.run as string, file: s.file }));
}

export function readJson<T>(rel: string): T {
  return JSON.parse(fs.readFileSync(path.join(repoRoot, rel), 'utf8')) as T;
}

export function find(files: GhFile[], rel: string): GhFile {
  const f = files.find((x) => x.rel === rel);
  if (!f) throw new Error(`${rel} not found among ${files.map((x) => x.rel).join(', ')}`);
  return f;
}
