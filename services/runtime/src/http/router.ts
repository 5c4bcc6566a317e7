// A small router: exact paths in a Map, templated paths matched segment by segment. Enough for an
// API's handful of routes, and it yields the route template that metrics and logs label by.
import { HttpError } from './problem';
import type { Route } from './types';

type Segment = { literal: string } | { param: string };

interface Entry {
  template: string;
  segments: Segment[];
  byMethod: Map<string, Route>;
}

export type Match =
  | { kind: 'route'; route: Route; params: Record<string, string> }
  | { kind: 'method-not-allowed'; template: string; allowed: string[] }
  | { kind: 'not-found' };

const NOT_FOUND: Match = { kind: 'not-found' };

export class Router {
  private readonly exact = new Map<string, Entry>();
  private readonly templated: Entry[] = [];

  constructor(routes: Route[]) {
    for (const r of routes) this.add(r);
  }

  private add(route: Route): void {
    if (!route.path.startsWith('/')) throw new Error(`route path must start with "/": ${route.path}`);
    const segments: Segment[] = route.path
      .split('/')
      .slice(1)
      .map((s) => (s.startsWith(':') ? { param: s.slice(1) } : { literal: s }));
    const isTemplate = segments.some((s) => 'param' in s);
    let entry = isTemplate
      ? this.templated.find((e) => e.template === route.path)
      : this.exact.get(route.path);
    if (!entry) {
      entry = { template: route.path, segments, byMethod: new Map() };
      if (isTemplate) this.templated.push(entry);
      else this.exact.set(route.path, entry);
    }
    if (entry.byMethod.has(route.method))
      throw new Error(`route defined twice: ${route.method} ${route.path}`);
    entry.byMethod.set(route.method, route);
  }

  match(method: string, path: string): Match {
    const exact = this.exact.get(path);
    if (exact) return pick(exact, method, {});
    const parts = path.split('/');
    for (const entry of this.templated) {
      const params = matchSegments(entry.segments, parts);
      if (params) return pick(entry, method, params);
    }
    return NOT_FOUND;
  }
}

function pick(entry: Entry, method: string, params: Record<string, string>): Match {
  const route = entry.byMethod.get(method);
  if (route) return { kind: 'route', route, params };
  return { kind: 'method-not-allowed', template: entry.template, allowed: [...entry.byMethod.keys()] };
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  // parts[0] is the empty string before the leading slash.
  if (parts.length !== segments.length + 1) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const part = parts[i + 1]!;
    if ('literal' in seg) {
      if (seg.literal !== part) return undefined;
    } else {
      if (part === '') return undefined;
      try {
        params[seg.param] = decodeURIComponent(part);
      } catch {
        throw new HttpError(400, `path segment ${JSON.stringify(part)} is not valid percent-encoding`);
      }
    }
  }
  return params;
}
