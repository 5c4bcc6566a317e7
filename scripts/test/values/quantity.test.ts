// The Kubernetes quantity parser behind the requests ≤ limits rule.
import { compareQuantities, parseQuantity } from '../../src/values/quantity';

const cmp = (a: unknown, b: unknown) => {
  const x = parseQuantity(a);
  const y = parseQuantity(b);
  if (!x || !y) throw new Error(`not quantities: ${String(a)}, ${String(b)}`);
  return compareQuantities(x, y);
};

test.each([
  ['500m', '0.5'],
  [0.5, '500m'],
  ['1', 1],
  ['1000m', '1'],
  ['256Mi', 268435456],
  ['1Gi', '1024Mi'],
  ['1e3', '1k'],
  ['1E3', 1000],
  ['1.5Gi', '1536Mi'],
  ['100u', '0.1m'],
  ['1000000n', '1m'],
  ['2Ei', `${2n ** 61n}`],
])('%p equals %p', (a, b) => {
  expect(cmp(a, b)).toBe(0);
});

test.each([
  ['1G', '1Gi'],
  ['999m', '1'],
  ['0.1', '101m'],
  ['512Mi', '0.5001Gi'],
  ['-1', '0'],
])('%p is less than %p', (a, b) => {
  expect(cmp(a, b)).toBe(-1);
  expect(cmp(b, a)).toBe(1);
});

test.each(['1GB', 'lots', '', '1.2.3', 'Mi', '1 Gi', '1e', true, null, {}, '1e999'])(
  '%p is not a quantity',
  (v) => {
    expect(parseQuantity(v)).toBeUndefined();
  },
);
