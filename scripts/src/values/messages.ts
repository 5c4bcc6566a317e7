// Turns ajv's errors into one plain sentence per problem: the allowed values or range, what was
// found, and a "did you mean" for a misspelt key or enum value. anyOf/oneOf noise is folded:
// when the value has the type one alternative expects, that alternative's complaint is the
// message; otherwise the message lists what the alternatives accept.
import type { ErrorObject } from 'ajv';
import { closeSpelling, didYouMean } from './spelling';
import { describeValue, type Problem, type Segment } from './problems';

type Schema = Record<string, unknown>;

/** `readme`: where the chart's keys are listed, for an unknown key nothing is close to. */
export function explain(
  errors: ErrorObject[],
  root: Schema,
  prefix: Segment[],
  data: unknown,
  readme?: string,
): Problem[] {
  const kept = foldAlternatives(errors.filter((e) => e.keyword !== 'if'));
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const e of kept) {
    const p = toProblem(e, root, prefix, data, readme);
    if (!p) continue;
    const id = `${p.path.join('\0')}|${p.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    problems.push(p);
  }
  return problems;
}

// --- anyOf / oneOf --------------------------------------------------------------------------

interface Folded extends ErrorObject {
  /** Set on an anyOf/oneOf error none of whose alternatives accept the value's type. */
  alternatives?: Schema[];
}

function foldAlternatives(errors: ErrorObject[]): Folded[] {
  let list: Folded[] = [...errors];
  const combinators = errors
    .filter((e) => (e.keyword === 'anyOf' || e.keyword === 'oneOf') && !e.params.passingSchemas)
    .sort((a, b) => b.schemaPath.length - a.schemaPath.length);
  for (const c of combinators) {
    if (!list.includes(c)) continue;
    const base = `${c.schemaPath}/`;
    const inside = list.filter((e) => e !== c && e.schemaPath.startsWith(base));
    const branches = new Map<number, Folded[]>();
    for (const e of inside) {
      const i = Number(e.schemaPath.slice(base.length).split('/')[0]);
      branches.set(i, [...(branches.get(i) ?? []), e]);
    }
    // A branch "fits" when the value has the branch's type: its complaint is the useful one.
    const fitting = [...branches.values()].filter((errs) => !errs.every((e) => isShallow(e, c)));
    fitting.sort((a, b) => a.length - b.length);
    const replacement: Folded[] = fitting[0]
      ? fitting[0]
      : [{ ...c, alternatives: (c.schema as Schema[]) ?? [] }];
    list = list.filter((e) => e !== c && !inside.includes(e));
    list.push(...replacement);
  }
  return list;
}

function isShallow(e: ErrorObject, combinator: ErrorObject): boolean {
  return (
    e.instancePath === combinator.instancePath &&
    (e.keyword === 'type' || e.keyword === 'const' || (e as Folded).alternatives !== undefined)
  );
}

// --- one problem ----------------------------------------------------------------------------

function toProblem(
  e: Folded,
  root: Schema,
  prefix: Segment[],
  data: unknown,
  readme?: string,
): Problem | undefined {
  const path = [...prefix, ...pointerSegments(e.instancePath, data)];
  const p = (message: string, at: Problem['at'] = 'value', extra: Segment[] = []): Problem => ({
    severity: 'error',
    rule: 'schema',
    path: [...path, ...extra],
    message,
    at,
  });
  const got = `(got ${describeValue(e.data)})`;
  const parent = (e.parentSchema ?? {}) as Schema;
  switch (e.keyword) {
    case 'anyOf':
    case 'oneOf': {
      if (e.params.passingSchemas) return p(`matches more than one of the allowed forms ${got}`);
      const forms = (e.alternatives ?? []).map(describeSchema);
      return p(`must be ${joinOr(unique(forms))} ${got}`);
    }
    case 'type':
      return p(`must be ${joinOr(typeList(e.params.type).map(typeWords))} ${got}`);
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[]) ?? [];
      const hint = typeof e.data === 'string' ? didYouMean(e.data, allowed.filter(isString)) : undefined;
      return p(
        `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')} ${got}${hint ? `; did you mean ${JSON.stringify(hint)}?` : ''}`,
      );
    }
    case 'const':
      return p(`must be ${JSON.stringify(e.params.allowedValue)} ${got}`);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return p(`${range(parent)} ${got}`);
    case 'minLength':
      return p(`must be at least ${e.params.limit} character${e.params.limit === 1 ? '' : 's'} long ${got}`);
    case 'maxLength':
      return p(`must be at most ${e.params.limit} characters long (got ${(e.data as string).length})`);
    case 'pattern': {
      const what = describedAs(root, e.schemaPath);
      if (what && /^an? /.test(what)) return p(`must be ${what} ${got}`);
      return p(`does not match ${e.params.pattern} ${got}${what ? `; expected: ${what}` : ''}`);
    }
    case 'format':
      return p(`must be a valid ${e.params.format} ${got}`);
    case 'required': {
      const key = String(e.params.missingProperty);
      return p(`is required but missing`, 'key', [key]);
    }
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      const known = Object.keys((parent.properties as Schema | undefined) ?? {});
      const hint = closeSpelling(key, known) ?? nestedMatch(key, parent) ?? didYouMean(key, known);
      const tail = hint
        ? `did you mean "${hint}"?`
        : known.length && known.length <= 12
          ? `allowed keys: ${known.join(', ')}`
          : `the keys it takes are listed in ${readme ?? "the chart's README"}`;
      return p(`unknown key; ${tail}`, 'key', [key]);
    }
    case 'propertyNames': {
      const key = String(e.params.propertyName);
      const what = describedAs(root, `${e.schemaPath}`);
      return p(`is not a valid key${what ? `: must be ${what}` : ''}`, 'key', [key]);
    }
    case 'minItems':
      return p(`must have at least ${e.params.limit} item${e.params.limit === 1 ? '' : 's'} ${got}`);
    case 'maxItems':
      return p(`must have at most ${e.params.limit} items`);
    case 'uniqueItems': {
      const later = Math.max(Number(e.params.i), Number(e.params.j));
      const first = Math.min(Number(e.params.i), Number(e.params.j));
      const item = Array.isArray(e.data) ? describeValue(e.data[later]) : '';
      return p(
        `repeats item ${first}${item ? ` (${item})` : ''}: the list must not hold an item twice`,
        'value',
        [later],
      );
    }
    case 'minProperties':
      return p(`must have at least ${e.params.limit} key${e.params.limit === 1 ? '' : 's'}`);
    case 'maxProperties':
      return p(`must have at most ${e.params.limit} keys`);
    case 'multipleOf':
      return p(`must be a multiple of ${e.params.multipleOf} ${got}`);
    case 'not':
      return p(`must not be ${describeSchema((e.schema ?? {}) as Schema)} ${got}`);
    case 'false schema':
      return p('is not allowed here');
    default:
      // A propertyNames sub-error carries the key it is about; the propertyNames error says it.
      if (e.params?.propertyName !== undefined || e.propertyName !== undefined) return undefined;
      return p(`${e.message ?? 'is not valid'} ${got}`);
  }
}

/** JSON pointer to path segments; list indexes become numbers. */
function pointerSegments(pointer: string, data: unknown): Segment[] {
  if (!pointer) return [];
  const out: Segment[] = [];
  let cur: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      out.push(Number(seg));
      cur = cur[Number(seg)];
    } else {
      out.push(seg);
      cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out;
}

function range(s: Schema): string {
  const lo =
    typeof s.exclusiveMinimum === 'number'
      ? { v: s.exclusiveMinimum, open: true }
      : typeof s.minimum === 'number'
        ? { v: s.minimum, open: false }
        : undefined;
  const hi =
    typeof s.exclusiveMaximum === 'number'
      ? { v: s.exclusiveMaximum, open: true }
      : typeof s.maximum === 'number'
        ? { v: s.maximum, open: false }
        : undefined;
  if (lo && hi && !lo.open && !hi.open) return `must be between ${lo.v} and ${hi.v}`;
  const parts: string[] = [];
  if (lo) parts.push(`${lo.open ? '>' : '≥'} ${lo.v}`);
  if (hi) parts.push(`${hi.open ? '<' : '≤'} ${hi.v}`);
  return `must be ${parts.join(' and ')}`;
}

/**
 * What a pattern stands for, in the schema's words: the description of the schema that holds the
 * pattern, or of the property it belongs to (walking up through allOf/anyOf/oneOf only).
 */
function describedAs(root: Schema, schemaPath: string): string | undefined {
  const segs = schemaPath.replace(/^#\/?/, '').split('/').filter(Boolean);
  // drop the keyword itself
  segs.pop();
  for (;;) {
    const s = at(root, segs);
    if (s && typeof s.description === 'string') return lowerFirst(firstSentence(s.description));
    const last = segs[segs.length - 1];
    const before = segs[segs.length - 2];
    if (last !== undefined && /^\d+$/.test(last) && before && ['allOf', 'anyOf', 'oneOf'].includes(before)) {
      segs.splice(-2, 2);
      continue;
    }
    if (last === 'propertyNames' || last === 'then' || last === 'else') {
      segs.pop();
      continue;
    }
    return undefined;
  }
}

function at(root: Schema, segs: string[]): Schema | undefined {
  let cur: unknown = root;
  for (const s of segs) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[s.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur && typeof cur === 'object' ? (cur as Schema) : undefined;
}

function describeSchema(s: Schema): string {
  if ('const' in s) return s.const === '' ? 'empty ("")' : JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return `one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  const types = typeList(s.type);
  if (types.length) {
    const words = types.map(typeWords);
    if (types.length === 1 && (types[0] === 'integer' || types[0] === 'number')) {
      const r = range(s);
      if (r !== 'must be ') return `${words[0]} that ${r.replace(/^must be /, 'is ')}`;
    }
    return joinOr(words);
  }
  if (typeof s.description === 'string') return lowerFirst(firstSentence(s.description));
  return 'another form';
}

function typeList(t: unknown): string[] {
  if (Array.isArray(t)) return t.map(String);
  if (typeof t === 'string') return t.split(',');
  return [];
}

function typeWords(t: string): string {
  switch (t) {
    case 'integer':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    case 'boolean':
      return 'true or false';
    case 'object':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'null':
      return 'null';
    default:
      return t;
  }
}

function joinOr(items: string[]): string {
  if (items.length <= 1) return items[0] ?? 'something else';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

function firstSentence(s: string): string {
  const m = /^(.*?[^.])\.(\s|$)/s.exec(s);
  return (m ? (m[1] as string) : s).trim();
}

function lowerFirst(s: string): string {
  return /^([A-Z][a-z]|An? )/.test(s) ? s[0]?.toLowerCase() + s.slice(1) : s;
}

/** `imagePullPolicy` for `image.pullPolicy`: a key one level down, written flat. */
function nestedMatch(key: string, parent: Schema): string | undefined {
  const flat = (s: string) => s.toLowerCase().replace(/[-_.]/g, '');
  for (const [k, sub] of Object.entries(propertiesOf(parent))) {
    for (const inner of Object.keys(propertiesOf(sub as Schema))) {
      if (flat(`${k}${inner}`) === flat(key)) return `${k}.${inner}`;
    }
  }
  return undefined;
}

/** Properties of a schema, including those its allOf branches declare. */
function propertiesOf(s: Schema | undefined): Schema {
  if (!s || typeof s !== 'object') return {};
  const out: Schema = { ...((s.properties as Schema | undefined) ?? {}) };
  if (Array.isArray(s.allOf)) for (const b of s.allOf) Object.assign(out, propertiesOf(b as Schema));
  return out;
}

const isString = (v: unknown): v is string => typeof v === 'string';
