// YAML syntax errors placed where the fault starts, each with a two-line code frame.
// The yaml package reports every error with an offset range, but for some faults the offset is
// where scanning gave up rather than where the fault is; those are corrected here from the
// positions of the nodes it did build (never by re-parsing the text by hand):
//  - an unterminated quoted string is reported at the end of the file: moved to its opening quote;
//  - an unclosed flow mapping or sequence (`{a: 1`) is reported at the next line: moved to its
//    opening bracket;
//  - a key indented deeper than its siblings is read as the continuation of the value above and
//    reported at that value: moved to the mis-indented key (the last line of the reported range);
//  - a "bad indent" offset that sits on the line's leading spaces: moved to the first character.
import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  type LineCounter,
  type Node,
  visit,
  type YAMLError,
} from 'yaml';
import type { Fault } from './errors';

interface Placed {
  offset: number;
  message: string;
}

export function syntaxFaults(doc: Document, text: string, lines: LineCounter, file: string): Fault[] {
  // One fault per reported offset: yaml often reports one fault twice from the same place
  // (a compact mapping that is also a multi-line key); the corrected report wins.
  const byOffset = new Map<number, Placed>();
  for (const e of doc.errors) {
    const placed = place(e, doc, text);
    const had = byOffset.get(e.pos[0]);
    if (!had || (placed.offset !== e.pos[0] && had.offset === e.pos[0])) byOffset.set(e.pos[0], placed);
  }
  const seen = new Set<number>();
  const faults: Fault[] = [];
  for (const p of [...byOffset.values()].sort((a, b) => a.offset - b.offset)) {
    if (seen.has(p.offset)) continue;
    seen.add(p.offset);
    faults.push(fault(file, text, lines, p.offset, p.message));
  }
  return faults;
}

/** A fault at `offset` of `text`, with its line, column and code frame. */
export function fault(
  file: string,
  text: string,
  lines: LineCounter,
  offset: number,
  message: string,
): Fault {
  const { line, col } = lines.linePos(Math.min(offset, text.length));
  return { file, line, col, message, frame: codeFrame(text, line, col) };
}

/** `  3 |    c: 2` over `    |    ^` (tabs kept in the caret line so the caret lines up). */
export function codeFrame(text: string, line: number, col: number): [string, string] {
  const source = (text.split(/\r?\n/)[line - 1] ?? '').replace(/\r$/, '');
  const gutter = String(line);
  const lead = source.slice(0, col - 1).replace(/[^\t]/g, ' ');
  return [`${gutter} | ${source}`, `${' '.repeat(gutter.length)} | ${lead}^`];
}

function place(e: YAMLError, doc: Document, text: string): Placed {
  const first = e.message.split('\n')[0] as string;
  const at = e.pos[0];
  const quote = /^Missing closing (["'])quote/.exec(first);
  if (quote) {
    const type = quote[1] === '"' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE';
    const s = innermost(doc, at, (n) => isScalar(n) && n.type === type);
    if (s) return { offset: s, message: `unterminated string: the ${quote[1]} opened here is never closed` };
  }
  const flow = /^Flow (map|sequence) .*end with an? ([}\]])/.exec(first);
  if (flow) {
    const map = flow[1] === 'map';
    const c = innermost(doc, at, (n) => (map ? isMap(n) && n.flow === true : isSeq(n) && n.flow === true));
    const what = map ? 'flow mapping' : 'flow sequence';
    if (c !== undefined)
      return {
        offset: c,
        message: `unclosed ${what}: the ${map ? '{' : '['} here has no matching ${flow[2]}`,
      };
  }
  if (e.code === 'MULTILINE_IMPLICIT_KEY' || e.code === 'BLOCK_AS_IMPLICIT_KEY') {
    const span = text.slice(at, e.pos[1]);
    const nl = span.lastIndexOf('\n');
    if (nl >= 0) {
      const start = at + nl + 1;
      return {
        offset: firstNonBlank(text, start),
        message:
          'mis-indented key: deeper than the keys above it, so YAML reads it as part of the value before',
      };
    }
  }
  if (e.code === 'BAD_INDENT')
    return { offset: firstNonBlank(text, at), message: `YAML syntax error: ${first}` };
  return { offset: at, message: `YAML syntax error: ${first}` };
}

/** The start of the deepest node satisfying `want` whose range holds `offset`. */
function innermost(doc: Document, offset: number, want: (n: Node) => boolean): number | undefined {
  let best: number | undefined;
  visit(doc, (_key, node) => {
    const n = node as Node;
    if (!n.range || !want(n)) return;
    const [start, , end] = n.range;
    if (start < offset && offset <= end && (best === undefined || start > best)) best = start;
  });
  return best;
}

function firstNonBlank(text: string, offset: number): number {
  let i = offset;
  while (text[i] === ' ' && i < text.length) i++;
  return text[i] === '\n' || text[i] === undefined ? offset : i;
}
