// Named prepared statements. PostgreSQL keeps a prepared statement per connection under its name,
// so one name must always mean one text: a second text under a name would fail at run time on
// some connections only. statement() refuses that when the module defining it loads.
import type { Statement } from './types';

const texts = new Map<string, string>();

const NAME = /^[a-z][a-z0-9_.-]{0,62}$/;

/** A statement prepared once per connection on PostgreSQL; `name` is unique in the process. */
export function statement(name: string, text: string): Statement {
  if (!NAME.test(name)) throw new Error(`statement name ${JSON.stringify(name)} must match ${NAME}`);
  const known = texts.get(name);
  if (known !== undefined && known !== text)
    throw new Error(`statement ${name} is already defined with another text`);
  texts.set(name, text);
  return Object.freeze({ name, text });
}

export const statementText = (sql: string | Statement): string => (typeof sql === 'string' ? sql : sql.text);
