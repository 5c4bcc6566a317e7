// The rule every run: step follows: it calls exactly one npm script (or npm test / npm ci /
// npm audit), or one script under scripts/, with its arguments, and nothing else: no second
// command, no pipe, redirect, substitution or control flow. The logic lives in scripts that run
// (and are tested) on this machine too; a workflow holds only the wiring.

/** The command of a step with comments, blank lines and line continuations removed. */
export function commandLine(script: string): string[] {
  return script
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** Shell syntax outside quotes that makes a step more than one command. */
function unquotedShell(line: string): string | undefined {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    const two = line.slice(i, i + 2);
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (quote === '"' && (two === '$(' || ch === '`')) return two === '$(' ? '$(' : '`';
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      continue;
    }
    if (['&&', '||', '$(', '<<', '>>'].includes(two)) return two;
    if (';|&<>`'.includes(ch)) return ch;
  }
  return undefined;
}

const ALLOWED = [
  /^npm run (--silent )?[a-z][\w:-]*( -- .*)?$/,
  /^npm test( -- .*)?$/,
  /^npm ci( --[\w-]+)*$/,
  /^npm audit( --[\w=-]+)*$/,
  /^scripts\/[\w./-]+\.(sh|ts)( .*)?$/,
];

/** Why a run: script is not one script call, or undefined when it is. */
export function oneScriptProblem(script: string): string | undefined {
  const lines = commandLine(script);
  if (lines.length !== 1)
    return `${lines.length} command lines (one script call, with its arguments, is allowed)`;
  const line = lines[0] as string;
  const shell = unquotedShell(line);
  if (shell) return `shell syntax "${shell}" (move the logic into a script)`;
  if (!ALLOWED.some((re) => re.test(line)))
    return `"${line}" is not an npm script or a script under scripts/`;
  return undefined;
}

/** `npm run pipeline -- <command>`: the command named, if the step calls the pipeline script. */
export function pipelineCommand(script: string): string | undefined {
  return /^npm run (?:--silent )?pipeline -- ([a-z][a-z-]*)/.exec(commandLine(script)[0] ?? '')?.[1];
}
