// Text a client sends must be text: control characters other than tab, CR and LF are refused
// before any handler, store or database sees them (PostgreSQL refuses NUL outright, and the
// rest have no business in a name, a search or an address). One walk over the parsed request:
// path parameters, query values and every string (keys included) of a JSON body.
import { validationError, type FieldError } from './problem';

// C0 controls except \t \n \r, DEL, and the C1 controls U+0080–U+009F. The OpenAPI documents
// state the same rule as a pattern built from this class (openapi-document.ts).
export const CONTROL_CHARACTERS = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F';
const CONTROL = new RegExp(`[${CONTROL_CHARACTERS}]`, 'u');
const MESSAGE = 'must not contain control characters (only tab, CR and LF are allowed)';

/** True when `s` holds a refused control character. */
export const hasControlCharacter = (s: string): boolean => CONTROL.test(s);

/** Every field of `value` (a string, array or object) that holds a refused control character. */
export function controlCharacterFields(value: unknown, field: string, out: FieldError[] = []): FieldError[] {
  if (typeof value === 'string') {
    if (CONTROL.test(value)) out.push({ field, message: MESSAGE });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => controlCharacterFields(v, `${field}[${i}]`, out));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const at = field ? `${field}.${k}` : k;
      if (CONTROL.test(k)) out.push({ field: at, message: `key ${MESSAGE}` });
      controlCharacterFields(v, at, out);
    }
  }
  return out;
}

/** Throws a 400 validation problem naming each field that holds a control character. */
export function refuseControlCharacters(parts: Record<string, unknown>): void {
  const errors: FieldError[] = [];
  for (const [where, value] of Object.entries(parts)) controlCharacterFields(value, where, errors);
  if (errors.length) throw validationError(errors);
}

/**
 * A request header a service reads, as one string: undefined when absent; a 400 naming the header
 * when it is repeated or holds a control character (Node's parser already refuses most of them).
 */
export function headerText(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const value = headers[name.toLowerCase()];
  const field = `header.${name}`;
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw validationError([{ field, message: 'must be sent once' }]);
  if (CONTROL.test(value)) throw validationError([{ field, message: MESSAGE }]);
  return value;
}
