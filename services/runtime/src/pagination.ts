// Keyset pagination cursors: opaque to clients (base64url JSON), bound to the query they came
// from (its `scope`: sort, filters, owner), so a cursor reused with another query is refused
// instead of silently skipping or repeating rows. Row ids are UUIDs.
export interface CursorPosition {
  /** The last row's sort value (a name, a price, a timestamp). */
  value: string | number;
  id: string;
}

/** The cursor is malformed or belongs to another query; the message is for the client. */
export class CursorError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MALFORMED = 'cursor is malformed: pass nextCursor from a previous page unchanged';

export function encodeCursor(scope: string, pos: CursorPosition): string {
  return Buffer.from(JSON.stringify({ k: scope, v: pos.value, id: pos.id })).toString('base64url');
}

export function decodeCursor(
  scope: string,
  cursor: string,
  mismatch = 'cursor belongs to a different query: start again without it',
): CursorPosition {
  let data: { k?: unknown; v?: unknown; id?: unknown };
  try {
    data = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as typeof data;
  } catch {
    throw new CursorError(MALFORMED);
  }
  if (
    typeof data !== 'object' ||
    data === null ||
    typeof data.id !== 'string' ||
    !UUID.test(data.id) ||
    (typeof data.v !== 'string' && typeof data.v !== 'number')
  ) {
    throw new CursorError(MALFORMED);
  }
  if (data.k !== scope) throw new CursorError(mismatch);
  return { value: data.v, id: data.id };
}
