// From a path in the merged values to the file position that set it.
import { isTable, type Origin, originOf, type Position, removedBy, type Table, type Value } from './model';
import type { Problem, Segment } from './problems';

export interface Location {
  file: string;
  line: number;
  col: number;
  /** The --set argument, when the value came from one. */
  argument?: string;
  /** Set when the key is missing because a null removed it: that null's place. */
  removedBy?: Origin;
}

/** Where the value at `path` (or, for a missing key, its nearest existing parent) was set. */
export function locate(
  root: Table,
  path: readonly Segment[],
  at: Problem['at'],
  fallbackFile: string,
): Location {
  let container: Value = root;
  let origin: Origin | undefined;
  let removed: Origin | undefined;
  for (const seg of path) {
    const has = Array.isArray(container)
      ? typeof seg === 'number' && seg < container.length
      : isTable(container) && Object.prototype.hasOwnProperty.call(container, String(seg));
    if (!has) {
      if (isTable(container)) removed = removedBy(container, String(seg));
      break;
    }
    const next: Value = Array.isArray(container)
      ? (container[seg as number] as Value)
      : ((container as Table)[String(seg)] as Value);
    const o = originOf(container as Table, seg);
    // Tables Helm made itself (an empty subchart table) have no position: keep the parent's.
    if (o && o.kind !== 'helm') origin = o;
    else if (o && !origin) origin = o;
    container = next;
  }
  const target = removed ?? origin;
  const pos: Position | undefined = target
    ? at === 'key'
      ? (target.key ?? target.value)
      : (target.value ?? target.key)
    : undefined;
  return {
    file: target?.file ?? fallbackFile,
    line: pos?.line ?? 1,
    col: pos?.col ?? 1,
    ...(target?.argument !== undefined ? { argument: target.argument } : {}),
    ...(removed ? { removedBy: removed } : {}),
  };
}
