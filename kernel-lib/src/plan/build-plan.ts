import type { EvaluationConfig } from '../config/types.js';
import type { Word2Event } from '../formats/types.js';
import { buildCandidates } from '../vocab/candidates.js';
import { buildConditionGrid, sampleTokenValues } from './grid.js';
import { outDirPrefix, runId } from './folder-name.js';
import type { PlannedRun, RunPlan } from './types.js';
import { checkTokensOfInterest } from '../config/vocab-check.js';

type PlanConfig = Pick<
  EvaluationConfig,
  'models' | 'modes' | 'tokens_of_interest' | 'emotions' | 'keys' | 'max_values_per_token' | 'condition_set_sizes'
>;

/**
 * The reference notebook's main loop as data: model, subset, condition, emotion, key (key-aware models only), mode.
 * Models without a vocabulary in `word2eventByModel` are skipped (the reference notebook prints "[!] Missing vocab").
 * @example
 * ```ts
 * const vocabs = await et.loadModelVocabularies(config.models);
 * const plan = et.buildPlan(config, vocabs);
 * console.log(`${plan.total} runs`, plan.sampled_values);
 * ```
 */
export function buildPlan(config: PlanConfig, word2eventByModel: Record<string, Word2Event>): RunPlan {
  checkTokensOfInterest(config.tokens_of_interest, word2eventByModel, (config as { source_file?: string }).source_file);
  const runs: PlannedRun[] = [];
  const sampled_values: RunPlan['sampled_values'] = {};
  const candidatesByModel: RunPlan['candidates'] = {};
  const gridOpts = {
    tokensOfInterest: config.tokens_of_interest,
    maxValuesPerToken: config.max_values_per_token,
    conditionSetSizes: config.condition_set_sizes,
  };
  for (const model of config.models) {
    const w2e = word2eventByModel[model.name];
    const candidates = w2e ? buildCandidates(w2e, config.tokens_of_interest) : {};
    candidatesByModel[model.name] = candidates;
    sampled_values[model.name] = sampleTokenValues(candidates, gridOpts);
    const grid = buildConditionGrid(candidates, gridOpts);
    const keys: Array<string | null> = model.key_aware ? config.keys : [null];
    for (const { subset, conditions: condList } of grid) {
      for (const conditions of condList) {
        for (const emotion of config.emotions) {
          for (const key of keys) {
            for (const mode of config.modes) {
              const cell = { model: model.name, mode, emotion, key, subset, conditions };
              runs.push({ index: runs.length + 1, id: runId(cell), ...cell, out_dir_prefix: outDirPrefix(cell) });
            }
          }
        }
      }
    }
  }
  return { runs, sampled_values, candidates: candidatesByModel, total: runs.length };
}
