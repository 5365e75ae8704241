import type { ModelConfig } from '../config/types.js';
import type { Word2Event } from '../formats/types.js';
import { loadWord2Event } from './word2event.js';

/**
 * Every model's word2event (JSON or dictionary.pkl), keyed by model name.
 * @example
 * ```ts
 * const vocabs = await et.loadModelVocabularies(config.models);
 * console.log(Object.keys(vocabs.scratch ?? {})); // token types: duration, velocity, ...
 * ```
 */
export async function loadModelVocabularies(
  models: readonly Pick<ModelConfig, 'name' | 'word2event_path'>[],
): Promise<Record<string, Word2Event>> {
  const out: Record<string, Word2Event> = {};
  for (const m of models) out[m.name] = await loadWord2Event(m.word2event_path);
  return out;
}
