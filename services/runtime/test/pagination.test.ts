// Keyset cursors (shared by product-api and order-api).
import { CursorError, decodeCursor, encodeCursor } from '@techcommerce/runtime';

const id = '0b6d6a4e-4f6b-4d43-9a55-0a0b0c0d0e0f';

describe('keyset cursors', () => {
  test('round-trip within the same scope, opaque base64url', () => {
    const c = encodeCursor('customer:c1|all', { value: '2024-01-02T03:04:05.678Z', id });
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor('customer:c1|all', c, 'timestamp')).toEqual({
      value: '2024-01-02T03:04:05.678Z',
      id,
    });
    expect(decodeCursor('price', encodeCursor('price', { value: 1999, id }), 'integer')).toEqual({
      value: 1999,
      id,
    });
  });

  test('another scope is refused with the given message', () => {
    const c = encodeCursor('customer:c1', { value: 'x', id });
    expect(() => decodeCursor('customer:c2', c, 'text')).toThrow(
      new CursorError('cursor belongs to a different query: start again without it'),
    );
    expect(() => decodeCursor('customer:c2', c, 'text', 'other customer')).toThrow('other customer');
  });

  test.each([
    ['not base64 JSON', 'garbage'],
    [
      'an id that is not a uuid',
      Buffer.from(JSON.stringify({ k: 's', v: 1, id: '1' })).toString('base64url'),
    ],
    ['a value of the wrong type', Buffer.from(JSON.stringify({ k: 's', v: {}, id })).toString('base64url')],
    ['JSON null', Buffer.from('null').toString('base64url')],
  ])('%s is malformed', (_what, cursor) => {
    expect(() => decodeCursor('s', cursor, 'text')).toThrow(
      'cursor is malformed: pass nextCursor from a previous page unchanged',
    );
  });

  const forged = (v: unknown) => Buffer.from(JSON.stringify({ k: 's', v, id })).toString('base64url');
  test.each([
    ['integer', 'abc'],
    ['integer', 1.5],
    ['integer', 2 ** 31],
    ['timestamp', 'yesterday'],
    ['timestamp', 1999],
    ['timestamp', '2024-13-45T99:00:00Z'],
    ['text', 42],
    ['text', 'a\u0000b'],
    ['text', 'x'.repeat(1001)],
  ] as const)('a %s cursor holding %j is refused before any SQL', (kind, v) => {
    expect(() => decodeCursor('s', forged(v), kind)).toThrow(CursorError);
  });

  test.each([
    ['integer', -5],
    ['timestamp', '2024-01-02T03:04:05.678+02:00'],
    ['text', 'Tab\tand newline\n'],
  ] as const)('a %s cursor holding %j is accepted', (kind, v) => {
    expect(decodeCursor('s', forged(v), kind).value).toBe(v);
  });
});
