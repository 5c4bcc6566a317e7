// Compiling the chart schemas with ajv takes over a second (they embed the Kubernetes
// definitions), and a CLI call has 300 ms in all. So each schema is compiled once into ajv's
// standalone validation code, kept on disk under the hash of its text (with V8's code cache of
// that code beside it), and later runs load that instead of loading ajv and compiling. A schema
// that changes gets a new hash; an unwritable cache only costs the compile.
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import type { ErrorObject } from 'ajv';
import { cacheDir, cacheKey, readCached, writeCached } from './disk-cache';

export interface Validator {
  /** The errors for `data`, or null when it is valid. */
  errors(data: unknown): ErrorObject[] | null;
}

type Standalone = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

// Full strict (strictTypes included): a keyword without its `type`, an unknown keyword or an
// ignored one fails the compile, so a schema mistake is found here rather than passed by Helm.
const AJV_OPTIONS = { allErrors: true, strict: true, verbose: true } as const;
// Bump when the code below changes what it writes.
const FORMAT = 1;

const requireHere = createRequire(__filename);

export function loadValidator(schemaText: string, schema: Record<string, unknown>, file: string): Validator {
  const ajvVersion = (requireHere('ajv/package.json') as { version: string }).version;
  const key = cacheKey(String(FORMAT), ajvVersion, JSON.stringify(AJV_OPTIONS), schemaText);
  const dir = cacheDir();
  const codeFile = path.join(dir, 'schemas', `${key}.js`);
  const v8File = path.join(dir, 'schemas', `${key}.${process.version}.v8`);
  let code = readCached(codeFile)?.toString('utf8');
  if (code === undefined) {
    code = compileStandalone(schema, file);
    writeCached(codeFile, code);
  }
  const cachedData = readCached(v8File);
  const script = new vm.Script(`(function (exports, require, module) {${code}\n})`, {
    filename: codeFile,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} as { default?: Standalone } };
  (script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: unknown) => void)(
    module.exports,
    requireHere,
    module,
  );
  const fn = (module.exports.default ?? module.exports) as Standalone;
  // The code cache is written after the first validation, so it holds the functions that ran.
  let cacheWanted = !cachedData || script.cachedDataRejected === true;
  return {
    errors(data) {
      const ok = fn(data);
      if (cacheWanted) {
        cacheWanted = false;
        writeCached(v8File, script.createCachedData());
      }
      return ok ? null : (fn.errors ?? []);
    },
  };
}

function compileStandalone(schema: Record<string, unknown>, file: string): string {
  // Loaded only here: ajv itself is most of the start-up time, and a cache hit never needs it.
  const { default: Ajv } = requireHere('ajv') as typeof import('ajv');
  const { default: addFormats } = requireHere('ajv-formats') as typeof import('ajv-formats');
  const { default: standaloneCode } = requireHere(
    'ajv/dist/standalone',
  ) as typeof import('ajv/dist/standalone');
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
  addFormats(ajv);
  try {
    return standaloneCode(ajv, ajv.compile(schema));
  } catch (err) {
    throw new Error(`${file}: the schema does not compile in ajv strict mode: ${(err as Error).message}`);
  }
}
