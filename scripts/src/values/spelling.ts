// "Did you mean": the closest known word by edit distance, if it is close enough to be a typo.

/** Levenshtein distance with transpositions counted as one edit (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** The candidate a typo most likely meant (a close spelling, else a long shared beginning). */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  return closeSpelling(word, candidates) ?? sharedBeginning(word, candidates);
}

/** The candidate within a few edits of `word`, or undefined. */
export function closeSpelling(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    if (c === word) continue;
    // Case or separator slips (minreplicas, min_replicas) count as one edit.
    const plain = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
    const d = plain(c) === plain(word) ? 0.5 : editDistance(lower, c.toLowerCase());
    if (!best || d < best.d) best = { c, d };
  }
  if (!best) return undefined;
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  return best.d <= limit ? best.c : undefined;
}

/** A shortened or lengthened word (replicas for replicaCount): a long shared beginning. */
function sharedBeginning(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let prefixBest: { c: string; n: number } | undefined;
  for (const c of candidates) {
    const n = commonPrefix(lower, c.toLowerCase());
    if (n >= Math.max(5, Math.ceil(0.6 * word.length)) && (!prefixBest || n > prefixBest.n))
      prefixBest = { c, n };
  }
  return prefixBest?.c;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
