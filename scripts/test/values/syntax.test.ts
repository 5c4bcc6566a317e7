// YAML that cannot be read as values: every fault is placed where it starts (not where the
// parser gave up), with a two-line code frame, and all of them are reported, not only the first.
import { type Fault, SourceErrors } from '../../src/values/errors';
import { parseValues } from '../../src/values/yaml-source';

function faults(text: string): Fault[] {
  try {
    parseValues(text, { display: 'f.yaml', kind: 'user' });
  } catch (err) {
    if (err instanceof SourceErrors) return [...err.faults];
    throw err;
  }
  throw new Error('expected the text to be refused');
}

const at = (f: Fault) => `${f.line}:${f.col}`;

test.each([
  // [what, text, line:col of the fault's start, message]
  [
    'an unterminated double quote: its opening quote',
    'a: 1\nb: "open\nc: 3\nd: 4\n',
    '2:4',
    /unterminated string: the " opened here/,
  ],
  [
    'an unterminated single quote: its opening quote',
    "a: 1\nb: 'open\nc: 3\n",
    '2:4',
    /unterminated string: the ' opened here/,
  ],
  [
    'a key indented deeper than its siblings: that key',
    'a:\n  b: 1\n   c: 2\nd: 3\n',
    '3:4',
    /mis-indented key/,
  ],
  [
    'a key indented less than its siblings: that key',
    'a:\n  b: 1\n c: 2\n',
    '3:2',
    /must start at the same column/,
  ],
  ['a tab as indentation: the tab', 'a:\n\tb: 1\nc: 2\n', '2:1', /Tabs are not allowed as indentation/],
  [
    'an unclosed flow mapping: its {',
    'x: 1\na: {b: 1\nc: 2\n',
    '2:4',
    /unclosed flow mapping: the \{ here has no matching \}/,
  ],
  ['an unclosed flow sequence: its [', 'a: [1, 2\nc: 3\n', '1:4', /unclosed flow sequence/],
  [
    'a duplicate key: the second one',
    'a: 1\nb: 2\na: 3\n',
    '3:1',
    /duplicate key "a" \(first set on line 1\)/,
  ],
])('%s', (_what, text, place, message) => {
  const [first] = faults(text);
  expect(first).toBeDefined();
  expect(at(first as Fault)).toBe(place);
  expect((first as Fault).message).toMatch(message);
});

test('the code frame is the line and a caret under the column', () => {
  const [f] = faults('a: 1\nb: "open\nc: 3\n');
  expect(f?.frame).toEqual(['2 | b: "open', '  |    ^']);
});

test('a caret under a tab-indented column lines up (the tab is kept)', () => {
  const [f] = faults('a:\n  b: 1\n  c:\n\t- x\n');
  expect(f?.frame).toEqual(['4 | \t- x', '  | ^']);
});

test('every fault of a file is reported, in file order', () => {
  const found = faults('a: {b: 1\nc:\n\td: 1\ne: "x\n');
  expect(found.map(at)).toEqual(['1:4', '3:1', '4:4']);
});

test('every duplicate key is reported, each at its second occurrence', () => {
  const found = faults('a: 1\nb: 2\na: 3\nb: 4\n');
  expect(found.map((f) => `${at(f)} ${f.message.split(' (')[0]}`)).toEqual([
    '3:1 duplicate key "a"',
    '4:1 duplicate key "b"',
  ]);
});
