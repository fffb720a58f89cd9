// "Did you mean …?" suggestions: the closest name by edit distance, if it is close enough.

export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The candidate nearest to `name`, or undefined when none is within ~40% of its length. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = name.toLowerCase();
  for (const candidate of [...candidates].sort()) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(2, Math.ceil(name.length * 0.4));
  return best !== undefined && bestDistance <= limit ? best : undefined;
}

/** A ready-made hint: `did you mean "x"?` or undefined. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const near = closestName(name, candidates);
  return near === undefined ? undefined : `did you mean "${near}"?`;
}
