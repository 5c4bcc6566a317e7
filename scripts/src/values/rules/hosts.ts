// Host names must be valid RFC 1123 names (lower-case for an Ingress, which Kubernetes requires):
// every `host`, every item of a `hosts` list, and the host of every `…url`/`…Url` value.
// Strings with `{{` are left alone: the chart renders them with tpl first.
import { isTable, type Value } from '../model';
import type { Problem, Segment } from '../problems';
import { error, type Rule } from './context';

export const hostsRule: Rule = {
  id: 'hosts',
  summary: 'host names (ingress hosts, database hosts, URLs) are valid RFC 1123 names',
  check(ctx) {
    const problems: Problem[] = [];
    for (const scope of ctx.scopes) {
      for (const { table, path } of ctx.tables(scope)) {
        const ingress = path.includes('ingress');
        for (const [key, v] of Object.entries(table) as [string, Value][]) {
          const p = [...path, key];
          if (key === 'host' && typeof v === 'string') check(p, v, { ingress, ip: !ingress });
          else if (key === 'hosts' && Array.isArray(v)) {
            v.forEach((h, i) => typeof h === 'string' && check([...p, i], h, { ingress, ip: false }));
          } else if (/(^url$|Url$|URL$)/.test(key) && typeof v === 'string' && !isTable(v)) {
            const host = urlHost(v);
            if (host !== undefined) check(p, host, { ingress: false, ip: true, inUrl: true });
          }
        }
      }
    }
    return problems;

    function check(
      path: Segment[],
      host: string,
      opts: { ingress: boolean; ip: boolean; inUrl?: boolean },
    ): void {
      if (host.includes('{{') || ctx.hasSchemaError(path)) return;
      const why = hostProblem(host, opts);
      if (why) {
        const subject = opts.inUrl
          ? `has host "${host}", which is not a valid host name`
          : 'is not a valid host name';
        problems.push(error('hosts', path, `${subject} (RFC 1123): ${why}`));
      }
    }
  },
};

/** Why `host` is not a valid RFC 1123 host name, or undefined when it is. */
export function hostProblem(host: string, opts: { ingress: boolean; ip: boolean }): string | undefined {
  if (opts.ip && (isIPv4(host) || isIPv6(host))) return undefined;
  if (host === '') return 'it is empty';
  let name = host;
  if (!opts.ingress && name.endsWith('.')) name = name.slice(0, -1);
  if (name.length > 253) return `it is ${name.length} characters long, at most 253 are allowed`;
  const labels = name.split('.');
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as string;
    if (opts.ingress && i === 0 && label === '*' && labels.length > 1) continue;
    if (label === '') return 'it has an empty label (two dots in a row, or a dot at an end)';
    if (label.length > 63)
      return `label "${label.slice(0, 20)}…" is ${label.length} characters long, at most 63 are allowed`;
    if (opts.ingress && /[A-Z]/.test(label))
      return `label "${label}" has upper-case letters; Kubernetes wants lower case`;
    const bad = /[^A-Za-z0-9-]/.exec(label);
    if (bad) return `label "${label}" has "${bad[0]}"; labels use letters, digits and "-"`;
    if (label.startsWith('-') || label.endsWith('-')) return `label "${label}" starts or ends with "-"`;
  }
  return undefined;
}

function urlHost(v: string): string | undefined {
  if (v.includes('{{')) return undefined;
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/.exec(v);
  if (!m) return undefined;
  const host = m[1] as string;
  return host.startsWith('[') ? host.slice(1, -1) : host;
}

function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$/.test(p));
}

function isIPv6(s: string): boolean {
  return s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s) && (s.match(/::/g) ?? []).length <= 1;
}
