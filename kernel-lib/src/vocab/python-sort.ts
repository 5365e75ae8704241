/**
 * Python compares str by code point; JS `<` and the default sort compare UTF-16 code units, which
 * disagree for characters outside the BMP. The reference notebook sorts candidates with Python's `sort()`.
 */
export function comparePythonStrings(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const ca = ia.next();
    const cb = ib.next();
    if (ca.done) return cb.done ? 0 : -1;
    if (cb.done) return 1;
    const da = ca.value.codePointAt(0)!;
    const db = cb.value.codePointAt(0)!;
    if (da !== db) return da < db ? -1 : 1;
  }
}

export function sortPythonStrings(values: readonly string[]): string[] {
  return [...values].sort(comparePythonStrings);
}
