import { EmotuneError, describeValue } from '../errors.js';
import type { Word2Event } from '../formats/types.js';

/**
 * Every name in `tokens_of_interest` must be a token type of at least one model's vocabulary: a misspelt name
 * would otherwise just plan no runs for it. (A type only some models have is fine: the reference notebook skips it for
 * the rest.)
 */
export function checkTokensOfInterest(
  tokens: readonly string[],
  word2eventByModel: Record<string, Word2Event>,
  file?: string,
): void {
  const vocabs = Object.values(word2eventByModel);
  if (vocabs.length === 0) return;
  const known = new Set(vocabs.flatMap((w) => Object.keys(w)));
  tokens.forEach((t, i) => {
    if (!known.has(t)) {
      throw new EmotuneError("not a token type of any model's vocabulary", {
        file,
        field: `tokens_of_interest[${i}]`,
        code: 'config.invalid',
        found: describeValue(t),
        expected: `one of ${[...known].sort().join(', ')}`,
      });
    }
  });
}
