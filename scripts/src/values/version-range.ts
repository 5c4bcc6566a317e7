// Whether a chart version satisfies a Chart.yaml dependency's `version` constraint, as Helm's
// IsCompatibleRange does with Masterminds semver: `1.2.3`, `=`, `!=`, `>`, `>=`, `<`, `<=`,
// `~1.2` (patch updates), `^1.2` (minor updates), wildcards (`1.2.x`, `1.*`, a missing part),
// hyphen ranges (`1.2 - 1.4`), AND with a comma or space, OR with `||`. A constraint without
// a pre-release part does not match pre-release versions.

interface Version {
  major: number;
  minor: number;
  patch: number;
  pre: string[];
}

const VERSION = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export function parseVersion(text: string): Version | undefined {
  const m = VERSION.exec(text.trim());
  if (!m) return undefined;
  return {
    major: Number(m[1]),
    minor: Number(m[2] ?? 0),
    patch: Number(m[3] ?? 0),
    pre: m[4] ? m[4].split('.') : [],
  };
}

export function compareVersions(a: Version, b: Version): number {
  const d = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (d) return Math.sign(d);
  // A pre-release sorts before its release.
  if (!a.pre.length && !b.pre.length) return 0;
  if (!a.pre.length) return 1;
  if (!b.pre.length) return -1;
  for (let i = 0; i < Math.max(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i];
    const y = b.pre[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) return Math.sign(Number(x) - Number(y));
    if (nx !== ny) return nx ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** True when `version` satisfies `range`; an empty range matches everything. */
export function versionMatches(range: string, version: string): boolean {
  if (!range.trim()) return true;
  const v = parseVersion(version);
  if (!v) return false;
  return range.split('||').some((alt) => {
    const parts = comparators(alt);
    if (!parts) return false;
    if (v.pre.length && !parts.some((c) => c.bound.pre.length)) return false;
    return parts.every((c) => test(c, v));
  });
}

interface Comparator {
  op: '=' | '!=' | '>' | '>=' | '<' | '<=';
  bound: Version;
}

function comparators(alt: string): Comparator[] | undefined {
  const text = alt
    .replace(/,/g, ' ')
    .replace(/\s*-\s+/g, ' - ')
    .trim();
  const tokens = text.split(/\s+/).filter(Boolean);
  const out: Comparator[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i + 1] === '-' && tokens[i + 2] !== undefined) {
      const lo = partial(tokens[i] as string);
      const hi = partial(tokens[i + 2] as string);
      if (!lo || !hi) return undefined;
      out.push({ op: '>=', bound: lo.floor });
      out.push(hi.ceiling ? { op: '<', bound: hi.ceiling } : { op: '<=', bound: hi.floor });
      i += 2;
      continue;
    }
    const c = single(tokens[i] as string);
    if (!c) return undefined;
    out.push(...c);
  }
  return out;
}

/** A version with wildcards: its lowest match, and the first version above the wildcard span. */
function partial(text: string): { floor: Version; ceiling?: Version } | undefined {
  const m =
    /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(
      text,
    );
  if (!m) return undefined;
  const wild = (s: string | undefined) => s === undefined || /^[xX*]$/.test(s);
  const pre = m[4] ? m[4].split('.') : [];
  if (wild(m[1])) return { floor: { major: 0, minor: 0, patch: 0, pre: [] }, ceiling: undefined };
  const major = Number(m[1]);
  if (wild(m[2]))
    return {
      floor: { major, minor: 0, patch: 0, pre },
      ceiling: { major: major + 1, minor: 0, patch: 0, pre: [] },
    };
  const minor = Number(m[2]);
  if (wild(m[3]))
    return {
      floor: { major, minor, patch: 0, pre },
      ceiling: { major, minor: minor + 1, patch: 0, pre: [] },
    };
  return { floor: { major, minor, patch: Number(m[3]), pre } };
}

function single(token: string): Comparator[] | undefined {
  const m = /^(!=|>=|<=|=>|=<|>|<|=|~>|~|\^)?\s*(.+)$/.exec(token);
  if (!m) return undefined;
  const op = m[1] ?? '=';
  const p = partial(m[2] as string);
  if (!p) return undefined;
  const { floor, ceiling } = p;
  const all = /^v?[xX*]/.test(m[2] as string);
  switch (op) {
    case '=':
      if (all) return [];
      return ceiling
        ? [
            { op: '>=', bound: floor },
            { op: '<', bound: ceiling },
          ]
        : [{ op: '=', bound: floor }];
    case '!=':
      return all ? [{ op: '<', bound: floor }] : [{ op: '!=', bound: floor }];
    case '>':
      return ceiling ? [{ op: '>=', bound: ceiling }] : [{ op: '>', bound: floor }];
    case '>=':
    case '=>':
      return [{ op: '>=', bound: floor }];
    case '<':
      return [{ op: '<', bound: floor }];
    case '<=':
    case '=<':
      return ceiling ? [{ op: '<', bound: ceiling }] : [{ op: '<=', bound: floor }];
    case '~':
    case '~>': {
      const parts = (m[2] as string).replace(/^v/, '').split('.').length;
      const top =
        parts === 1
          ? { major: floor.major + 1, minor: 0, patch: 0, pre: [] }
          : { major: floor.major, minor: floor.minor + 1, patch: 0, pre: [] };
      return [
        { op: '>=', bound: floor },
        { op: '<', bound: top },
      ];
    }
    case '^': {
      const top =
        floor.major > 0
          ? { major: floor.major + 1, minor: 0, patch: 0, pre: [] }
          : { major: 0, minor: floor.minor + 1, patch: 0, pre: [] };
      return [
        { op: '>=', bound: floor },
        { op: '<', bound: top },
      ];
    }
    default:
      return undefined;
  }
}

function test(c: Comparator, v: Version): boolean {
  const d = compareVersions(v, c.bound);
  switch (c.op) {
    case '=':
      return d === 0;
    case '!=':
      return d !== 0;
    case '>':
      return d > 0;
    case '>=':
      return d >= 0;
    case '<':
      return d < 0;
    case '<=':
      return d <= 0;
  }
}
