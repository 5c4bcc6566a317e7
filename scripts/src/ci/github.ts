// The files a GitHub Actions step talks back through: $GITHUB_OUTPUT (step outputs),
// $GITHUB_STEP_SUMMARY (Markdown on the run page) and $GITHUB_PATH. Outside a workflow (a
// developer, .ci/run) the variables are unset and these only print.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';

/**
 * Appends `name=value` to $GITHUB_OUTPUT; a value with a newline uses the heredoc form with a
 * random delimiter, so no value can end the block early.
 */
export function setOutput(name: string, value: string, env: NodeJS.ProcessEnv = process.env): void {
  if (!/^[A-Za-z_][\w-]*$/.test(name)) throw new Error(`not an output name: "${name}"`);
  const file = env.GITHUB_OUTPUT;
  if (!file) {
    console.log(`output ${name}=${value}`);
    return;
  }
  if (!value.includes('\n') && !value.includes('\r')) {
    fs.appendFileSync(file, `${name}=${value}\n`);
    return;
  }
  const delimiter = `ghadelimiter_${randomBytes(12).toString('hex')}`;
  fs.appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
}

/** Appends Markdown to the run summary ($GITHUB_STEP_SUMMARY), or prints it. */
export function appendSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): void {
  const text = markdown.endsWith('\n') ? markdown : `${markdown}\n`;
  const file = env.GITHUB_STEP_SUMMARY;
  if (file) fs.appendFileSync(file, text);
  else process.stdout.write(text);
}

/** Puts a folder on PATH for the job's later steps ($GITHUB_PATH). */
export function addPath(dir: string, env: NodeJS.ProcessEnv = process.env): void {
  const file = env.GITHUB_PATH;
  if (file) fs.appendFileSync(file, `${dir}\n`);
}

/** An error annotation on the run page (`::error::`), escaped as the runner expects. */
export function errorAnnotation(message: string): string {
  return `::error::${message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}`;
}

/** Reads an output file back: name → value (both forms), as the runner parses it. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const end = lines.indexOf(delimiter, i + 1);
      if (end < 0) throw new Error(`output ${name}: delimiter ${delimiter} never closes`);
      out[name] = lines.slice(i + 1, end).join('\n');
      i = end;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 1) throw new Error(`not an output line: "${line}"`);
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}
