/**
 * Unknown config fields with the nearest valid name: a misspelt required field (`tokens_of_intrest`) is
 * reported as the misspelt one with the name it should have, not as the correct one missing.
 */

/** Levenshtein distance (insertions, deletions, substitutions), bounded inputs (field names). */
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

/** The closest of `known` to `name`, when close enough to be a typo (about a third of the name's letters). */
export function nearestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

interface SchemaNode {
  type?: unknown;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: unknown;
  items?: SchemaNode;
}

export interface UnknownField {
  /** Where it is, e.g. `models[1].load_ckpt`. */
  field: string;
  name: string;
  /** The valid field names at that place. */
  known: string[];
  suggestion?: string;
}

/** The first field (depth first, in document order) that the schema does not allow at its place. */
export function findUnknownField(value: unknown, schema: SchemaNode, path = ''): UnknownField | undefined {
  if (Array.isArray(value)) {
    if (!schema.items) return undefined;
    for (const [i, v] of value.entries()) {
      const found = findUnknownField(v, schema.items, `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object' || !schema.properties) return undefined;
  const known = Object.keys(schema.properties);
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const field = path ? `${path}.${k}` : k;
    const sub = Object.hasOwn(schema.properties, k) ? schema.properties[k] : undefined;
    if (sub === undefined) {
      if (schema.additionalProperties === false) return { field, name: k, known, suggestion: nearestName(k, known) };
      continue;
    }
    const found = findUnknownField(v, sub, field);
    if (found) return found;
  }
  return undefined;
}
