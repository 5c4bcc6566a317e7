// Reading values files: YAML 1.1 scalars as Helm reads them, positions, and the inputs that stop
// a run (each a clear message with a position, never a stack trace).
import { InputError } from '../../src/values/errors';
import { originOf, toPlain, type Table } from '../../src/values/model';
import { applySet } from '../../src/values/strvals';
import { newTable } from '../../src/values/model';
import { formatFloat32, parseValues, resolvePlain } from '../../src/values/yaml-source';
import { UsageError } from '../../src/values/errors';

const parse = (text: string) => parseValues(text, { display: 'f.yaml', kind: 'user' });

test.each([
  ['yes', true],
  ['Off', false],
  ['y', true],
  ['~', null],
  ['', null],
  ['0777', 511],
  ['0o17', 15],
  ['0x1F', 31],
  ['-0b101', -5],
  ['1_000', 1000],
  ['089', 89],
  ['+12', 12],
  ['.5', 0.5],
  ['1e3', 1000],
  ['1.', 1],
  ['1e400', '1e400'],
  ['1:30', '1:30'],
  ['2001-12-14', '2001-12-14'],
  ['0x', '0x'],
  ['.x', '.x'],
  ['18446744073709551615', 2 ** 64],
  ['-9223372036854775809', -(2 ** 63)],
])('plain scalar %p reads as %p (go-yaml v2)', (text, value) => {
  expect(resolvePlain(text).value).toEqual(value);
});

test('float keys are written as Go writes a float32', () => {
  expect([1.5, 0.1, 1e3, 1e6, 1e21, 1.0000001, 0.00001].map(formatFloat32)).toEqual([
    '1.5',
    '0.1',
    '1000',
    '1e+06',
    '1e+21',
    '1.0000001',
    '1e-05',
  ]);
});

test('every key knows the line and column of its key and value', () => {
  const v = parse('a:\n  b: 1\n  list:\n    - x\n    - {c: 2}\n');
  const a = v.a as Table;
  expect(originOf(v, 'a')).toMatchObject({
    file: 'f.yaml',
    kind: 'user',
    key: { line: 1, col: 1 },
    value: { line: 2, col: 3 },
  });
  expect(originOf(a, 'b')).toMatchObject({ key: { line: 2, col: 3 }, value: { line: 2, col: 6 } });
  expect(originOf(a.list as never, 1)).toMatchObject({ value: { line: 5, col: 7 } });
});

test('quoted and block scalars stay strings; explicit tags are honoured', () => {
  expect(toPlain(parse('a: "yes"\nb: |\n  0777\nc: !!str 12\nd: !!float 3\n'))).toEqual({
    a: 'yes',
    b: '0777\n',
    c: '12',
    d: 3,
  });
});

test.each([
  ['a: [1\nb: 2\n', 'f.yaml:1:4: unclosed flow sequence: the [ here has no matching ]'],
  [
    'a:\n  b: 1\n  b: 2\n',
    'f.yaml:3:3: duplicate key "b" (first set on line 2); Helm would silently keep the last',
  ],
  [
    'on: 1\ntrue: 2\n',
    'f.yaml:2:1: duplicate key "true" (first set on line 1); Helm would silently keep the last',
  ],
  [
    '- a\n- b\n',
    'f.yaml:1:1: not a mapping: a values file holds key: value pairs at the top level, this one is a list',
  ],
  [
    'just text\n',
    'f.yaml:1:1: not a mapping: a values file holds key: value pairs at the top level, this one is a single value',
  ],
  ['a: .inf\n', 'f.yaml:1:4: .inf cannot be a value: Helm converts values to JSON, which has no Infinity'],
  ['a: !!int x\n', 'f.yaml:1:10: cannot read `x` as !!int'],
  ['? [a]\n: 1\n', 'f.yaml:1:3: a key must be a plain value, not a list or mapping'],
  ['~: 1\n', 'f.yaml:1:1: a key cannot be null (~ or empty)'],
  ['a: *nothing\n', 'f.yaml:1:4: unknown alias *nothing'],
])('%p is refused: %s', (text, message) => {
  expect(() => parse(text)).toThrow(InputError);
  expect(() => parse(text)).toThrow(message);
});

test('an empty file, a comment-only file and a null document are empty values', () => {
  for (const text of ['', '# nothing\n', '~\n', '---\n']) expect(toPlain(parse(text))).toEqual({});
});

test.each([
  ['a', 'key "a" has no value'],
  ['a,b=1', 'key "a" has no value (cannot end with ,)'],
  ['a.b=1,a.b.c=2', 'b is the number 1 so far, not a mapping'],
  ['a[x]=1', 'error parsing index: "x" is not a number'],
  ['a[-1]=1', 'negative -1 index not allowed'],
  ['a={x,y', "list must terminate with '}'"],
  ['a.=1', 'key map "a" has no value'],
])('--set %s is refused: %s', (arg, message) => {
  expect(() => applySet(arg, newTable())).toThrow(UsageError);
  expect(() => applySet(arg, newTable())).toThrow(`--set ${arg}: ${message}`);
});
