// Stamp files record what a tool was installed from (version + a hash of every build input), so a
// changed ldflag, pin or converter rebuilds the tool instead of trusting a stale binary.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface Stamp {
  tool: string;
  version: string;
  inputs: string;
  how: string;
  at: string;
}

/** A stable hash of any JSON value: object keys are sorted so key order never forces a rebuild. */
export function inputsHash(inputs: unknown): string {
  const stable = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(stable);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v as object)
          .sort()
          .map((k) => [k, stable((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return crypto
    .createHash('sha256')
    .update(JSON.stringify(stable(inputs)))
    .digest('hex')
    .slice(0, 16);
}

export function readStamp(file: string): Stamp | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

export function writeStamp(file: string, stamp: Stamp): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(stamp, null, 2)}\n`);
}

export function stampIsCurrent(
  stamp: Stamp | undefined,
  tool: string,
  version: string,
  inputs: string,
): boolean {
  return stamp !== undefined && stamp.tool === tool && stamp.version === version && stamp.inputs === inputs;
}
