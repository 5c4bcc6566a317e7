// Values files are mostly the same from one run to the next (the chart's own Chart.yaml and
// values.yaml always, an environment's file until it is edited), and a cold yaml package loads
// in about 50 ms and parses a few hundred KB/s: together the largest part of a CLI call. So each
// parsed file, with the position of every key and value, is kept on disk under the hash of its
// text and the name it is shown under (the origins name it), and the yaml package is loaded only
// when a file has to be parsed. A file with faults is never cached: it is parsed every time.
import fs from 'node:fs';
import path from 'node:path';
import { cacheDir, cacheKey, readCached, writeCached } from './disk-cache';
import { isTable, newTable, type Origin, originOf, put, setOrigin, type Table, type Value } from './model';
import { InputError } from './errors';
import type { SourceOptions } from './yaml-source';

// Bump when the encoding, or what parseValues returns, changes.
const FORMAT = 1;

type Encoded =
  | string
  | number
  | boolean
  | null
  | { t: [string, Encoded, Origin | null][] }
  | { a: [Encoded, Origin | null][] };

export function parseCached(text: string, opts: SourceOptions): Table {
  const file = path.join(
    cacheDir(),
    'parsed',
    `${cacheKey(String(FORMAT), opts.display, opts.kind, text)}.json`,
  );
  const hit = readCached(file);
  if (hit) {
    try {
      return decode(JSON.parse(hit.toString('utf8')) as Encoded) as Table;
    } catch {
      // A damaged entry: parse again and rewrite it.
    }
  }
  // Loaded here, not at the top: a run whose files are all cached never loads the yaml package.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parseValues } = require('./yaml-source') as typeof import('./yaml-source');
  const table = parseValues(text, opts); // a fault throws: nothing is cached
  writeCached(file, JSON.stringify(encode(table)));
  return table;
}

/** A values file from disk: a missing or unreadable path is an InputError (exit 2). */
export function readValuesFile(file: string, opts: SourceOptions): Table {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : String(err);
    throw new InputError(opts.display, why);
  }
  return parseCached(text, opts);
}

function encode(v: Value): Encoded {
  if (Array.isArray(v)) return { a: v.map((item, i) => [encode(item), originOf(v, i) ?? null]) };
  if (isTable(v)) return { t: Object.keys(v).map((k) => [k, encode(v[k] as Value), originOf(v, k) ?? null]) };
  return v;
}

function decode(e: Encoded): Value {
  if (e === null || typeof e !== 'object') return e;
  if ('a' in e) {
    const out: Value[] = [];
    e.a.forEach(([item, origin], i) => {
      out.push(decode(item));
      setOrigin(out, i, origin ?? undefined);
    });
    return out;
  }
  const table = newTable();
  for (const [k, item, origin] of e.t) put(table, k, decode(item), origin ?? undefined);
  return table;
}
