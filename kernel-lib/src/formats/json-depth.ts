import { EmotuneError } from '../errors.js';

/**
 * Deepest nesting accepted in a JSON document. JSON.parse itself copes with any depth, but everything after it
 * that walks the value (schema validation, error messages, JSON.stringify) recurses and would overflow the stack
 * with an untyped RangeError; no file this toolkit reads needs more than a handful of levels.
 */
export const MAX_JSON_DEPTH = 256;

/** Throws a typed one-line error when `value` nests arrays/objects deeper than `max` (checked without recursion). */
export function checkJsonDepth(value: unknown, file?: string, max = MAX_JSON_DEPTH): void {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) {
      throw new EmotuneError('JSON nested too deeply', {
        file,
        code: 'json.too-deep',
        expected: `at most ${max} levels of arrays/objects`,
        found: 'deeper nesting',
      });
    }
    for (const child of Array.isArray(v) ? v : Object.values(v))
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
}
