import type { Word2Event } from '../formats/types.js';
import { sortPythonStrings } from './python-sort.js';

/**
 * Condition candidates per token of interest, as the reference notebook builds them: labels whose index is not `0`,
 * that are strings, and are neither `CONTI` nor `Note_Duration_0`; sorted as Python sorts strings.
 * Tokens missing from the vocabulary, or left with no candidate, are absent from the result.
 */
export function buildCandidates(word2event: Word2Event, tokensOfInterest: readonly string[]): Record<string, string[]> {
  const candidates: Record<string, string[]> = {};
  for (const token of tokensOfInterest) {
    const items = word2event[token];
    if (items === undefined) continue;
    const labels: string[] = [];
    for (const [idx, label] of Object.entries(items)) {
      if (idx === '0' || label === 'CONTI' || label === 'Note_Duration_0') continue;
      if (typeof label === 'string') labels.push(label);
    }
    if (labels.length > 0) candidates[token] = sortPythonStrings(labels);
  }
  return candidates;
}
