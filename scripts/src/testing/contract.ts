// The contract test's engine: Schemathesis (property-based, on Hypothesis) generates requests from
// a service's served OpenAPI document, valid and invalid, and checks every answer against it.
//
// Why Schemathesis and not a JavaScript generator: it is the maintained tool for exactly this
// (releases every few weeks; stateful runs that follow links, negative data, shrinking, a seed),
// and its checks are the contract's rules: not_a_server_error (no 5xx), status_code_conformance
// (no status the document does not list), positive_data_acceptance (a request the document allows
// is accepted or answered with a documented business error), plus response schemas, content
// types, negative data rejection and auth. The JavaScript options (json-schema-fast-check 0.0.x,
// json-schema-faker with fast-check) generate bodies only, with no invalid requests, no OpenAPI
// parameters and no checks, so the test would have been written by hand around them.
//
// It is a Python tool: installed from PyPI by this file (pinned: contract/requirements.txt) into
// a venv under the tool cache, once per pin set, under a lock so parallel jest workers share it.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cacheDir } from '../tools/env';
import { acquire } from '../tools/lock';

const here = path.resolve(__dirname, '..', '..', 'src', 'testing', 'contract');
const REQUIREMENTS = path.join(here, 'requirements.txt');

/** Test cases per operation and phase: CONTRACT_MAX_EXAMPLES, or `fallback` (a bounded run). */
export function contractExamples(fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.CONTRACT_MAX_EXAMPLES ?? fallback);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`CONTRACT_MAX_EXAMPLES must be a whole number >= 1: ${env.CONTRACT_MAX_EXAMPLES}`);
  return n;
}

/** The seed every run uses unless CONTRACT_SEED says otherwise: the same requests every time. */
export const DEFAULT_SEED = 15;

export function contractSeed(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CONTRACT_SEED;
  if (raw === undefined || raw === '') return DEFAULT_SEED;
  if (raw === 'random') return Math.floor(Math.random() * 2 ** 31);
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new Error(`CONTRACT_SEED must be a whole number or "random": ${raw}`);
  return n;
}

/** The schemathesis executable, installing the pinned venv first if this pin set has none. */
export function ensureSchemathesis(log: (line: string) => void = () => {}): string {
  const pins = fs.readFileSync(REQUIREMENTS);
  const id = createHash('sha256').update(pins).digest('hex').slice(0, 12);
  const venv = path.join(cacheDir(), 'tools', `schemathesis-${id}`);
  const bin = path.join(venv, 'bin', 'schemathesis');
  const done = path.join(venv, '.installed');
  if (fs.existsSync(done)) return bin;
  const release = acquire(path.join(cacheDir(), 'locks', 'schemathesis.lock'), (pid) =>
    log(`waiting for process ${pid}, which is installing schemathesis`),
  );
  try {
    if (fs.existsSync(done)) return bin;
    log(`installing schemathesis (pinned: ${path.relative(process.cwd(), REQUIREMENTS)}) into ${venv}`);
    fs.rmSync(venv, { recursive: true, force: true });
    const run = (cmd: string, args: string[]) => {
      try {
        execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
      } catch (err) {
        const e = err as { message: string; stderr?: Buffer };
        throw new Error(`contract test: ${cmd} ${args.join(' ')} failed: ${e.message}\n${e.stderr ?? ''}`);
      }
    };
    run('python3', ['-m', 'venv', venv]);
    const python = path.join(venv, 'bin', 'python');
    run(python, [
      '-m',
      'pip',
      'install',
      '--disable-pip-version-check',
      '--no-input',
      '-q',
      '-r',
      REQUIREMENTS,
    ]);
    fs.writeFileSync(done, `${new Date().toISOString()}\n`);
    return bin;
  } finally {
    release();
  }
}

export interface ContractOptions {
  /** The running API's base URL; its document is read from <url>/openapi.json. */
  url: string;
  /** A bearer token per security scheme of the document. */
  tokens: Record<string, string>;
  seed: number;
  /** Test cases per operation and phase (Schemathesis's --max-examples). */
  maxExamples: number;
  /**
   * Values a generated field takes some of the time (real product ids, so a request can reach the
   * business logic instead of a 404): where ("body.items[*].productId", "path.id"), which operations
   * (operationIds, or all), the values.
   */
  dictionaries?: { name: string; values: string[]; bind: { parameter: string; operations?: string[] }[] }[];
}

export interface ContractResult {
  ok: boolean;
  exitCode: number | null;
  /** Schemathesis's report (its failures section names each failing request with a curl line). */
  output: string;
  /** Test cases generated, from the summary. */
  generated: number;
  operations: number;
}

const BUSINESS_EXCLUDED = new Set(['400', '401', '413', '415']);

/**
 * Statuses a request the document allows may get, per operation: its 2xx, and the errors it
 * documents that are about the request's meaning (404, 409, 412, 422, 428, 503), not its shape
 * (400, 413, 415) or its credentials (401: the run sends valid ones).
 */
export function businessStatuses(doc: OpenApiLike): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item)) {
      if (!op || typeof op !== 'object' || !('operationId' in op)) continue;
      const o = op as { operationId: string; responses?: Record<string, unknown> };
      out.set(
        o.operationId,
        Object.keys(o.responses ?? {}).filter((s) => !BUSINESS_EXCLUDED.has(s)),
      );
    }
  }
  return out;
}

export interface OpenApiLike {
  paths: Record<string, Record<string, unknown>>;
}

const toml = (v: unknown): string => JSON.stringify(v); // TOML basic strings and arrays read JSON's

function configFile(o: ContractOptions, doc: OpenApiLike): string {
  const lines = [
    'hooks = "contract_hooks"',
    'color = false',
    `seed = ${o.seed}`,
    '[generation]',
    `max-examples = ${o.maxExamples}`,
    // No example database: a run is reproduced by its seed, and nothing is written into the repo.
    'database = "none"',
  ];
  for (const [scheme, token] of Object.entries(o.tokens)) {
    lines.push(`[auth.openapi.${scheme}]`, `bearer = ${toml(token)}`);
  }
  for (const d of o.dictionaries ?? []) lines.push(`[dictionaries.${d.name}]`, `values = ${toml(d.values)}`);
  const everywhere = (o.dictionaries ?? []).flatMap((d) =>
    d.bind.filter((b) => !b.operations).map((b) => ({ ...b, dictionary: d.name })),
  );
  if (everywhere.length) {
    lines.push('[parameters]');
    for (const b of everywhere)
      lines.push(`${toml(b.parameter)} = { dictionary = ${toml(b.dictionary)}, probability = 0.5 }`);
  }
  for (const [operationId, statuses] of businessStatuses(doc)) {
    lines.push(
      '[[operations]]',
      `include-operation-id = ${toml(operationId)}`,
      `checks.positive_data_acceptance.expected-statuses = ${toml(statuses.map(Number))}`,
    );
    const bound = (o.dictionaries ?? []).flatMap((d) =>
      d.bind.filter((b) => b.operations?.includes(operationId)).map((b) => ({ ...b, dictionary: d.name })),
    );
    if (bound.length) {
      lines.push(
        `parameters = { ${bound.map((b) => `${toml(b.parameter)} = { dictionary = ${toml(b.dictionary)}, probability = 0.5 }`).join(', ')} }`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Runs Schemathesis against a running API (asynchronously: the API may live in this process). */
export async function runContract(o: ContractOptions): Promise<ContractResult> {
  const bin = ensureSchemathesis();
  const doc = (await (await fetch(`${o.url}/openapi.json`)).json()) as OpenApiLike;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-contract-'));
  try {
    const config = path.join(dir, 'schemathesis.toml');
    fs.writeFileSync(config, configFile(o, doc));
    const args = [
      '--config-file',
      config,
      'run',
      `${o.url}/openapi.json`,
      '--checks',
      'all',
      '--workers',
      '1',
    ];
    // CONTRACT_REPORT_DIR=dir keeps every request and answer (ndjson) and the config, to look into a run.
    const keep = process.env.CONTRACT_REPORT_DIR;
    if (keep) {
      fs.mkdirSync(keep, { recursive: true });
      fs.copyFileSync(config, path.join(keep, `schemathesis-${o.seed}.toml`));
      args.push('--report', 'ndjson', '--report-dir', path.resolve(keep));
    }
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn(bin, args, {
        cwd: dir,
        // No __pycache__ beside the hooks in the checkout.
        env: {
          ...process.env,
          PYTHONPATH: here,
          PYTHONDONTWRITEBYTECODE: '1',
          NO_COLOR: '1',
          COLUMNS: '120',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
      child.once('error', reject);
      child.once('close', (c) => resolve({ code: c, output: out }));
    });
    const generated = Number(/(\d+) generated/.exec(output)?.[1] ?? 0);
    const operations = Number(/Tested:\s+(\d+)/.exec(output)?.[1] ?? 0);
    return { ok: code === 0, exitCode: code, output, generated, operations };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The part of the report a failing test shows: failures, warnings and the summary. */
export function failureReport(r: ContractResult, seed: number, rerun: string): string {
  const at = r.output.indexOf('FAILURES');
  const body = at >= 0 ? r.output.slice(r.output.lastIndexOf('\n', at) + 1) : r.output.slice(-6000);
  return `Schemathesis exit ${r.exitCode}, seed ${seed}. Reproduce: CONTRACT_SEED=${seed} ${rerun}\n\n${body}`;
}
