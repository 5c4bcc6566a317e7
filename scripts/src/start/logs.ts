// The services write JSON log lines (for clusters); on a terminal they read better as one short
// line each: time, service, level, message and the few fields that matter.
const COLORS: Record<string, string> = { frontend: '36', 'product-api': '35', 'order-api': '33' };
const LEVEL_COLORS: Record<string, string> = { warn: '33', error: '31', fatal: '31' };
const SKIP = new Set(['level', 'time', 'service', 'msg', 'pid', 'hostname']);

export interface PrettyOptions {
  color: boolean;
  width: number;
}

const paint = (on: boolean, code: string | undefined, text: string) =>
  on && code ? `\u001b[${code}m${text}\u001b[0m` : text;

export function prettyLine(service: string, line: string, o: PrettyOptions): string {
  const prefix = paint(o.color, COLORS[service] ?? '32', `${service.padEnd(o.width)} │`);
  let entry: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (!parsed || typeof parsed !== 'object') return `${prefix} ${line}`;
    entry = parsed as Record<string, unknown>;
  } catch {
    return `${prefix} ${line}`;
  }
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 19) : '';
  const level = String(entry.level ?? 'info');
  let text: string;
  if (entry.msg === 'request' && entry.method) {
    text = `${String(entry.method)} ${String(entry.url)} → ${String(entry.status)} ${String(entry.ms)} ms`;
  } else {
    const extra = Object.entries(entry)
      .filter(([k]) => !SKIP.has(k))
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    text = `${String(entry.msg ?? '')}${extra ? `  ${extra}` : ''}`;
  }
  const lvl = level === 'info' ? '' : `${paint(o.color, LEVEL_COLORS[level], level.toUpperCase())} `;
  return `${prefix} ${time} ${lvl}${text}`;
}
