// Finds the npm invocations in a shell script: `npm run <script>`, the `npm test` / `npm start`
// shorthands, and npm's own commands (`npm ci`, `npm audit`). Text inside quotes is ignored, so
// an error message that mentions a command is not an invocation.

export type NpmCall =
  | { kind: 'script'; name: string; line: string }
  | { kind: 'builtin'; command: string; line: string }
  | { kind: 'npx'; line: string };

const SHORTHANDS = new Set(['test', 'start', 'stop', 'restart']);
const RUN = new Set(['run', 'run-script', 'rum', 'urn']);

/** Shell words of one line, with quoted text dropped (it is never a command here). */
function words(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      cur += '\u0000';
      continue;
    }
    if (ch === '#' && cur === '') break;
    if (/\s/.test(ch) || ';&|()'.includes(ch)) {
      if (cur) out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}

export function npmCalls(script: string): NpmCall[] {
  const lines = script.replace(/\\\n/g, ' ').split('\n');
  const calls: NpmCall[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    const w = words(line);
    for (let i = 0; i < w.length; i++) {
      if (w[i] === 'npx') calls.push({ kind: 'npx', line });
      if (w[i] !== 'npm') continue;
      const rest = w.slice(i + 1).filter((x) => !x.startsWith('-'));
      const sub = rest[0];
      if (sub === undefined) continue;
      if (RUN.has(sub)) {
        calls.push({ kind: 'script', name: rest[1] ?? '', line });
      } else if (SHORTHANDS.has(sub)) {
        calls.push({ kind: 'script', name: sub, line });
      } else {
        calls.push({ kind: 'builtin', command: sub, line });
      }
    }
  }
  return calls;
}

/** How the README must spell a script's command for it to count as documented. */
export function documentedForm(name: string): RegExp {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return SHORTHANDS.has(name)
    ? new RegExp(`npm (run )?${escaped}\\b`)
    : new RegExp(`npm run ${escaped}(?![\\w:-])`);
}
