// Reads a values file the way Helm does (sigs.k8s.io/yaml over go-yaml v2: YAML 1.1 scalars,
// `<<` merge keys, keys turned into strings, numbers as JSON numbers) and records the position
// of every key and value. The yaml package parses with the failsafe schema (every scalar a
// string) and scalars are resolved here, so `on`, `y`, `0777`, `0o17` and `1_000` mean what they
// mean to Helm, not to YAML 1.2.
import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
  type Scalar as YamlScalar,
} from 'yaml';
import { type Fault, InputError, SourceErrors } from './errors';
import { fault, syntaxFaults } from './syntax';
import {
  newTable,
  type Origin,
  originOf,
  type Position,
  put,
  setOrigin,
  type Table,
  type Value,
} from './model';

const TAG = 'tag:yaml.org,2002:';
const MERGE = Symbol('merge');

export interface SourceOptions {
  /** Path shown in messages. */
  display: string;
  kind: Origin['kind'];
}

/**
 * Parses values text; throws SourceErrors (every fault, each with a position and a code frame)
 * for anything Helm could not use.
 */
export function parseValues(text: string, opts: SourceOptions): Table {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter: lines,
    schema: 'failsafe',
    version: '1.1',
    uniqueKeys: false,
    prettyErrors: false,
  });
  // go-yaml reads the first document of a stream; so does Helm.
  const doc = Array.isArray(docs) ? docs[0] : undefined;
  if (!doc) return newTable();
  const syntax = syntaxFaults(doc, text, lines, opts.display);
  if (syntax.length > 0) throw new SourceErrors(syntax);
  const pos = (offset: number): Position => {
    const p = lines.linePos(offset);
    return { line: p.line, col: p.col };
  };
  const reader = new Reader(doc, opts, pos, (offset, message) =>
    fault(opts.display, text, lines, offset, message),
  );
  const root = doc.contents;
  if (root === null || (isScalar(root) && reader.scalar(root) === null)) return newTable();
  if (!isMap(root)) {
    const what = isSeq(root) ? 'a list' : 'a single value';
    reader.fail(
      root,
      `not a mapping: a values file holds key: value pairs at the top level, this one is ${what}`,
    );
  }
  const table = reader.node(root, 0) as Table;
  if (reader.faults.length > 0) throw new SourceErrors(reader.faults);
  return table;
}

type FaultAt = (offset: number, message: string) => Fault;

class Reader {
  /** Faults that do not stop reading (duplicate keys), reported together at the end. */
  readonly faults: Fault[] = [];

  constructor(
    private readonly doc: Document,
    private readonly opts: SourceOptions,
    private readonly pos: (offset: number) => Position,
    private readonly faultAt: FaultAt,
  ) {}

  fail(node: Node | null | undefined, detail: string): never {
    if (!node?.range) throw new InputError(this.opts.display, detail);
    throw new SourceErrors([...this.faults, this.faultAt(node.range[0], detail)]);
  }

  private origin(key: Node | null, value: Node | null): Origin {
    const o: Origin = { file: this.opts.display, kind: this.opts.kind };
    if (key?.range) o.key = this.pos(key.range[0]);
    if (value?.range) o.value = this.pos(value.range[0]);
    else if (o.key) o.value = o.key;
    if (!o.key && o.value) o.key = o.value;
    return o;
  }

  node(node: unknown, depth: number): Value {
    if (depth > 200) this.fail(node as Node, 'values nested too deeply (an alias that refers to itself?)');
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (!target) this.fail(node, `unknown alias *${node.source}`);
      return this.node(target, depth + 1);
    }
    if (isScalar(node)) {
      const v = this.scalar(node);
      if (v === MERGE) return '<<';
      if (typeof v === 'number' && !Number.isFinite(v)) {
        this.fail(
          node,
          `${String(node.value)} cannot be a value: Helm converts values to JSON, which has no ${v}`,
        );
      }
      return v;
    }
    if (isSeq(node)) {
      const out: Value[] = [];
      node.items.forEach((item, i) => {
        out.push(this.node(item, depth + 1));
        setOrigin(out, i, this.origin(null, item as Node));
      });
      return out;
    }
    if (isMap(node)) return this.map(node.items, depth);
    if (node === null || node === undefined) return null;
    return this.fail(node as Node, 'unsupported YAML node');
  }

  private map(items: { key: unknown; value: unknown }[], depth: number): Table {
    const out = newTable();
    const explicit = new Map<string, Node>();
    for (const { key, value } of items) {
      const keyNode = key as Node | null;
      if (isScalar(keyNode) && this.scalar(keyNode) === MERGE) {
        this.merge(out, value, depth);
        continue;
      }
      const name = this.keyString(keyNode);
      const first = explicit.get(name);
      if (first) {
        const at = first.range ? this.pos(first.range[0]).line : '?';
        const message = `duplicate key "${name}" (first set on line ${at}); Helm would silently keep the last`;
        if (keyNode?.range) this.faults.push(this.faultAt(keyNode.range[0], message));
        else this.fail(keyNode, message);
      }
      if (keyNode) explicit.set(name, keyNode);
      const valueNode = (value ?? null) as Node | null;
      put(out, name, this.node(valueNode, depth + 1), this.origin(keyNode, valueNode));
    }
    return out;
  }

  // go-yaml v2: each merged mapping sets its keys in turn (a list merges from last to first, so
  // earlier mappings win); keys written after `<<` override, keys written before it do not.
  private merge(out: Table, value: unknown, depth: number): void {
    const target = isAlias(value) ? value.resolve(this.doc) : value;
    const sources = isSeq(target) ? [...target.items].reverse() : [value];
    for (const src of sources) {
      const resolved = isAlias(src) ? src.resolve(this.doc) : src;
      if (!isMap(resolved)) this.fail(src as Node, 'a merge key (<<) takes a mapping or a list of mappings');
      const merged = this.map(resolved.items, depth + 1);
      for (const k of Object.keys(merged)) put(out, k, merged[k] as Value, originOf(merged, k));
    }
  }

  // sigs.k8s.io/yaml: keys become strings (ints in decimal, floats as float32 %g, bools).
  private keyString(node: Node | null): string {
    if (node === null) this.fail(node, 'a key cannot be empty (null)');
    if (!isScalar(node)) {
      if (isAlias(node)) return this.keyString(node.resolve(this.doc) as Node);
      return this.fail(node, 'a key must be a plain value, not a list or mapping');
    }
    const v = this.scalar(node);
    if (v === MERGE) return '<<';
    if (v === null) return this.fail(node, 'a key cannot be null (~ or empty)');
    if (typeof v === 'boolean') return String(v);
    if (typeof v === 'number') return isIntegerText(node) ? String(v) : formatFloat32(v);
    return v;
  }

  /** The value go-yaml v2 gives a scalar; MERGE for a `<<` key. */
  scalar(node: YamlScalar): string | number | boolean | null | typeof MERGE {
    const text = String(node.value ?? '');
    const tag = node.tag;
    if (tag === `${TAG}str`) return text;
    if (tag === `${TAG}binary`) return Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8');
    const quoted = node.type !== 'PLAIN';
    if (!tag || tag === '!') {
      // Quoted and block scalars are always strings; plain ones are resolved.
      if (quoted || tag === '!') return text;
      return resolvePlain(text).value;
    }
    const expected = tag.startsWith(TAG) ? tag.slice(TAG.length) : undefined;
    if (!expected || !['int', 'float', 'bool', 'null', 'timestamp', 'merge'].includes(expected)) return text;
    const r = resolvePlain(text);
    if (r.kind === expected || (expected === 'float' && r.kind === 'int')) return r.value;
    return this.fail(node, `cannot read \`${text}\` as !!${expected}`);
  }
}

type Kind = 'str' | 'int' | 'float' | 'bool' | 'null' | 'merge';
interface Resolved {
  kind: Kind;
  value: string | number | boolean | null | typeof MERGE;
}

const WORDS = new Map<string, Resolved>();
const word = (kind: Kind, value: Resolved['value'], list: string) => {
  for (const w of list.split(' ')) WORDS.set(w, { kind, value });
};
word('bool', true, 'y Y yes Yes YES true True TRUE on On ON');
word('bool', false, 'n N no No NO false False FALSE off Off OFF');
word('null', null, '~ null Null NULL');
word('float', NaN, '.nan .NaN .NAN');
word('float', Infinity, '.inf .Inf .INF +.inf +.Inf +.INF');
word('float', -Infinity, '-.inf -.Inf -.INF');
word('merge', MERGE, '<<');

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const GO_INT = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** go-yaml v2's resolve() for an untagged plain scalar. */
export function resolvePlain(text: string): Resolved {
  if (text === '') return { kind: 'null', value: null };
  const known = WORDS.get(text);
  if (known) return known;
  const c = text[0] as string;
  if (c === '.') {
    // strconv.ParseFloat on the raw text.
    if (/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text)) return finiteFloat(text);
    return { kind: 'str', value: text };
  }
  if (!/[-+0-9]/.test(c)) return { kind: 'str', value: text };
  const plain = text.replace(/_/g, '');
  const int = goParseInt(plain);
  if (int !== undefined) return { kind: 'int', value: int };
  if (YAML_STYLE_FLOAT.test(plain)) return finiteFloat(plain);
  return { kind: 'str', value: text };
}

function finiteFloat(text: string): Resolved {
  const v = Number(text);
  // ParseFloat fails on overflow, and go-yaml then keeps the text.
  return Number.isFinite(v) ? { kind: 'float', value: v } : { kind: 'str', value: text };
}

/** strconv.ParseInt(s, 0, 64), then ParseUint(s, 0, 64): the number, or undefined. */
function goParseInt(s: string): number | undefined {
  const m = GO_INT.exec(s);
  if (!m) return undefined;
  const [, sign, digits] = m as unknown as [string, string, string];
  let n: bigint;
  const lower = digits.toLowerCase();
  if (lower.startsWith('0x') || lower.startsWith('0b')) n = BigInt(lower);
  else if (lower.startsWith('0o')) n = BigInt(lower);
  else if (lower.length > 1 && lower.startsWith('0')) n = BigInt(`0o${lower.slice(1)}`);
  else n = BigInt(lower);
  if (sign === '-') n = -n;
  const fits = (n >= INT64_MIN && n <= INT64_MAX) || (sign === '' && n >= 0n && n <= UINT64_MAX);
  return fits ? Number(n) : undefined;
}

function isIntegerText(node: YamlScalar): boolean {
  return resolvePlain(String(node.value ?? '')).kind === 'int';
}

/** strconv.FormatFloat(f, 'g', -1, 32), as sigs.k8s.io/yaml writes a float key. */
export function formatFloat32(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  if (f === Infinity) return '.inf';
  if (f === -Infinity) return '-.inf';
  const x = Math.fround(f);
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  let digits = 1;
  while (digits < 9 && Math.fround(Number(x.toPrecision(digits))) !== x) digits++;
  const [mant, expText] = x.toExponential(digits - 1).split('e') as [string, string];
  const exp = Number(expText);
  // Go's shortest %g switches to an exponent below 1e-4 and from 1e+06 (eprec = 6 when shortest).
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${mant}e${exp < 0 ? '-' : '+'}${e}`;
  }
  return String(Number(x.toPrecision(digits)));
}
