// `--set` as Helm parses it (helm/pkg/strvals): `a.b=c` nests, `a[0]=x` and `a[0].b=x` index
// lists, `a={x,y}` is a list, `\.` and `\,` escape, `,` separates assignments, and values are
// typed: true/false, null (deletes the key once merged), integers without a leading zero; every
// other text, floats included, stays a string. Assignments write into the values merged from the
// -f files, as Helm's ParseInto does.
import { UsageError } from './errors';
import { isTable, newTable, type Origin, originOf, put, setOrigin, type Table, type Value } from './model';

const MAX_INDEX = 65536;
const MAX_NESTED_NAME_LEVEL = 30;

type Eof = 'eof' | undefined;

export function applySet(argument: string, into: Table): void {
  const origin: Origin = { file: '--set', kind: 'user', argument };
  const p = new Parser(argument, origin);
  try {
    while (p.key(into, 0) !== 'eof');
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(`--set ${argument}: ${err.message}`);
    throw err;
  }
}

/** Helm's typedVal for --set. */
export function typedValue(text: string): Value {
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (text === '0') return 0;
  // strconv.ParseInt(val, 10, 64) for text not starting with 0.
  if (text !== '' && text[0] !== '0' && /^[-+]?[0-9]+$/.test(text)) {
    const n = BigInt(text);
    if (n >= -(2n ** 63n) && n < 2n ** 63n) return Number(n);
  }
  return text;
}

class Parser {
  private readonly runes: string[];
  private i = 0;

  constructor(
    text: string,
    private readonly origin: Origin,
  ) {
    this.runes = Array.from(text);
  }

  private read(): string | undefined {
    return this.i < this.runes.length ? this.runes[this.i++] : (this.i++, undefined);
  }

  private unread(): void {
    this.i--;
  }

  /** Runes up to one of `stop` (consumed), with `\x` meaning a literal x. */
  private until(stop: string): { text: string; last?: string; eof: boolean } {
    let text = '';
    for (;;) {
      const r = this.read();
      if (r === undefined) return { text, eof: true };
      if (stop.includes(r)) return { text, last: r, eof: false };
      if (r === '\\') {
        const next = this.read();
        if (next === undefined) return { text, eof: true };
        text += next;
      } else text += r;
    }
  }

  private set(data: Table, key: string, value: Value): void {
    if (key.length === 0) return;
    put(data, key, value, this.origin);
  }

  // Mirrors Helm's parser step for step, including which half-parsed input it keeps at the end.
  key(data: Table, level: number): Eof {
    const { text: k, last, eof } = this.until('=[,.');
    if (eof) {
      if (k.length === 0) return 'eof';
      throw new UsageError(`key "${k}" has no value`);
    }
    if (last === '[') {
      const index = this.index();
      let list: Value[] = [];
      if (k in data) {
        const existing = data[k];
        if (!Array.isArray(existing))
          throw new UsageError(`${k} is ${describe(existing)} so far, not a list`);
        list = existing;
      }
      const r = this.listItem(list, index, level);
      this.set(data, k, r.list);
      return r.eof;
    }
    if (last === '=') {
      const list = this.valueList();
      if (list === 'eof') {
        this.set(data, k, '');
        return 'eof';
      }
      if (list !== 'not-a-list') this.set(data, k, list);
      else this.set(data, k, typedValue(this.until(',').text));
      return undefined;
    }
    if (last === ',') {
      this.set(data, k, '');
      throw new UsageError(`key "${k}" has no value (cannot end with ,)`);
    }
    // last === '.'
    level++;
    if (level > MAX_NESTED_NAME_LEVEL) {
      throw new UsageError(`nested more than ${MAX_NESTED_NAME_LEVEL} levels deep`);
    }
    let inner = newTable();
    if (k in data) {
      const existing = data[k];
      if (!isTable(existing)) throw new UsageError(`${k} is ${describe(existing)} so far, not a mapping`);
      inner = existing;
    }
    const e = this.key(inner, level);
    const filled = Object.keys(inner).length !== 0;
    if (e === undefined && !filled) throw new UsageError(`key map "${k}" has no value`);
    if (filled) {
      // An existing mapping keeps pointing at the file that made it.
      const before = originOf(data, k);
      this.set(data, k, inner);
      if (before) setOrigin(data, k, before);
    }
    return e;
  }

  private index(): number {
    const { text, eof } = this.until(']');
    if (eof) throw new UsageError('error parsing index: unterminated [');
    if (!/^[-+]?[0-9]+$/.test(text)) throw new UsageError(`error parsing index: "${text}" is not a number`);
    const i = Number(text);
    if (i < 0) throw new UsageError(`negative ${i} index not allowed`);
    return i;
  }

  private setIndex(list: Value[], index: number, value: Value): Value[] {
    if (index > MAX_INDEX) throw new UsageError(`index ${index} is above the maximum of ${MAX_INDEX}`);
    while (list.length <= index) list.push(null);
    list[index] = value;
    setOrigin(list, index, this.origin);
    return list;
  }

  private listItem(list: Value[], index: number, level: number): { list: Value[]; eof: Eof } {
    const { text, last, eof } = this.until('[.=');
    if (text.length > 0) throw new UsageError(`unexpected data at end of array index: "${text}"`);
    if (eof) return { list, eof: 'eof' };
    if (last === '=') {
      const vl = this.valueList();
      if (vl === 'eof') return { list: this.setIndex(list, index, ''), eof: undefined };
      if (vl !== 'not-a-list') return { list: this.setIndex(list, index, vl), eof: undefined };
      return { list: this.setIndex(list, index, typedValue(this.until(',').text)), eof: undefined };
    }
    if (last === '[') {
      const next = this.index();
      let current: Value[] = [];
      if (list.length > index && list[index] !== null) {
        const existing = list[index];
        if (!Array.isArray(existing))
          throw new UsageError(`item ${index} is ${describe(existing)}, not a list`);
        current = existing;
      }
      const r = this.listItem(current, next, level);
      if (r.eof) return { list, eof: r.eof };
      return { list: this.setIndex(list, index, r.list), eof: undefined };
    }
    // last === '.'
    let inner = newTable();
    if (list.length > index) {
      const existing = list[index];
      if (isTable(existing)) inner = existing;
      else list[index] = inner;
    }
    const e = this.key(inner, level);
    if (e) return { list, eof: e };
    return { list: this.setIndex(list, index, inner), eof: undefined };
  }

  /** `{a,b}` as a list; 'not-a-list' when the value does not start with `{`. */
  private valueList(): Value[] | 'eof' | 'not-a-list' {
    const r = this.read();
    if (r === undefined) return 'eof';
    if (r !== '{') {
      this.unread();
      return 'not-a-list';
    }
    const list: Value[] = [];
    for (;;) {
      const { text, last, eof } = this.until(',}');
      if (eof) throw new UsageError("list must terminate with '}'");
      list.push(typedValue(text));
      setOrigin(list, list.length - 1, this.origin);
      if (last === '}') {
        const after = this.read();
        if (after !== undefined && after !== ',') this.unread();
        return list;
      }
    }
  }
}

function describe(v: Value | undefined): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (isTable(v)) return 'a mapping';
  return `the ${typeof v} ${JSON.stringify(v)}`;
}
