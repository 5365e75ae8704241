/**
 * `f` remembered per vocabulary index: a song has thousands of CP steps but few distinct indices in a column, so
 * each index's label is looked up (and parsed) once. Indices are small non-negative integers, kept in arrays (a
 * Map look-up per step cost a fifth of token adherence's time); any other value is computed each time.
 */
export function perIndex<T>(f: (index: number) => T): (index: number) => T {
  const values: T[] = [];
  const seen: boolean[] = [];
  return (index) => {
    if (!(Number.isInteger(index) && index >= 0 && index < MAX_REMEMBERED_INDEX)) return f(index);
    if (seen[index]) return values[index]!;
    seen[index] = true;
    return (values[index] = f(index));
  };
}

/** Above any vocabulary's size (EMOPIA's largest token type has a few hundred values). */
const MAX_REMEMBERED_INDEX = 65536;
