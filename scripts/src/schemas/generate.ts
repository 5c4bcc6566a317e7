// Generates everything derived from schemas/ (the single source of truth):
//   schemas/values/<chart>.schema.json  -> charts/<chart>/values.schema.json (self-contained)
//   schemas/config/<svc>.schema.json    -> services/<svc>/src/generated/config.schema.json
//                                          services/<svc>/src/generated/config.ts (types)
//   schemas/values/<chart>.schema.json  -> charts/<chart>/README.md values table (between markers)
//   schemas/api/<name>.schema.json      -> services/<svc>/src/generated/<name>.schema.json for each
//                                          service its "x-services" names (an API contract that the
//                                          API validates with and its callers check forms against)
//   charts/metadata.yaml                 -> charts/<chart>/Chart.yaml project metadata (charts/metadata.ts)
// A values schema may embed a subchart's with {"x-subchart": "<chart>"} (see subchart.ts).
// `--check` writes nothing and fails naming every stale or missing file.
import $RefParser from '@apidevtools/json-schema-ref-parser';
import fs from 'node:fs';
import path from 'node:path';
import { compile } from 'json-schema-to-typescript';
import { answerHelp } from '../cli/help';
import { chartMetadataOutputs } from '../charts/metadata';
import { withValuesTable } from './readme';
import { embedSubcharts, type SchemaLoader, summarizeSubcharts, withoutIdentity } from './subchart';

export const repoRoot = path.resolve(__dirname, '../../..');
const schemasDir = path.join(repoRoot, 'schemas');

export interface Output {
  file: string; // repo-relative
  content: string;
}

const banner = 'Generated from schemas/ by `npm run generate`. Do not edit by hand.';

function listSchemas(sub: string): { name: string; file: string }[] {
  const dir = path.join(schemasDir, sub);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.schema.json'))
    .sort()
    .map((f) => ({ name: f.replace(/\.schema\.json$/, ''), file: path.join(dir, f) }));
}

// Inline every $ref so Helm (and an air-gapped install) needs nothing but this one file.
// Only local files resolve: a remote $ref is an error, never a download.
export async function selfContained(file: string): Promise<Record<string, unknown>> {
  const schema = (await $RefParser.dereference(file, {
    resolve: { http: false },
    dereference: { circular: false },
  })) as Record<string, unknown>;
  // Inlined files keep their own $schema/$id; nested, a relative $id would change the base URI.
  const top = typeof schema.$schema === 'string' ? { $schema: schema.$schema } : {};
  return { ...top, ...withoutIdentity(schema) };
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * The generated values schema of each chart, with its subcharts' schemas embedded (each built
 * once; a chart that ends up embedding itself is an error rather than an endless file).
 */
export function valuesSchemas(): SchemaLoader {
  const built = new Map<string, Promise<Record<string, unknown>>>();
  const build = (chart: string, stack: string[]): Promise<Record<string, unknown>> => {
    if (stack.includes(chart))
      return Promise.reject(new Error(`x-subchart loop: ${[...stack, chart].join(' -> ')}`));
    const hit = built.get(chart);
    if (hit) return hit;
    const file = path.join(schemasDir, 'values', `${chart}.schema.json`);
    if (!fs.existsSync(file))
      return Promise.reject(new Error(`x-subchart ${chart}: no schemas/values/${chart}.schema.json`));
    const p = selfContained(file).then((s) => embedSubcharts(s, (sub) => build(sub, [...stack, chart])));
    built.set(chart, p);
    return p;
  };
  return (chart) => build(chart, []);
}

export async function generateAll(): Promise<Output[]> {
  const outputs: Output[] = [];
  const schemaOf = valuesSchemas();
  for (const { name, file } of listSchemas('values')) {
    if (!fs.existsSync(path.join(repoRoot, 'charts', name, 'Chart.yaml'))) {
      throw new Error(`schemas/values/${name}.schema.json has no chart at charts/${name}/Chart.yaml`);
    }
    const schema = await schemaOf(name);
    outputs.push({ file: `charts/${name}/values.schema.json`, content: json(schema) });
    // The README lists a subchart's key once and points at the subchart's README for the rest.
    outputs.push(readmeOutput(name, await summarizeSubcharts(await selfContained(file), schemaOf)));
  }
  outputs.push(...chartMetadataOutputs(repoRoot));
  for (const { name, file } of listSchemas('config')) {
    const serviceDir = path.join('services', name);
    if (!fs.existsSync(path.join(repoRoot, serviceDir, 'package.json'))) continue; // service not landed yet
    const schema = await selfContained(file);
    outputs.push({ file: `${serviceDir}/src/generated/config.schema.json`, content: json(schema) });
    const types = await compile(schema as never, 'ServiceConfig', {
      bannerComment: `/* ${banner} */`,
      additionalProperties: false,
      cwd: path.dirname(file),
      style: { singleQuote: true, printWidth: 110 },
    });
    outputs.push({ file: `${serviceDir}/src/generated/config.ts`, content: types });
  }
  for (const { name, file } of listSchemas('api')) {
    const { ['x-services']: services, ...schema } = await selfContained(file);
    if (!Array.isArray(services) || services.length === 0)
      throw new Error(`schemas/api/${name}.schema.json: "x-services" must list the services that use it`);
    for (const svc of services as string[]) {
      if (!fs.existsSync(path.join(repoRoot, 'services', svc, 'package.json')))
        throw new Error(
          `schemas/api/${name}.schema.json: x-services names ${svc}, which has no services/${svc}`,
        );
      outputs.push({ file: `services/${svc}/src/generated/${name}.schema.json`, content: json(schema) });
    }
  }
  return outputs;
}

function readmeOutput(chart: string, schema: Record<string, unknown>): Output {
  const dir = path.join(repoRoot, 'charts', chart);
  const read = (f: string) =>
    fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), 'utf8') : undefined;
  return {
    file: `charts/${chart}/README.md`,
    content: withValuesTable(read('README.md'), chart, schema, read('values.yaml') ?? ''),
  };
}

export function staleOutputs(outputs: Output[]): string[] {
  return outputs
    .filter((o) => {
      const abs = path.join(repoRoot, o.file);
      return !fs.existsSync(abs) || fs.readFileSync(abs, 'utf8') !== o.content;
    })
    .map((o) => o.file);
}

const USAGE = `usage: npm run generate [-- --check]
  Writes every file derived from schemas/: the charts' values.schema.json, the services' generated
  config schema and types, and the values tables of the charts' READMEs.
  --check   write nothing; exit 1 naming every stale or missing file`;

async function main(argv: string[]): Promise<number> {
  answerHelp(argv, USAGE);
  const outputs = await generateAll();
  if (argv.includes('--check')) {
    const stale = staleOutputs(outputs);
    for (const f of stale) console.error(`stale: ${f} (run \`npm run generate\` and commit the result)`);
    if (stale.length === 0) console.log(`generate --check: ${outputs.length} generated files are up to date`);
    return stale.length ? 1 : 0;
  }
  for (const o of outputs) {
    const abs = path.join(repoRoot, o.file);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, o.content);
  }
  console.log(`generate: wrote ${outputs.length} files`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: Error) => {
      console.error(`generate: ${err.message}`);
      process.exitCode = 2;
    },
  );
}
