// The review rules of security/trivyignore.yaml (Trivy's YAML ignore file): each accepted finding
// names its id, says why (statement) and expires (expired_at) within MAX_DAYS, so nothing is
// accepted for good and a stale acceptance fails the build.
import { parse } from 'yaml';

export const MAX_DAYS = 90;
export const SECTIONS = ['vulnerabilities', 'misconfigurations', 'secrets', 'licenses'] as const;
const ENTRY_KEYS = new Set(['id', 'paths', 'purls', 'statement', 'expired_at']);
const DAY_MS = 24 * 60 * 60 * 1000;

/** Problems with an ignore file's text, one message each; empty when it follows the rules. */
export function ignoreFileProblems(text: string, today: Date): string[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    return [`not YAML: ${(e as Error).message}`];
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return ['the file must be a mapping'];
  const problems: string[] = [];
  const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  for (const [section, entries] of Object.entries(doc as Record<string, unknown>)) {
    if (!(SECTIONS as readonly string[]).includes(section)) {
      problems.push(`unknown section "${section}" (Trivy reads ${SECTIONS.join(', ')})`);
      continue;
    }
    if (entries === null) continue;
    if (!Array.isArray(entries)) {
      problems.push(`${section} must be a list`);
      continue;
    }
    entries.forEach((entry: unknown, i) => {
      const at = `${section}[${i}]`;
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
        problems.push(`${at} must be a mapping`);
        return;
      }
      const e = entry as Record<string, unknown>;
      const name = typeof e.id === 'string' && e.id.trim() ? e.id : undefined;
      const label = name ? `${at} ${name}` : at;
      if (!name) problems.push(`${at}: id is missing`);
      for (const k of Object.keys(e)) if (!ENTRY_KEYS.has(k)) problems.push(`${label}: unknown key "${k}"`);
      if (typeof e.statement !== 'string' || e.statement.trim().length < 20) {
        problems.push(`${label}: statement must give the reason it is accepted (at least 20 characters)`);
      }
      const expiry = parseDay(e.expired_at);
      if (expiry === undefined) {
        problems.push(`${label}: expired_at must be a date (YYYY-MM-DD)`);
      } else if (expiry <= midnight) {
        problems.push(`${label}: expired on ${day(expiry)}: fix the finding or review it again`);
      } else if (expiry - midnight > MAX_DAYS * DAY_MS) {
        problems.push(`${label}: expired_at ${day(expiry)} is more than ${MAX_DAYS} days away`);
      }
    });
  }
  return problems;
}

/** YAML gives a bare 2025-01-31 as a string (core schema); accept a Date too. */
function parseDay(v: unknown): number | undefined {
  if (v instanceof Date) return v.getTime();
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return undefined;
  const t = Date.parse(`${v}T00:00:00Z`);
  return Number.isNaN(t) || day(t) !== v ? undefined : t;
}

function day(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}
