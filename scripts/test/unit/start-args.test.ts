// `npm start -- --port-offset N`: every port moves by N; a bad offset is a usage error.
import { parseStartArgs, StartUsageError } from '../../src/start/args';

test('no arguments: the default ports', () => {
  expect(parseStartArgs([]).ports).toEqual({ 'product-api': 5000, 'order-api': 7000, frontend: 3000 });
});

test.each([[['--port-offset', '100']], [['--port-offset=100']]])('%p moves every port by 100', (argv) => {
  expect(parseStartArgs(argv).ports).toEqual({ 'product-api': 5100, 'order-api': 7100, frontend: 3100 });
});

test.each([
  [['--port-offset'], /needs a whole number/],
  [['--port-offset', '-5'], /needs a whole number of 0 or more \(got -5\)/],
  [['--port-offset', 'x'], /needs a whole number/],
  [['--port-offset', '60000'], /puts a port at 67000, above 65535/],
  [['--ports', '1'], /unknown argument --ports/],
])('%p is refused', (argv, message) => {
  expect(() => parseStartArgs(argv)).toThrow(StartUsageError);
  expect(() => parseStartArgs(argv)).toThrow(message);
});
